"""An issue tracker kept in our own database, for use without GitHub.

It implements bot.ports.Tracker with GitHub's habits (numbers from 1 up,
case-insensitive labels, open/closed states) so the core cannot tell the
two apart, and mirrors every issue to a Markdown file people can read.

Each change writes the page inside the same transaction, after the row is
locked, so pages of one issue are written in the order the changes commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.ports import TrackerError
from bot.texts import tracker as t
from bot.types import Issue, LabelSpec
from storage.database import Database, insert_into
from storage.local_pages import page_path, render_page, write_page
from storage.tables import LocalCommentRow, LocalIssueRow, LocalLabelRow
from storage.values import from_json, to_json, utc_now

REPOSITORY = "local"
AUTHOR = "dslp-bot"
DEFAULT_LABEL_COLOR = "ededed"
STATES = ("open", "closed")
# Concurrent creates race for the next number; the loser retries with a new one.
NUMBER_ATTEMPTS = 20

# What users may read when a TrackerError reaches them.

Change = Callable[[LocalIssueRow], None]


class LocalTracker:
    def __init__(self, db: Database, issues_dir: Path) -> None:
        self._db = db
        self._dir = issues_dir.resolve()

    @property
    def repository(self) -> str:
        return REPOSITORY

    async def create_issue(
        self, *, title: str, body: str, labels: Sequence[str], marker: str
    ) -> Issue:
        existing = await self.find_by_marker(marker=marker)
        if existing is not None:
            return existing
        for _ in range(NUMBER_ATTEMPTS):
            with suppress(IntegrityError):
                return await self._db.run(lambda s: self._insert(s, title, body, list(labels)))
        raise TrackerError(t.LOCAL_TOO_BUSY)

    async def find_by_marker(self, *, marker: str) -> Issue | None:
        """The oldest issue whose body holds the marker, compared case-sensitively.

        LIKE narrows the search; the exact check in Python is there because
        SQLite's LIKE ignores case and PostgreSQL's does not.
        """
        query = (
            select(LocalIssueRow)
            .where(col(LocalIssueRow.body).contains(marker, autoescape=True))
            .order_by(col(LocalIssueRow.number))
        )
        rows = await self._db.run(lambda s: list(s.exec(query)))
        return next((self._issue(row) for row in rows if marker in row.body), None)

    async def get_issue(self, *, number: int) -> Issue | None:
        query = select(LocalIssueRow).where(col(LocalIssueRow.number) == number)
        return await self._db.run(lambda s: self._issue_or_none(s.exec(query).first()))

    async def edit_issue(
        self, *, number: int, body: str | None = None, state: str | None = None
    ) -> Issue:
        if state is not None and state not in STATES:
            raise TrackerError(t.LOCAL_UNKNOWN_STATE.format(state=state), retryable=False)
        return await self._change(number, lambda row: _edit(row, body, state))

    async def add_labels(self, *, number: int, labels: Sequence[str]) -> Issue:
        def work(session: Session) -> Issue:
            _remember_labels(session, labels)
            return self._apply(session, number, lambda row: _add_labels(row, labels))

        return await self._db.run(work)

    async def remove_label(self, *, number: int, label: str) -> Issue:
        return await self._change(number, lambda row: _remove_label(row, label))

    async def comment(self, *, number: int, body: str) -> None:
        def work(session: Session) -> Issue:
            comment = LocalCommentRow(
                issue_number=number, author=AUTHOR, body=body, created_at=utc_now()
            )
            return self._apply(session, number, lambda _row: session.add(comment))

        await self._db.run(work)

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open", since: datetime | None = None
    ) -> Sequence[Issue]:
        """Newest first, like GitHub; every given label must be on the issue."""
        if state not in (*STATES, "all"):
            raise TrackerError(t.LOCAL_UNKNOWN_STATE.format(state=state), retryable=False)
        query = select(LocalIssueRow).order_by(col(LocalIssueRow.number).desc())
        if state != "all":
            query = query.where(col(LocalIssueRow.state) == state)
        if since is not None:
            query = query.where(col(LocalIssueRow.updated_at) >= since)
        wanted = {label.casefold() for label in labels}
        rows = await self._db.run(lambda s: list(s.exec(query)))
        return [self._issue(row) for row in rows if wanted <= _folded(_labels(row))]

    async def ensure_labels(self, *, labels: Sequence[LabelSpec]) -> Sequence[str]:
        """Adds unseen labels and updates changed colours; returns the names it touched."""

        def work(session: Session) -> list[str]:
            return [spec.name for spec in labels if _ensure_label(session, spec)]

        return await self._db.run(work)

    async def can_label(self) -> bool:
        return True

    async def is_private(self) -> bool:
        """Issues on this machine: whoever can read them here can read the database too."""
        return False

    async def _change(self, number: int, change: Change) -> Issue:
        return await self._db.run(lambda s: self._apply(s, number, change))

    def _apply(self, session: Session, number: int, change: Change) -> Issue:
        """Lock the issue row, change it, write its page: one transaction per change."""
        query = select(LocalIssueRow).where(col(LocalIssueRow.number) == number).with_for_update()
        row = session.exec(query).first()
        if row is None:
            raise TrackerError(t.LOCAL_NO_SUCH_ISSUE.format(number=number), retryable=False)
        change(row)
        row.updated_at = utc_now()
        session.add(row)
        return self._publish(session, row)

    def _insert(self, session: Session, title: str, body: str, labels: list[str]) -> Issue:
        number = (session.exec(select(func.max(LocalIssueRow.number))).one() or 0) + 1
        now = utc_now()
        row = LocalIssueRow(
            number=number,
            title=title,
            body=body,
            labels=to_json(_deduplicated(labels)),
            author=AUTHOR,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        _remember_labels(session, labels)
        return self._publish(session, row)

    def _publish(self, session: Session, row: LocalIssueRow) -> Issue:
        session.flush()
        comments = session.exec(
            select(LocalCommentRow)
            .where(col(LocalCommentRow.issue_number) == row.number)
            .order_by(col(LocalCommentRow.id))
        )
        issue = self._issue(row)
        lines = [(c.author, c.created_at, c.body) for c in comments]
        write_page(page_path(self._dir, row.number), render_page(issue, _labels(row), lines))
        return issue

    def _issue(self, row: LocalIssueRow) -> Issue:
        return Issue(
            number=row.number,
            title=row.title,
            body=row.body,
            url=page_path(self._dir, row.number).as_uri(),
            state=row.state,
            labels=frozenset(_labels(row)),
            author=row.author,
            assignees=tuple(from_json(row.assignees)),
            created_at=row.created_at,
            updated_at=row.updated_at,
            closed_at=row.closed_at,
        )

    def _issue_or_none(self, row: LocalIssueRow | None) -> Issue | None:
        return None if row is None else self._issue(row)


def _edit(row: LocalIssueRow, body: str | None, state: str | None) -> None:
    if body is not None:
        row.body = body
    if state is not None and state != row.state:
        row.state = state
        row.closed_at = utc_now() if state == "closed" else None


def _add_labels(row: LocalIssueRow, labels: Sequence[str]) -> None:
    row.labels = to_json(_deduplicated([*_labels(row), *labels]))


def _remove_label(row: LocalIssueRow, label: str) -> None:
    row.labels = to_json([name for name in _labels(row) if name.casefold() != label.casefold()])


def _labels(row: LocalIssueRow) -> list[str]:
    return list(from_json(row.labels))


def _folded(labels: Sequence[str]) -> set[str]:
    return {label.casefold() for label in labels}


def _deduplicated(labels: Sequence[str]) -> list[str]:
    """First spelling wins, compared case-insensitively as GitHub does."""
    seen: dict[str, str] = {}
    for label in labels:
        seen.setdefault(label.casefold(), label)
    return list(seen.values())


def _remember_labels(session: Session, labels: Sequence[str]) -> None:
    """Labels used on an issue exist from then on, as on GitHub.

    Sorted, so two transactions inserting the same labels lock them in the
    same order and cannot deadlock on PostgreSQL.
    """
    for name in sorted(_deduplicated(labels), key=str.casefold):
        session.exec(_insert_label(session, name, DEFAULT_LABEL_COLOR, "").on_conflict_do_nothing())


def _insert_label(session: Session, name: str, color: str, description: str) -> Any:
    values = {"key": name.casefold(), "name": name, "color": color, "description": description}
    return insert_into(session, LocalLabelRow).values(**values)


def _ensure_label(session: Session, spec: LabelSpec) -> bool:
    # RETURNING rather than rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
    insert = _insert_label(session, spec.name, spec.color, spec.description)
    if session.exec(insert.on_conflict_do_nothing().returning(LocalLabelRow.key)).first():
        return True
    row = session.exec(
        select(LocalLabelRow)
        .where(col(LocalLabelRow.key) == spec.name.casefold())
        .with_for_update()
    ).one()
    if (row.color, row.description) == (spec.color, spec.description):
        return False
    row.color, row.description = spec.color, spec.description
    session.add(row)
    return True
