"""Drafts in SQL, implementing bot.ports.DraftStore.

Besides the port, drafts in stage SUBMITTING carry a lease (`lease_until`).
A worker claims a draft by moving its lease into the future with a
conditional UPDATE; whoever's UPDATE changed the row owns it until the lease
runs out. If the worker crashes, the lease simply expires and another worker
picks the draft up, so queued work survives restarts without a queue server.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select, update

from bot.types import OPEN_STAGES, Draft, Stage, frozen_map
from storage.database import Database, insert_into
from storage.tables import DraftRow
from storage.values import from_json, place_of, scoped_place_columns, string_map, to_json, utc_now


class SqlDraftStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, draft_id: str) -> Draft | None:
        return await self._db.read(lambda session: _draft_or_none(session.get(DraftRow, draft_id)))

    async def get_open(self, *, owner: str, flow: str) -> Draft | None:
        """Newest by creation: if an owner somehow has two, the later one is current."""
        query = _open_for(owner).where(col(DraftRow.flow) == flow).limit(1)
        return await self._db.read(lambda session: _draft_or_none(session.exec(query).first()))

    async def list_open(self, *, owner: str) -> Sequence[Draft]:
        query = _open_for(owner)
        return await self._db.read(lambda session: [_draft(row) for row in session.exec(query)])

    async def save(self, *, draft: Draft) -> Draft:
        """Upsert in one statement, so two saves of a new draft cannot both insert.

        created_at is set once, on insert. Leaving SUBMITTING clears the lease,
        so a draft sent back for editing and submitted again is not held up by
        a lease from its earlier attempt.
        """

        def work(session: Session) -> Draft:
            session.exec(_upsert(session, draft))
            return _draft(session.get_one(DraftRow, draft.id))

        return await self._db.run(work)

    async def claim_submitting(self, *, limit: int, lease_seconds: float) -> Sequence[Draft]:
        """Oldest first. Each candidate is leased by its own conditional UPDATE.

        Another worker may lease a candidate between our SELECT and UPDATE; the
        UPDATE then matches no row (PostgreSQL re-checks the WHERE on the row it
        waited for; SQLite serialises writers), and we skip it.
        """

        def work(session: Session) -> list[Draft]:
            now = utc_now()
            until = now + timedelta(seconds=lease_seconds)
            candidates = session.exec(
                select(DraftRow.id)
                .where(_claimable(now))
                .order_by(col(DraftRow.updated_at))
                .limit(limit)
            ).all()
            claimed = [draft_id for draft_id in candidates if _lease(session, draft_id, now, until)]
            return [_draft(session.get_one(DraftRow, draft_id)) for draft_id in claimed]

        return await self._db.run(work)

    async def release(self, *, draft_id: str) -> None:
        """Give up a lease early (not part of the port).

        A worker calls this for drafts it claimed but could not work (its
        database call failed), so they are tried again at once rather than
        when the lease expires.
        """
        statement = update(DraftRow).where(col(DraftRow.id) == draft_id).values(lease_until=None)
        await self._db.run(lambda session: session.exec(statement))

    async def postpone(self, *, draft_id: str, seconds: float) -> None:
        """Free the claim but keep the draft out of reach for `seconds` (a retry's wait).

        `updated_at` is left alone: it is when the draft was submitted, which
        the worker measures its waits and its giving up from.
        """
        until = utc_now() + timedelta(seconds=seconds)
        statement = (
            update(DraftRow)
            .where(col(DraftRow.id) == draft_id, col(DraftRow.stage) == Stage.SUBMITTING.value)
            .values(lease_until=until)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def renew(self, *, draft_ids: Sequence[str], lease_seconds: float) -> None:
        """Extend the leases of drafts a worker is still filing."""
        until = utc_now() + timedelta(seconds=lease_seconds)
        statement = (
            update(DraftRow)
            .where(col(DraftRow.id).in_(draft_ids), col(DraftRow.stage) == Stage.SUBMITTING.value)
            .values(lease_until=until)
        )
        await self._db.run(lambda session: session.exec(statement))


def _upsert(session: Session, draft: Draft) -> Any:
    now = utc_now()
    values = _columns(draft)
    statement = insert_into(session, DraftRow).values(
        **values, created_at=now, updated_at=now, lease_until=None
    )
    excluded = _excluded(session)
    changes: dict[str, Any] = {name: excluded[name] for name in values if name != "id"}
    changes["updated_at"] = now
    if draft.stage != Stage.SUBMITTING:
        changes["lease_until"] = None
    return statement.on_conflict_do_update(index_elements=["id"], set_=changes)


_EXCLUDED: dict[str, Any] = {}


def _excluded(session: Session) -> Any:
    """ON CONFLICT's `excluded` row, made once per dialect and reused.

    A statement's own `.excluded` builds an alias of the whole table, a few hundred
    objects in reference cycles per save; under load that garbage made full
    collections pause the server for hundreds of milliseconds.
    """
    dialect = session.get_bind().dialect.name
    if dialect not in _EXCLUDED:
        _EXCLUDED[dialect] = insert_into(session, DraftRow).excluded
    return _EXCLUDED[dialect]


def _open_for(owner: str) -> Any:
    return (
        select(DraftRow)
        .where(
            col(DraftRow.owner) == owner, col(DraftRow.stage).in_([s.value for s in OPEN_STAGES])
        )
        .order_by(col(DraftRow.created_at).desc(), col(DraftRow.updated_at).desc())
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    lease = col(DraftRow.lease_until)
    return (col(DraftRow.stage) == Stage.SUBMITTING.value) & or_(lease.is_(None), lease < now)


def _lease(session: Session, draft_id: str, now: datetime, until: datetime) -> bool:
    statement = (
        update(DraftRow)
        .where(col(DraftRow.id) == draft_id, _claimable(now))
        .values(lease_until=until)
    )
    return session.exec(statement).rowcount == 1


def _columns(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.id,
        "flow": draft.flow,
        "owner": draft.owner,
        "owner_name": draft.owner_name,
        **scoped_place_columns(draft.origin),
        "answers": to_json(dict(draft.answers)),
        "skipped": to_json(sorted(draft.skipped)),
        "trail": to_json(list(draft.trail)),
        "context": to_json(dict(draft.context)),
        "cursor": draft.cursor,
        "stage": draft.stage.value,
        "awaiting_resume": draft.awaiting_resume,
        "issue_number": draft.issue_number,
        "issue_url": draft.issue_url,
        "last_error": draft.last_error,
    }


def _draft(row: DraftRow) -> Draft:
    return Draft(
        id=row.id,
        flow=row.flow,
        owner=row.owner,
        origin=place_of(row),
        answers=frozen_map(string_map(row.answers)),
        skipped=frozenset(from_json(row.skipped)),
        cursor=row.cursor,
        stage=Stage(row.stage),
        trail=tuple(from_json(row.trail)),
        awaiting_resume=row.awaiting_resume,
        owner_name=row.owner_name,
        context=frozen_map(string_map(row.context)),
        issue_number=row.issue_number,
        issue_url=row.issue_url,
        last_error=row.last_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _draft_or_none(row: DraftRow | None) -> Draft | None:
    return None if row is None else _draft(row)
