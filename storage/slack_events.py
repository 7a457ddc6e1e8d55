"""Which Slack deliveries were already taken in: Events API event ids and signed requests.

The insert itself is the check: the primary key makes two concurrent
deliveries (two replicas, a retry racing the original, a replayed copy
racing the request it copies) agree on which one goes ahead, without a
read-then-write window. Event ids and request keys (`request:<sha256>`,
see adapters/slack/signing.py) share the table; each kind is forgotten
after its own time.
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

    async def first_time(self, *, key: str) -> bool:
        """Record `key`; True only for the first caller that records it."""

        def work(session: Session) -> bool:
            statement = insert_into(session, SlackEventRow).values(
                event_id=key, received_at=utc_now()
            )
            statement = statement.on_conflict_do_nothing(index_elements=["event_id"])
            inserted = session.exec(statement.returning(col(SlackEventRow.event_id)))
            return inserted.first() is not None

        return await self._db.run(work)

    async def forget_older_than(self, *, age: timedelta, prefix: str = "") -> int:
        """Slack stops retrying after minutes, and refuses its signatures after five:
        old keys (only those starting with `prefix`, when given) just take space."""
        cutoff = utc_now() - age
        statement = delete(SlackEventRow).where(col(SlackEventRow.received_at) < cutoff)
        if prefix:
            statement = statement.where(col(SlackEventRow.event_id).startswith(prefix))

        def work(session: Session) -> int:
            return int(session.exec(statement).rowcount)

        return await self._db.run(work)
