"""The event journal and the notification outbox in SQL (bot.ports.EventJournal).

`record` writes the event, its notifications and the Ask's new phase in one
transaction, and marks the event's inbox row worked in the same one: either
all of it happened or none of it did. The delivery
worker then claims due notifications with a lease (a conditional UPDATE, as
drafts are claimed), so two workers or two replicas never send the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from bot.lifecycle.audience import Delivery
from bot.lifecycle.events import KnownIssue, TrackerEvent, issue_type
from bot.types import Choice, Place
from storage.asks import set_phase_in
from storage.database import Database, insert_into
from storage.inbox import finish_in
from storage.lifecycle_tables import (
    FAILED,
    PENDING,
    SENT,
    NotificationRow,
    PollCursorRow,
    TrackerEventRow,
)
from storage.values import from_json, place_columns, place_of, to_json, utc_now


@dataclass(frozen=True)
class Pending:
    """A notification leased to one worker: where, what, and how often it was tried."""

    id: int
    key: str
    place: Place
    text: str
    choices: tuple[Choice, ...]
    attempts: int


class SqlEventJournal:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def seen(self, *, delivery: str) -> bool:
        query = select(TrackerEventRow.id).where(col(TrackerEventRow.delivery) == delivery)
        return await self._db.read(lambda session: session.exec(query).first() is not None)

    async def record(
        self,
        *,
        event: TrackerEvent,
        ask_number: int | None,
        deliveries: Sequence[Delivery],
        phase: str | None = None,
    ) -> bool:
        def work(session: Session) -> bool:
            if not _insert_event(session, event, ask_number):
                return False
            finish_in(session, event.delivery)
            for delivery in deliveries:
                _insert_notification(session, event, delivery)
            if phase is not None and ask_number is not None:
                set_phase_in(session, event.repository, ask_number, phase)
            return True

        try:
            return await self._db.run(work)
        except IntegrityError:
            return False  # the same delivery, recorded by a concurrent request

    async def known_issue(self, *, repository: str, number: int) -> KnownIssue | None:
        query = (
            select(TrackerEventRow)
            .where(
                col(TrackerEventRow.repository) == repository,
                col(TrackerEventRow.number) == number,
                col(TrackerEventRow.is_pull_request).is_(False),
            )
            .order_by(col(TrackerEventRow.id).desc())
        )

        def work(session: Session) -> KnownIssue | None:
            row = session.exec(query).first()
            if row is None:
                return None
            return KnownIssue(
                row.number, row.title, row.url, row.issue_type, row.ask_number, row.author
            )

        return await self._db.read(work)

    async def watchers(self, *, repository: str, ask_number: int) -> Sequence[Place]:
        query = (
            select(NotificationRow)
            .where(
                col(NotificationRow.repository) == repository,
                col(NotificationRow.ask_number) == ask_number,
            )
            .order_by(col(NotificationRow.id))
        )

        def work(session: Session) -> list[Place]:
            places = [place_of(row) for row in session.exec(query)]
            return list(dict.fromkeys(places))

        return await self._db.read(work)

    # --- the delivery worker's side (not part of the port) -----------------

    async def claim_due(self, *, limit: int, lease_seconds: float) -> Sequence[Pending]:
        def work(session: Session) -> list[Pending]:
            now = utc_now()
            until = now + timedelta(seconds=lease_seconds)
            candidates = session.exec(
                select(col(NotificationRow.id))
                .where(_claimable(now))
                .order_by(col(NotificationRow.next_attempt_at), col(NotificationRow.id))
                .limit(limit)
            ).all()
            ids = [row_id for row_id in candidates if row_id is not None]
            claimed = [row_id for row_id in ids if _lease(session, row_id, now, until)]
            return [_pending(session.get_one(NotificationRow, row_id)) for row_id in claimed]

        return await self._db.run(work)

    async def mark_sent(self, *, row_id: int) -> None:
        await self._finish(row_id, status=SENT, sent_at=utc_now(), lease_until=None)

    async def mark_failed(self, *, row_id: int, error: str) -> None:
        await self._finish(row_id, status=FAILED, last_error=error[:2000], lease_until=None)

    async def retry_at(self, *, row_id: int, at: datetime, error: str) -> None:
        """Count the attempt and free the row for another try at `at`."""
        values = {"next_attempt_at": at, "last_error": error[:2000], "lease_until": None}
        await self._finish(row_id, attempts=NotificationRow.attempts + 1, **values)

    async def _finish(self, row_id: int, **values: object) -> None:
        statement = (
            update(NotificationRow).where(col(NotificationRow.id) == row_id).values(**values)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def counts(self) -> dict[str, int]:
        """Rows per status (for tests and the readiness page)."""
        rows = await self._db.read(
            lambda session: list(session.exec(select(NotificationRow.status)))
        )
        found: dict[str, int] = {}
        for status in rows:
            found[status] = found.get(status, 0) + 1
        return found


def _insert_event(session: Session, event: TrackerEvent, ask_number: int | None) -> bool:
    kind = issue_type(event.issue)
    values = {
        "delivery": event.delivery,
        "kind": event.kind.value,
        "repository": event.repository,
        "number": event.issue.number,
        "issue_type": kind.value if kind else "",
        "ask_number": ask_number,
        "label": event.label,
        "actor": event.actor,
        "title": event.issue.title,
        "url": event.issue.url,
        "author": event.issue.author,
        "is_pull_request": event.is_pull_request,
        "head_branch": event.head_branch,
        "received_at": utc_now(),
    }
    statement = insert_into(session, TrackerEventRow).values(**values)
    inserted = statement.on_conflict_do_nothing(index_elements=["delivery"])
    return session.exec(inserted.returning(TrackerEventRow.id)).first() is not None


def _insert_notification(session: Session, event: TrackerEvent, delivery: Delivery) -> None:
    now = utc_now()
    values = {
        "dedupe_key": delivery.key,
        "delivery": event.delivery,
        "rule": delivery.rule,
        "repository": event.repository,
        "ask_number": delivery.ask_number,
        **place_columns(delivery.place),
        "text": delivery.text,
        "choices": to_json([[c.label, c.value, c.url] for c in delivery.choices]),
        "status": PENDING,
        "attempts": 0,
        "last_error": "",
        "created_at": now,
        "next_attempt_at": now,
    }
    statement = insert_into(session, NotificationRow).values(**values)
    session.exec(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]))


def _claimable(now: datetime) -> ColumnElement[bool]:
    lease = col(NotificationRow.lease_until)
    due = col(NotificationRow.next_attempt_at) <= now
    return (col(NotificationRow.status) == PENDING) & due & or_(lease.is_(None), lease < now)


def _lease(session: Session, row_id: int, now: datetime, until: datetime) -> bool:
    statement = (
        update(NotificationRow)
        .where(col(NotificationRow.id) == row_id, _claimable(now))
        .values(lease_until=until)
    )
    return bool(session.exec(statement).rowcount)


def _pending(row: NotificationRow) -> Pending:
    choices = tuple(Choice(label, value, url) for label, value, url in from_json(row.choices))
    return Pending(row.id or 0, row.dedupe_key, place_of(row), row.text, choices, row.attempts)


class SqlPollCursors:
    """The poller's ETag and position per listing, so a restart neither repeats nor skips."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, key: str) -> tuple[str, int]:
        row = await self._db.read(lambda session: session.get(PollCursorRow, key))
        return (row.etag, row.position) if row else ("", 0)

    async def put(self, *, key: str, etag: str, position: int) -> None:
        def work(session: Session) -> None:
            values = {"key": key, "etag": etag, "position": position, "updated_at": utc_now()}
            statement = insert_into(session, PollCursorRow).values(**values)
            changes = {"etag": etag, "position": position, "updated_at": values["updated_at"]}
            session.exec(statement.on_conflict_do_update(index_elements=["key"], set_=changes))

        await self._db.run(work)
