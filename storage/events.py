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
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from bot.lifecycle.audience import Delivery, Recording
from bot.lifecycle.events import KnownIssue, TrackerEvent, issue_type
from bot.lifecycle.summary import Queued
from bot.types import Choice, Place, Reply, Say
from storage.asks import set_phase_in
from storage.database import Database, insert_into
from storage.inbox import finish_all_in
from storage.lifecycle_tables import (
    FAILED,
    PENDING,
    SENT,
    NotificationRow,
    PollCursorRow,
    TrackerEventRow,
)
from storage.replies import replies_from_json, replies_to_json
from storage.values import from_json, place_columns, place_of, to_json, utc_now

BACKGROUND = "background"
"""The `rule` of rows that carry background work's replies rather than a lifecycle notice."""


@dataclass(frozen=True)
class Pending:
    """A notification leased to one worker: where, what, and how often it was tried.

    `claimed_at` is this claim's time, the same for a whole batch: it tells this
    claim from a later one (see `renew`). `unsure_since` is set when an earlier
    claim ended without a recorded outcome (the process died, or a send failed
    in a way that may have posted): the sender looks for the message before
    posting it again. It is the row's creation, not that earlier claim's time:
    a message may have gone out at any of its earlier claims, never before the
    row existed.
    """

    id: int
    key: str
    place: Place
    replies: tuple[Reply, ...]
    attempts: int
    unsure_since: datetime | None = None
    claimed_at: datetime | None = None


class SqlEventJournal:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def seen(self, *, delivery: str) -> bool:
        query = select(TrackerEventRow.id).where(col(TrackerEventRow.delivery) == delivery)
        return await self._db.read(lambda session: session.exec(query).first() is not None)

    async def seen_among(self, *, deliveries: Sequence[str]) -> set[str]:
        query = select(TrackerEventRow.delivery).where(
            col(TrackerEventRow.delivery).in_(deliveries)
        )
        return await self._db.read(lambda session: set(session.exec(query)))

    async def record(
        self,
        *,
        event: TrackerEvent,
        ask_number: int | None,
        deliveries: Sequence[Delivery],
        phase: str | None = None,
    ) -> bool:
        recording = Recording(event, ask_number, tuple(deliveries), phase)
        try:
            return bool(await self._db.run(lambda session: _record_in(session, [recording])))
        except IntegrityError:
            return False  # the same delivery, recorded by a concurrent request

    async def record_all(self, *, recordings: Sequence[Recording]) -> set[str]:
        """One transaction; an event recorded before (here or by a replica) is skipped whole.

        Any error (a race the conflict clauses do not cover, a bad row) rolls
        back all of them: the caller records them one at a time instead.
        """

        if not recordings:
            return set()
        return await self._db.run(lambda session: _record_in(session, recordings))

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
                select(col(NotificationRow.id), col(NotificationRow.claimed_at))
                .where(_claimable(now))
                .order_by(col(NotificationRow.next_attempt_at), col(NotificationRow.id))
                .limit(limit)
            ).all()
            earlier = {row_id: at for row_id, at in candidates if row_id is not None}
            claimed = [row_id for row_id in earlier if _lease(session, row_id, now, until)]
            rows = [session.get_one(NotificationRow, row_id) for row_id in claimed]
            return [_pending(row, earlier[row.id or 0] is not None, now) for row in rows]

        return await self._db.run(work)

    async def claim_crowded(self, *, more_than: int, lease_seconds: float) -> Crowd | None:
        """All due notifications of one place that has more than `more_than` of them, leased.

        Lifecycle notifications only: background work's replies answer a
        person's own request and are never summed up. Nor is a row an earlier
        claim left unfinished: it may have been posted, so it goes on its own,
        looked for before it is sent again. None when no place is that crowded.
        """

        def work(session: Session) -> Crowd | None:
            now = utc_now()
            due = (
                _claimable(now)
                & (col(NotificationRow.rule) != BACKGROUND)
                & col(NotificationRow.claimed_at).is_(None)
            )
            crowded = session.exec(
                select(*_PLACE).where(due).group_by(*_PLACE).having(func.count() > more_than)
            ).first()
            if crowded is None:
                return None
            same = [column == value for column, value in zip(_PLACE, crowded, strict=True)]
            earlier = dict(
                session.exec(
                    select(col(NotificationRow.id), col(NotificationRow.claimed_at)).where(
                        due, *same
                    )
                ).all()
            )
            until = now + timedelta(seconds=lease_seconds)
            leased = (
                session.exec(
                    update(NotificationRow)
                    .where(col(NotificationRow.id).in_(earlier), _claimable(now))
                    .values(lease_until=until, claimed_at=now)
                    .returning(col(NotificationRow.id))
                )
                .scalars()
                .all()
            )
            return _crowd(session, sorted(leased), earlier, now)

        return await self._db.run(work)

    async def enqueue(self, *, key: str, place: Place, replies: Sequence[Reply]) -> bool:
        """Queue background work's replies once per `key`; False when that key was queued before.

        Idempotent, so work that is retried after a crash can queue its outcome again safely.
        """
        now = utc_now()
        values = {
            "dedupe_key": key,
            "delivery": "",
            "rule": BACKGROUND,
            "repository": "",
            **place_columns(place),
            "text": "",
            "replies": replies_to_json(replies),
            "status": PENDING,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
            "next_attempt_at": now,
        }

        def work(session: Session) -> bool:
            statement = insert_into(session, NotificationRow).values(**values)
            inserted = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
            return session.exec(inserted.returning(NotificationRow.id)).first() is not None

        return await self._db.run(work)

    async def renew(
        self, *, row_ids: Sequence[int], claimed_at: datetime, lease_seconds: float
    ) -> set[int]:
        """Extend the leases of rows still held under the claim made at `claimed_at`.

        Returns the ids still held. A row missing from it was taken by a later
        claim after this one's lease ran out (renewals held up by a busy or
        absent database): its first holder must not send it any more.
        """
        until = utc_now() + timedelta(seconds=lease_seconds)
        statement = (
            update(NotificationRow)
            .where(
                col(NotificationRow.id).in_(row_ids),
                col(NotificationRow.status) == PENDING,
                col(NotificationRow.claimed_at) == claimed_at,
            )
            .values(lease_until=until)
            .returning(col(NotificationRow.id))
        )
        return await self._db.run(lambda session: {row[0] for row in session.exec(statement)})

    async def release(self, *, row_ids: Sequence[int]) -> None:
        """Hand back rows a worker never tried: nothing of theirs was sent, no attempt counts."""
        statement = (
            update(NotificationRow)
            .where(col(NotificationRow.id).in_(row_ids), col(NotificationRow.status) == PENDING)
            .values(lease_until=None, claimed_at=None)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def defer(self, *, place: Place, until: datetime) -> None:
        """Nothing more to `place` before `until` (it answered Retry-After); attempts unchanged.

        In the database rather than in the worker's memory, so replicas hold off too.
        """
        same_place = [getattr(NotificationRow, k) == v for k, v in place_columns(place).items()]
        statement = (
            update(NotificationRow)
            .where(
                col(NotificationRow.status) == PENDING,
                col(NotificationRow.next_attempt_at) < until,
                *same_place,
            )
            .values(next_attempt_at=until)
        )
        await self._db.run(lambda session: session.exec(statement))

    async def mark_all_sent(self, *, row_ids: Sequence[int], ref: str = "") -> None:
        """In one transaction: all the rows a summary covered are sent, or none is."""
        values = {"sent_at": utc_now(), "lease_until": None, "claimed_at": None, "sent_ref": ref}
        await self._finish(*row_ids, status=SENT, **values)

    async def mark_failed(self, *, row_id: int, error: str) -> None:
        await self._finish(row_id, status=FAILED, last_error=error[:2000], lease_until=None)

    async def retry_at(self, *, row_id: int, at: datetime, error: str) -> None:
        """Count the attempt and free the row for another try at `at`.

        `claimed_at` stays: a failed send may still have posted (a timeout after
        Slack took it), so the next attempt looks before it posts.
        """
        values = {"next_attempt_at": at, "last_error": error[:2000], "lease_until": None}
        await self._finish(row_id, attempts=NotificationRow.attempts + 1, **values)

    async def _finish(self, *row_ids: int, **values: object) -> None:
        statement = (
            update(NotificationRow).where(col(NotificationRow.id).in_(row_ids)).values(**values)
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


def _record_in(session: Session, recordings: Sequence[Recording]) -> set[str]:
    """The events, their inbox rows' end, their notifications and the Asks' phases.

    A few statements for the whole batch, each run once with many rows; an
    event recorded before is left out whole (its insert does nothing, and
    only the new events' notifications follow). Returns the new deliveries.
    """
    connection = session.connection()
    now = utc_now()
    events = [_event_values(r.event, r.ask_number, now) for r in recordings]
    inserted = connection.execute(_insert_events(session), events)
    new = set(inserted.scalars().all())
    fresh = [r for r in recordings if r.event.delivery in new]
    finish_all_in(session, [r.event.delivery for r in fresh])
    notifications = [_notification_values(r.event, d, now) for r in fresh for d in r.deliveries]
    if notifications:
        connection.execute(_insert_notifications(session), notifications)
    phases = {
        (r.event.repository, r.ask_number): r.phase
        for r in fresh
        if r.phase is not None and r.ask_number is not None
    }
    for (repository, number), phase in sorted(phases.items()):  # one order: no deadlocks
        set_phase_in(session, repository, number, phase)
    return new


def _insert_events(session: Session) -> Any:
    statement = insert_into(session, TrackerEventRow).on_conflict_do_nothing(
        index_elements=["delivery"]
    )
    return statement.returning(col(TrackerEventRow.delivery))


def _insert_notifications(session: Session) -> Any:
    return insert_into(session, NotificationRow).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )


def _event_values(event: TrackerEvent, ask_number: int | None, now: datetime) -> dict[str, Any]:
    kind = issue_type(event.issue)
    return {
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
        "received_at": now,
    }


def _notification_values(event: TrackerEvent, delivery: Delivery, now: datetime) -> dict[str, Any]:
    return {
        "dedupe_key": delivery.key,
        "delivery": event.delivery,
        "rule": delivery.rule,
        "repository": event.repository,
        "ask_number": delivery.ask_number,
        **place_columns(delivery.place),
        "text": delivery.text,
        "choices": to_json([[c.label, c.value, c.url] for c in delivery.choices]),
        "replies": "",
        "status": PENDING,
        "attempts": 0,
        "last_error": "",
        "created_at": now,
        "next_attempt_at": now,
    }


_PLACE = (
    col(NotificationRow.platform),
    col(NotificationRow.team_id),
    col(NotificationRow.channel_id),
    col(NotificationRow.thread_id),
)


@dataclass(frozen=True)
class Crowd:
    """The notifications waiting for one place, leased together for one summary."""

    place: Place
    pending: tuple[Pending, ...]
    queued: tuple[Queued, ...]


def _crowd(
    session: Session,
    row_ids: Sequence[int],
    earlier: dict[int | None, datetime | None],
    claimed_at: datetime,
) -> Crowd | None:
    """The leased rows with who caused each one's event (from the journal)."""
    if not row_ids:
        return None
    found = session.exec(
        select(NotificationRow, col(TrackerEventRow.actor))
        .join(
            TrackerEventRow,
            col(TrackerEventRow.delivery) == col(NotificationRow.delivery),
            isouter=True,
        )
        .where(col(NotificationRow.id).in_(row_ids))
        .order_by(col(NotificationRow.id))
    ).all()
    pending = tuple(_pending(row, earlier.get(row.id) is not None, claimed_at) for row, _ in found)
    queued = tuple(Queued(row.rule, row.repository, actor or "", row.text) for row, actor in found)
    return Crowd(pending[0].place, pending, queued)


def _claimable(now: datetime) -> ColumnElement[bool]:
    lease = col(NotificationRow.lease_until)
    due = col(NotificationRow.next_attempt_at) <= now
    return (col(NotificationRow.status) == PENDING) & due & or_(lease.is_(None), lease < now)


def _lease(session: Session, row_id: int, now: datetime, until: datetime) -> bool:
    statement = (
        update(NotificationRow)
        .where(col(NotificationRow.id) == row_id, _claimable(now))
        .values(lease_until=until, claimed_at=now)
    )
    return bool(session.exec(statement).rowcount)


def _pending(row: NotificationRow, unsure: bool, claimed_at: datetime) -> Pending:
    return Pending(
        row.id or 0,
        row.dedupe_key,
        place_of(row),
        _replies(row),
        row.attempts,
        row.created_at if unsure else None,
        claimed_at,
    )


def _replies(row: NotificationRow) -> tuple[Reply, ...]:
    if row.replies:
        return replies_from_json(row.replies)
    choices = tuple(Choice(label, value, url) for label, value, url in from_json(row.choices))
    return (Say(row.text, choices),)


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
