"""Which Slack Events API deliveries were already taken in.

The insert itself is the check: the primary key on `event_id` makes two
concurrent deliveries (two replicas, a retry racing the original) agree on
which one goes ahead, without a read-then-write window.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col

from storage.database import Database, insert_into
from storage.slack_tables import SlackEventRow
from storage.values import utc_now


class SqlSlackEvents:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def first_time(self, *, event_id: str) -> bool:
        """Record `event_id`; True only for the first caller that records it."""

        def work(session: Session) -> bool:
            statement = insert_into(session, SlackEventRow).values(
                event_id=event_id, received_at=utc_now()
            )
            statement = statement.on_conflict_do_nothing(index_elements=["event_id"])
            inserted = session.exec(statement.returning(col(SlackEventRow.event_id)))
            return inserted.first() is not None

        return await self._db.run(work)

    async def forget_older_than(self, *, age: timedelta) -> int:
        """Slack stops retrying after minutes; old ids only take space."""
        cutoff = utc_now() - age

        def work(session: Session) -> int:
            statement = delete(SlackEventRow).where(col(SlackEventRow.received_at) < cutoff)
            return int(session.exec(statement).rowcount)

        return await self._db.run(work)
