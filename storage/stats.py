"""Queue depths and ages for /metrics, read in one short read-only unit at scrape time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.types import Stage
from storage.database import Database
from storage.digest_tables import DigestRunRow
from storage.inbox_tables import InboxRow
from storage.lifecycle_tables import PENDING, NotificationRow
from storage.tables import DraftRow
from storage.values import utc_now


@dataclass(frozen=True)
class Backlog:
    outbox_depth: int
    outbox_oldest_seconds: float
    inbox_waiting: int
    filings_waiting: int
    digest_runs: dict[str, int] = field(default_factory=dict)


class SqlStats:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def backlog(self) -> Backlog:
        return await self._db.read(_backlog)


def _backlog(session: Session) -> Backlog:
    pending = col(NotificationRow.status) == PENDING
    depth = session.exec(select(func.count()).select_from(NotificationRow).where(pending)).one()
    oldest = session.exec(select(func.min(NotificationRow.created_at)).where(pending)).one()
    waiting = session.exec(
        select(func.count()).select_from(InboxRow).where(col(InboxRow.processed_at).is_(None))
    ).one()
    submitting = col(DraftRow.stage) == Stage.SUBMITTING.value
    filings = session.exec(select(func.count()).select_from(DraftRow).where(submitting)).one()
    runs = session.exec(
        select(DigestRunRow.status, func.count()).group_by(col(DigestRunRow.status))
    ).all()
    return Backlog(int(depth), _age(oldest), int(waiting), int(filings), dict(runs))


def _age(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=utc_now().tzinfo)
    return max(0.0, (utc_now() - moment).total_seconds())
