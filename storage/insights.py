"""The issue-event history in SQL (bot.insights.ports.HistoryStore)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from bot.dslp import IssueType
from bot.insights.model import History, HistoryEvent, HistoryIssue, Kind
from bot.insights.ports import Cursor
from storage.database import Database, insert_into
from storage.insights_tables import InsightCursorRow, InsightEventRow, InsightIssueRow
from storage.values import utc_now

_KINDS = {kind.value: kind for kind in IssueType}
_EVENT_KINDS = {kind.value: kind for kind in Kind}


def _key(repository: str) -> str:
    """Repository names are case-insensitive on GitHub: `Octo/DSLP` is `octo/dslp`."""
    return repository.casefold()


class SqlHistory:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self, *, repository: str, issues: Sequence[HistoryIssue], events: Sequence[HistoryEvent]
    ) -> int:
        """One transaction; an issue seen again is updated (its labels and links may have
        changed), an event seen again is left as it was."""

        def work(session: Session) -> int:
            seen = [
                {"repository": _key(repository), "number": issue.number, **_issue_values(issue)}
                for issue in {issue.number: issue for issue in issues}.values()
            ]
            if seen:  # one statement for the batch: a backlog's issues are thousands of rows
                statement = insert_into(session, InsightIssueRow).values(seen)
                changed = {name: statement.excluded[name] for name in seen[0] if name not in _KEY}
                session.exec(
                    statement.on_conflict_do_update(index_elements=list(_KEY), set_=changed)
                )
            unique = {event.key: event for event in events}.values()
            rows = [{"repository": _key(repository), **_event_values(e)} for e in unique]
            if not rows:
                return 0
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
            statement = insert_into(session, InsightEventRow).values(rows)
            added = statement.on_conflict_do_nothing().returning(col(InsightEventRow.key))
            return len(session.exec(added).all())

        return await self._db.run(work)

    async def history(self, *, repository: str) -> History:
        """Columns, not ORM objects: 100,000 events load in a fraction of the time."""
        key = _key(repository)

        def work(session: Session) -> History:
            issues = session.exec(
                # sqlmodel types select() for up to four columns; six work the same
                select(*_ISSUE_COLUMNS).where(col(InsightIssueRow.repository) == key)  # type: ignore[call-overload]
            )
            events = session.exec(
                select(*_EVENT_COLUMNS).where(col(InsightEventRow.repository) == key)  # type: ignore[call-overload]
            )
            return History.of(
                repository, [_issue(*row) for row in issues], [_event(*row) for row in events]
            )

        return await self._db.read(work)

    async def cursor(self, *, repository: str) -> Cursor:
        row = await self._db.read(lambda session: session.get(InsightCursorRow, _key(repository)))
        return Cursor(row.page, row.complete) if row else Cursor()

    async def advance(self, *, repository: str, cursor: Cursor) -> None:
        def work(session: Session) -> None:
            values = {"page": cursor.page, "complete": cursor.complete, "updated_at": utc_now()}
            statement = insert_into(session, InsightCursorRow).values(
                repository=_key(repository), **values
            )
            session.exec(
                statement.on_conflict_do_update(index_elements=["repository"], set_=values)
            )

        await self._db.run(work)


_KEY = ("repository", "number")
"""What identifies an issue's row; an issue seen again updates everything else."""


def _issue_values(issue: HistoryIssue) -> dict[str, object]:
    return {
        "title": issue.title,
        "kind": issue.kind.value if issue.kind else "",
        "ask": issue.ask,
        "experiment": issue.experiment,
        "created_at": issue.created_at,
    }


def _event_values(event: HistoryEvent) -> dict[str, object]:
    return {
        "key": event.key,
        "number": event.number,
        "kind": event.kind.value,
        "label": event.label,
        "reason": event.reason,
        "at": event.at,
    }


_ISSUE_COLUMNS = (
    col(InsightIssueRow.number),
    col(InsightIssueRow.title),
    col(InsightIssueRow.created_at),
    col(InsightIssueRow.kind),
    col(InsightIssueRow.ask),
    col(InsightIssueRow.experiment),
)
_EVENT_COLUMNS = (
    col(InsightEventRow.key),
    col(InsightEventRow.number),
    col(InsightEventRow.kind),
    col(InsightEventRow.at),
    col(InsightEventRow.label),
    col(InsightEventRow.reason),
)


def _issue(
    number: int, title: str, created: datetime, kind: str, ask: int | None, experiment: int | None
) -> HistoryIssue:
    return HistoryIssue(number, title, created, _KINDS.get(kind), ask, experiment)


def _event(key: str, number: int, kind: str, at: datetime, label: str, reason: str) -> HistoryEvent:
    return HistoryEvent(key, number, _EVENT_KINDS[kind], at, label, reason)
