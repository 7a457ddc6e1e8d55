"""What the insights need from storage (`storage/insights.py`) and from GitHub."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.insights.model import History, HistoryEvent, HistoryIssue
from bot.types import Place


class HistoryStore(Protocol):
    async def record(
        self, *, repository: str, issues: Sequence[HistoryIssue], events: Sequence[HistoryEvent]
    ) -> int:
        """Store what is new (issues updated, events kept once by key); how many events were."""
        ...

    async def history(self, *, repository: str) -> History: ...

    async def cursor(self, *, repository: str) -> Cursor: ...

    async def advance(self, *, repository: str, cursor: Cursor) -> None: ...


@dataclass(frozen=True)
class Cursor:
    """Where a backfill goes on: the next page of the events listing, and whether one ran
    to the end (after that, webhooks keep the history current)."""

    page: int = 1
    complete: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a repository's issue events, already in the core's terms."""

    issues: tuple[HistoryIssue, ...]
    events: tuple[HistoryEvent, ...]
    last: bool
    total_pages: int | None = None


class EventSource(Protocol):
    """GitHub's repository issue-events listing (adapters/github/history.py)."""

    async def page(self, *, repository: str, number: int) -> Page: ...

    async def readable(self, *, repository: str) -> bool:
        """Whether this repository has a GitHub history to read (the local tracker has none)."""
        ...


class Visibility(Protocol):
    """Whether a repository's numbers may be shown in a place: the rules digests and
    notifications follow (adapters/composition/insights.py)."""

    async def may_show(self, *, repository: str, place: Place) -> bool: ...
