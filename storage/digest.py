"""Digest subscriptions, snoozes and runs in SQL (bot.digest.ports).

Claiming a run is an INSERT that only one caller can win (the UNIQUE key on
subscription and local date). A claimer that dies mid-run leaves a row in
`claimed`; after the lease another replica may take it over with a
conditional UPDATE, so a crash costs a late digest, never a doubled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select, update

from bot.digest.model import Days, Schedule, Snooze, Subscription, Thresholds
from bot.types import Place
from storage.database import Database, insert_into
from storage.digest_tables import DigestRunRow, DigestSnoozeRow, DigestSubscriptionRow
from storage.values import LEGACY_SCOPE, from_json, org_of, to_json, utc_now

CLAIMED = "claimed"
SKIPPED = "skipped"


class SqlSubscriptionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, *, key: str) -> Subscription | None:
        query = select(DigestSubscriptionRow).where(col(DigestSubscriptionRow.key) == key)
        return await self._db.run(lambda s: _maybe(s.exec(query).first()))

    async def all(self) -> Sequence[Subscription]:
        """Every live scope's; `legacy` rows (see storage.values.LEGACY_SCOPE) never run."""
        query = (
            select(DigestSubscriptionRow)
            .where(col(DigestSubscriptionRow.scope) != LEGACY_SCOPE)
            .order_by(col(DigestSubscriptionRow.id))
        )
        return await self._db.run(lambda s: [_subscription(row) for row in s.exec(query)])

    async def save(self, *, subscription: Subscription) -> Subscription:
        """Upsert on the place key, so two replicas subscribing one channel make one row."""

        def work(session: Session) -> Subscription:
            now = utc_now()
            values = _columns(subscription) | {"updated_at": now}
            statement = insert_into(session, DigestSubscriptionRow).values(**values, created_at=now)
            session.exec(statement.on_conflict_do_update(index_elements=["key"], set_=values))
            query = select(DigestSubscriptionRow).where(
                col(DigestSubscriptionRow.key) == subscription.key
            )
            return _subscription(session.exec(query).one())

        return await self._db.run(work)

    async def delete(self, *, key: str) -> bool:
        statement = delete(DigestSubscriptionRow).where(col(DigestSubscriptionRow.key) == key)
        return await self._db.run(lambda s: s.exec(statement).rowcount > 0)


class SqlSnoozeStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def snooze(
        self, *, key: str, repository: str, number: int, at: datetime, until: datetime
    ) -> None:
        """Snoozing again restarts the snooze; repositories are kept as GitHub compares them."""

        def work(session: Session) -> None:
            values = {"snoozed_at": at, "until": until}
            statement = insert_into(session, DigestSnoozeRow).values(
                key=key, repository=repository.casefold(), issue_number=number, **values
            )
            session.exec(
                statement.on_conflict_do_update(
                    index_elements=["key", "repository", "issue_number"], set_=values
                )
            )

        await self._db.run(work)

    async def active(self, *, key: str, now: datetime) -> Sequence[Snooze]:
        query = select(DigestSnoozeRow).where(
            col(DigestSnoozeRow.key) == key, col(DigestSnoozeRow.until) > now
        )
        return await self._db.run(
            lambda s: [
                Snooze(r.issue_number, r.snoozed_at, r.until, r.repository) for r in s.exec(query)
            ]
        )


class SqlRunStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self, *, subscription_id: int, day: date, now: datetime, lease_seconds: float
    ) -> bool:
        def work(session: Session) -> bool:
            if _insert_run(session, subscription_id, day, now, CLAIMED):
                return True
            expired = now - timedelta(seconds=lease_seconds)
            takeover = (
                update(DigestRunRow)
                .where(
                    *_run(subscription_id, day),
                    col(DigestRunRow.status) == CLAIMED,
                    col(DigestRunRow.claimed_at) < expired,
                )
                .values(claimed_at=now, attempts=DigestRunRow.attempts + 1)
            )
            return bool(session.exec(takeover).rowcount == 1)

        return await self._db.run(work)

    async def finish(
        self, *, subscription_id: int, day: date, status: str, now: datetime, detail: str = ""
    ) -> None:
        statement = (
            update(DigestRunRow)
            .where(*_run(subscription_id, day))
            .values(status=status, finished_at=now, detail=detail)
        )
        await self._db.run(lambda s: s.exec(statement))

    async def skip(self, *, subscription_id: int, day: date, now: datetime) -> bool:
        return await self._db.run(lambda s: _insert_run(s, subscription_id, day, now, SKIPPED))

    async def status(self, *, subscription_id: int, day: date) -> str | None:
        """For tests and operators: what happened to that day's run (not part of the port)."""
        query = select(DigestRunRow.status).where(*_run(subscription_id, day))
        return await self._db.run(lambda s: s.exec(query).first())


def _run(subscription_id: int, day: date) -> tuple[Any, Any]:
    return (
        col(DigestRunRow.subscription_id) == subscription_id,
        col(DigestRunRow.run_date) == day.isoformat(),
    )


def _insert_run(
    session: Session, subscription_id: int, day: date, now: datetime, status: str
) -> bool:
    statement = insert_into(session, DigestRunRow).values(
        subscription_id=subscription_id,
        run_date=day.isoformat(),
        status=status,
        attempts=1,
        detail="",
        claimed_at=now,
    )
    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
    inserted = statement.on_conflict_do_nothing(
        index_elements=["subscription_id", "run_date"]
    ).returning(DigestRunRow.id)
    return session.exec(inserted).first() is not None


def _columns(subscription: Subscription) -> dict[str, Any]:
    place, schedule = subscription.place, subscription.schedule
    return {
        "key": subscription.key,
        "scope": place.scope.key,
        "platform": place.platform,
        "team_id": place.team_id,
        "channel_id": place.channel_id,
        "hour": schedule.hour,
        "minute": schedule.minute,
        "timezone": schedule.timezone,
        "days": schedule.days.value,
        "thresholds": to_json({str(k): v for k, v in subscription.thresholds.days.items()}),
        "post_empty": subscription.post_empty,
        "schedule_since": subscription.schedule_since,
        "kind": subscription.kind,
    }


def _maybe(row: DigestSubscriptionRow | None) -> Subscription | None:
    return None if row is None else _subscription(row)


def _subscription(row: DigestSubscriptionRow) -> Subscription:
    return Subscription(
        place=Place(
            row.platform, row.channel_id, row.team_id, org_id=org_of(row.scope, row.team_id)
        ),
        schedule=Schedule(row.hour, row.minute, row.timezone, Days(row.days)),
        thresholds=Thresholds.from_dict(from_json(row.thresholds)),
        post_empty=row.post_empty,
        schedule_since=row.schedule_since,
        id=row.id,
        kind=row.kind,
    )
