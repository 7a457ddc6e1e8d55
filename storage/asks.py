"""Filed Asks in SQL, implementing bot.ports.AskStore.

Recording is idempotent because the same issue can be reported twice: once
by the worker that filed it and again by a retry or a webhook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import Session, col, select, update
from sqlmodel.sql.expression import SelectOfScalar

from bot.types import FiledAsk
from storage.database import Database, insert_into
from storage.tables import FiledAskRow
from storage.values import place_of, scoped_place_columns, utc_now


class SqlAskStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, *, ask: FiledAsk) -> FiledAsk:
        """Insert unless (repository, issue_number) exists; returns the stored row either way."""

        def work(session: Session) -> FiledAsk:
            statement = insert_into(session, FiledAskRow).values(**_columns(ask))
            session.exec(
                statement.on_conflict_do_nothing(index_elements=["repository", "issue_number"])
            )
            return _ask(session.exec(_matching(ask.repository, ask.issue_number)).one())

        return await self._db.run(work)

    async def by_number(self, *, repository: str, number: int) -> FiledAsk | None:
        def work(session: Session) -> FiledAsk | None:
            row = session.exec(_matching(repository, number)).first()
            return None if row is None else _ask(row)

        return await self._db.read(work)

    async def by_numbers(
        self, *, repository: str, numbers: Sequence[int]
    ) -> Mapping[int, FiledAsk]:
        """`by_number` for many at once (the inbox worker's round of events): one query."""
        query = select(FiledAskRow).where(
            col(FiledAskRow.repository) == repository, col(FiledAskRow.issue_number).in_(numbers)
        )
        return await self._db.read(
            lambda session: {row.issue_number: _ask(row) for row in session.exec(query)}
        )

    async def set_muted(
        self, *, repository: str, number: int, requester: str, muted: bool
    ) -> FiledAsk | None:
        """Only the Ask's own requester can (un)mute it; None for anyone else, or no such Ask."""

        def work(session: Session) -> FiledAsk | None:
            row = session.exec(_matching(repository, number)).first()
            if row is None or row.requester != requester:
                return None
            row.muted = muted
            session.add(row)
            return _ask(row)

        return await self._db.run(work)

    async def by_requester(self, *, requester: str) -> Sequence[FiledAsk]:
        query = (
            select(FiledAskRow)
            .where(col(FiledAskRow.requester) == requester)
            .order_by(col(FiledAskRow.created_at).desc(), col(FiledAskRow.id).desc())
        )
        return await self._db.read(lambda session: [_ask(row) for row in session.exec(query)])


def set_phase_in(session: Session, repository: str, number: int, phase: str) -> None:
    """Also used inside the event journal's transaction, so the phase moves with the event."""
    statement = (
        update(FiledAskRow)
        .where(col(FiledAskRow.repository) == repository, col(FiledAskRow.issue_number) == number)
        .values(phase=phase)
    )
    session.exec(statement)


def _matching(repository: str, number: int) -> SelectOfScalar[FiledAskRow]:
    return select(FiledAskRow).where(
        col(FiledAskRow.repository) == repository, col(FiledAskRow.issue_number) == number
    )


def _columns(ask: FiledAsk) -> dict[str, object]:
    return {
        "repository": ask.repository,
        "issue_number": ask.issue_number,
        "issue_url": ask.issue_url,
        "title": ask.title,
        "requester": ask.requester,
        "requester_name": ask.requester_name,
        **scoped_place_columns(ask.origin),
        "draft_id": ask.draft_id,
        "created_at": ask.created_at or utc_now(),
        "phase": ask.phase,
        "muted": ask.muted,
    }


def _ask(row: FiledAskRow) -> FiledAsk:
    return FiledAsk(
        issue_number=row.issue_number,
        issue_url=row.issue_url,
        title=row.title,
        requester=row.requester,
        requester_name=row.requester_name,
        origin=place_of(row),
        draft_id=row.draft_id,
        repository=row.repository,
        created_at=row.created_at,
        phase=row.phase,
        scope=row.scope,
        muted=row.muted,
    )
