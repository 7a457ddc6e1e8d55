"""Linked issues in SQL, implementing bot.ports.LinkStore.

Recording is an upsert on (repository, number): filing may run again after a
crash, and the events pipeline may learn about the same issue from GitHub.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.linked.records import LinkedIssue
from storage.database import Database, insert_into
from storage.linked_tables import LinkedIssueRow
from storage.values import utc_now

_UPDATABLE = ("kind", "ask_number", "experiment_number", "title", "branch", "status", "url")


class SqlLinkStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, *, link: LinkedIssue) -> LinkedIssue:
        """Insert, or update the details; creation time and draft id stay the first ones."""

        def work(session: Session) -> LinkedIssue:
            values = _columns(link)
            statement = insert_into(session, LinkedIssueRow).values(**values)
            changes = {name: values[name] for name in (*_UPDATABLE, "updated_at")}
            session.exec(
                statement.on_conflict_do_update(
                    index_elements=["repository", "number"], set_=changes
                )
            )
            return _link(session.exec(_matching(link.repository, link.number)).one())

        return await self._db.run(work)

    async def get(self, *, repository: str, number: int) -> LinkedIssue | None:
        def work(session: Session) -> LinkedIssue | None:
            row = session.exec(_matching(repository, number)).first()
            return None if row is None else _link(row)

        return await self._db.run(work)

    async def for_ask(self, *, repository: str, ask_number: int) -> Sequence[LinkedIssue]:
        query = (
            select(LinkedIssueRow)
            .where(
                col(LinkedIssueRow.repository) == repository,
                col(LinkedIssueRow.ask_number) == ask_number,
            )
            .order_by(col(LinkedIssueRow.number))
        )
        return await self._db.run(lambda session: [_link(row) for row in session.exec(query)])

    async def set_status(self, *, repository: str, number: int, status: str) -> LinkedIssue | None:
        def work(session: Session) -> LinkedIssue | None:
            row = session.exec(_matching(repository, number)).first()
            if row is None:
                return None
            row.status, row.updated_at = status, utc_now()
            session.add(row)
            session.flush()
            return _link(row)

        return await self._db.run(work)


def _matching(repository: str, number: int) -> SelectOfScalar[LinkedIssueRow]:
    return select(LinkedIssueRow).where(
        col(LinkedIssueRow.repository) == repository, col(LinkedIssueRow.number) == number
    )


def _columns(link: LinkedIssue) -> dict[str, object]:
    now = utc_now()
    return {
        "repository": link.repository,
        "number": link.number,
        "kind": link.kind,
        "ask_number": link.ask_number,
        "experiment_number": link.experiment_number,
        "title": link.title,
        "branch": link.branch,
        "status": link.status,
        "draft_id": link.draft_id,
        "url": link.url,
        "created_at": link.created_at or now,
        "updated_at": link.updated_at or now,
    }


def _link(row: LinkedIssueRow) -> LinkedIssue:
    return LinkedIssue(
        repository=row.repository,
        number=row.number,
        kind=row.kind,
        ask_number=row.ask_number,
        title=row.title,
        experiment_number=row.experiment_number,
        branch=row.branch,
        status=row.status,
        draft_id=row.draft_id,
        url=row.url,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
