"""Reading a repository's whole issue-event history into storage, resumably.

The first run reads every page, saving after each one where to go on, so an
interrupted run (Ctrl-C, a deploy, a rate limit that outlasts the retries)
continues where it stopped. Once a run has reached the end, later runs read
from the newest page and stop at the first page that brings nothing new:
webhooks keep the history current between runs, so that is usually page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.insights.ports import Cursor, EventSource, HistoryStore

Progress = Callable[[int, int | None], None]
"""(pages read, pages in all when GitHub says) after each page."""


def _quiet(_: int, __: int | None) -> None:
    return None


@dataclass(frozen=True)
class Backfilled:
    repository: str
    pages: int
    added: int
    earliest: datetime | None


class Backfill:
    def __init__(self, *, source: EventSource, store: HistoryStore) -> None:
        self._source = source
        self._store = store

    async def run(self, repository: str, progress: Progress = _quiet) -> Backfilled:
        """Raises TrackerError when GitHub fails; what was read before is kept."""
        cursor = await self._store.cursor(repository=repository)
        number = cursor.page if not cursor.complete else 1
        pages = added = 0
        total: int | None = None
        while True:
            page = await self._source.page(repository=repository, number=number)
            new = await self._store.record(
                repository=repository, issues=page.issues, events=page.events
            )
            pages, added = pages + 1, added + new
            done = page.last or (cursor.complete and new == 0)
            await self._store.advance(
                repository=repository,
                cursor=Cursor(1, True) if done else Cursor(number + 1, cursor.complete),
            )
            total = page.total_pages or total  # the last page names no `last` page
            progress(pages, total and max(total - cursor.page + 1, pages))
            if done:
                break
            number += 1
        history = await self._store.history(repository=repository)
        return Backfilled(repository, pages, added, history.earliest)

    async def needed(self, repository: str) -> bool:
        """Whether this repository has never been read to the end (the background backfill)."""
        return not (await self._store.cursor(repository=repository)).complete

    async def readable(self, repository: str) -> bool:
        return await self._source.readable(repository=repository)
