"""The inbox in SQL: accepted deliveries recorded in batches, then leased to one worker each.

`add` is what a webhook answer waits for, so it is built for many callers
at once (group commit): callers that arrive while a transaction is being
written wait together and go into the next one, one INSERT and one fsync
for the whole batch, and each caller is answered only after its batch has
committed. `ON CONFLICT DO NOTHING` on the delivery key, and on the body's
digest, makes a redelivery (or a body replayed under a new id) a no-op.
Workers `claim` rows with a lease (one conditional UPDATE), so two
workers or two replicas never work the same row at once; a row is finished
in the transaction that records its event (storage.events), or by `done`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, or_
from sqlmodel import Session, col, delete, select, update

from storage.batching import GroupCommit
from storage.database import Database, insert_into
from storage.inbox_tables import InboxRow
from storage.values import utc_now

BATCH = 500
RECENT_ADDS = 256


@dataclass(frozen=True)
class Received:
    """A delivery as it came in: its key, the event's name and the raw JSON body.

    `digest` (the webhook's SHA-256 of the body, "" for the poller) makes a
    body replayed under another delivery id a redelivery too.
    """

    delivery: str
    event: str
    payload: str
    digest: str = ""


@dataclass(frozen=True)
class Leased:
    """An inbox row leased to one worker."""

    id: int
    received: Received
    attempts: int


class SqlInbox:
    def __init__(self, db: Database, *, batch: int = BATCH) -> None:
        self._db = db
        self._commits: GroupCommit[Received, bool] = GroupCommit(self._write, batch=batch)
        self._adds: deque[float] = deque(maxlen=RECENT_ADDS)

    async def add(self, received: Received) -> bool:
        """True when the delivery is new; returns once it is committed (raises if it was not)."""
        self._adds.append(time.monotonic())
        return await self._commits.submit(received)

    def busy(self, *, adds: int, within: float) -> bool:
        """Whether this process was handed at least `adds` deliveries in the last `within` s."""
        adds = min(adds, RECENT_ADDS)
        recent = self._adds
        return len(recent) >= adds and time.monotonic() - recent[-adds] < within

    async def _write(self, batch: Sequence[Received]) -> list[bool]:
        """One transaction for the batch; if it fails every caller hears it (and answers 5xx)."""
        new = await self._db.run(partial(_insert, batch=batch))
        return _answers(batch, new)

    async def known(self, deliveries: Sequence[str]) -> set[str]:
        """Which of these delivery keys the inbox holds (asked before asking for a redelivery)."""
        if not deliveries:
            return set()
        keys = {"keys": list(deliveries)}
        return set(await self._db.read(lambda session: _known(session, keys)))

    async def claim(self, *, limit: int, lease_seconds: float) -> Sequence[Leased]:
        """The oldest free rows, leased. On PostgreSQL rows another claim is taking are
        skipped (SKIP LOCKED), so concurrent workers get different rows instead of
        queueing on the same ones; SQLite has one writer at a time anyway."""

        def work(session: Session) -> list[Leased]:
            now = utc_now()
            ids = session.exec(
                select(col(InboxRow.id))
                .where(_claimable(now))
                .order_by(col(InboxRow.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            if not ids:
                return []
            leased = (
                session.exec(
                    update(InboxRow)
                    .where(col(InboxRow.id).in_(ids), _claimable(now))
                    .values(lease_until=now + timedelta(seconds=lease_seconds))
                    .returning(col(InboxRow.id))
                )
                .scalars()
                .all()
            )
            rows = session.exec(select(InboxRow).where(col(InboxRow.id).in_(leased)))
            return sorted((_leased(row) for row in rows), key=lambda item: item.id)

        return await self._db.run(work)

    async def done(self, *, row_id: int, error: str = "") -> None:
        """Finished without recording anything (already recorded, ignored, or given up)."""
        values = {"processed_at": utc_now(), "lease_until": None, "last_error": error[:2000]}
        await self._update(row_id, **values)

    async def done_all(self, *, row_ids: Sequence[int]) -> None:
        """`done` for many rows in one statement (those a batch found recorded or ignored)."""
        if not row_ids:
            return
        values = {"processed_at": utc_now(), "lease_until": None, "last_error": ""}
        statement = update(InboxRow).where(col(InboxRow.id).in_(row_ids)).values(**values)
        await self._db.run(lambda session: session.exec(statement))

    async def retry_at(self, *, row_id: int, at: datetime, error: str) -> None:
        values = {"lease_until": at, "last_error": error[:2000]}
        await self._update(row_id, attempts=InboxRow.attempts + 1, **values)

    async def _update(self, row_id: int, **values: object) -> None:
        statement = update(InboxRow).where(col(InboxRow.id) == row_id).values(**values)
        await self._db.run(lambda session: session.exec(statement))

    async def prune(self, *, before: datetime) -> int:
        """Forget rows worked before `before`; returns how many.

        Safe at any age: a redelivery of a forgotten delivery makes a new row,
        and working it finds the event already recorded, so nobody is told twice.
        """
        statement = delete(InboxRow).where(col(InboxRow.processed_at) < before)
        return int(await self._db.run(lambda session: session.exec(statement).rowcount))

    async def counts(self) -> dict[str, int]:
        """How many rows are received in all, and how many still wait to be worked."""

        def work(session: Session) -> dict[str, int]:
            total = session.exec(select(func.count()).select_from(InboxRow)).one()
            waiting = session.exec(
                select(func.count()).select_from(InboxRow).where(_unprocessed())
            ).one()
            return {"received": int(total), "waiting": int(waiting)}

        return await self._db.read(work)


def finish_all_in(session: Session, deliveries: Sequence[str]) -> None:
    """Mark the deliveries' rows worked, inside the caller's transaction (storage.events)."""
    if not deliveries:
        return
    session.exec(
        update(InboxRow)
        .where(col(InboxRow.delivery).in_(deliveries), _unprocessed())
        .values(processed_at=utc_now(), lease_until=None)
    )


def _insert(session: Session, batch: Sequence[Received]) -> set[str]:
    """The deliveries this batch added; a redelivery (same key, or same body) is skipped.

    One executemany of a statement compiled once (a multi-row VALUES would
    be compiled anew for every batch size, which costs more than the
    write). On PostgreSQL a delivery a second replica adds between the
    look and the insert is reported new by both; only the answer's flag
    differs, the row is still written (ON CONFLICT on either unique key
    skips the second) and worked once.
    """
    connection = session.connection()
    keys, digests = {r.delivery for r in batch}, {r.digest for r in batch if r.digest}
    known = set(connection.execute(_KNOWN, {"keys": list(keys), "digests": list(digests)}).all())
    seen = {key for row in known for key in row if key}
    fresh: list[Received] = []
    for r in batch:
        if r.delivery not in seen and (not r.digest or r.digest not in seen):
            fresh.append(r)
            seen.update(key for key in (r.delivery, r.digest) if key)
    now = utc_now()
    rows = [
        {"delivery": r.delivery, "digest": r.digest or None, "event": r.event,
         "payload": r.payload, "received_at": now, "attempts": 0, "last_error": ""}
        for r in fresh
    ]  # fmt: skip
    if rows:
        connection.execute(_insert_statement(session), rows)
    return {r.delivery for r in fresh}


def _known(session: Session, keys: dict[str, list[str]]) -> Sequence[str]:
    return session.connection().execute(_KNOWN_KEYS, keys).scalars().all()


_KNOWN_KEYS = select(col(InboxRow.delivery)).where(
    col(InboxRow.delivery).in_(bindparam("keys", expanding=True))
)
_KNOWN = select(col(InboxRow.delivery), col(InboxRow.digest)).where(
    col(InboxRow.delivery).in_(bindparam("keys", expanding=True))
    | col(InboxRow.digest).in_(bindparam("digests", expanding=True))
)


def _insert_statement(session: Session) -> Any:
    return insert_into(session, InboxRow).on_conflict_do_nothing()


def _answers(batch: Sequence[Received], new: set[str]) -> list[bool]:
    """True once per new delivery: a duplicate within the same batch is a redelivery."""
    remaining = set(new)
    answers = []
    for received in batch:
        answers.append(received.delivery in remaining)
        remaining.discard(received.delivery)
    return answers


def _unprocessed() -> ColumnElement[bool]:
    return col(InboxRow.processed_at).is_(None)


def _claimable(now: datetime) -> ColumnElement[bool]:
    lease = col(InboxRow.lease_until)
    return _unprocessed() & or_(lease.is_(None), lease < now)


def _leased(row: InboxRow) -> Leased:
    received = Received(row.delivery, row.event, row.payload)
    return Leased(row.id or 0, received, row.attempts)
