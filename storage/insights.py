"""The issue-event history in SQL (bot.insights.ports.HistoryStore)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from bot.dslp import IssueType
from bot.insights.model import History, HistoryEvent, HistoryIssue, Kind
from bot.insights.ports import Cursor
from storage.database import Database, insert_into
from storage.insights_tables import InsightCursorRow, InsightEventRow, InsightIssueRow
from storage.values import utc_now

_KINDS = {kind.value: kind for kind in IssueType}


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
            for issue in {issue.number: issue for issue in issues}.values():
                values = _issue_values(issue)
                statement = insert_into(session, InsightIssueRow).values(
                    repository=_key(repository), number=issue.number, **values
                )
                session.exec(
                    statement.on_conflict_do_update(
                        index_elements=["repository", "number"], set_=values
                    )
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
        def work(session: Session) -> History:
            issues = session.exec(
                select(InsightIssueRow).where(col(InsightIssueRow.repository) == _key(repository))
            )
            events = session.exec(
                select(InsightEventRow).where(col(InsightEventRow.repository) == _key(repository))
            )
            return History.of(
                repository, [_issue(row) for row in issues], [_event(row) for row in events]
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


def _issue(row: InsightIssueRow) -> HistoryIssue:
    kind = _KINDS.get(row.kind)
    return HistoryIssue(row.number, row.title, row.created_at, kind, row.ask, row.experiment)


def _event(row: InsightEventRow) -> HistoryEvent:
    return HistoryEvent(row.key, row.number, Kind(row.kind), row.at, row.label, row.reason)
