"""Insights for a repository and period: its stored history, measured, in words and a picture.

The first time a repository is asked about and its history was never read
to the end, a backfill starts in the background (once per process): the
answer says so, and the next `stats` has the numbers.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.background import Background
from bot.insights import periods
from bot.insights import texts as t
from bot.insights.backfill import Backfill
from bot.insights.chart import draw
from bot.insights.measures import measure
from bot.insights.model import Insights, Window
from bot.insights.ports import HistoryStore
from bot.insights.render import changes, lines, period_name
from bot.types import Say, ShowChart

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Painter = Callable[[Insights], bytes]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
WEEK = timedelta(weeks=1)


class InsightsService:
    def __init__(
        self,
        *,
        store: HistoryStore,
        backfill: Backfill,
        clock: Clock,
        painter: Painter = draw,
    ) -> None:
        self._store = store
        self._backfill = backfill
        self._clock = clock
        self._painter = painter
        self._background = Background()
        self._started: set[str] = set()

    async def insights(self, repository: str, period: str = periods.DEFAULT) -> Insights | None:
        """None when the period names no window."""
        history = await self._store.history(repository=repository)
        window = periods.window(period, self._clock(), history.earliest)
        return None if window is None else measure(history, window)

    async def shown(self, repository: str, period: str = periods.DEFAULT) -> ShowChart | Say:
        """The numbers and their chart; or, with no history yet, a line saying it is coming."""
        await self.backfill_once(repository)
        found = await self.insights(repository, period)
        if found is None:
            return Say(t.BAD_WORD.format(word=period))
        if found.earliest is None:
            return await self._no_history(repository)
        image = await asyncio.to_thread(self._painter, found)  # CPU work off the event loop
        return chart_reply(found, image)

    async def weekly(self, repository: str, now: datetime) -> ShowChart | Say:
        """The default period's numbers and chart, led by this week against the one before."""
        history = await self._store.history(repository=repository)
        window = periods.window(periods.DEFAULT, now, history.earliest)
        if history.earliest is None or window is None:
            await self.backfill_once(repository)
            return await self._no_history(repository)
        this = measure(history, Window(now - WEEK, now, "7d"))
        last = measure(history, Window(now - 2 * WEEK, now - WEEK, "7d"))
        found = measure(history, window)
        image = await asyncio.to_thread(self._painter, found)
        return chart_reply(found, image, lead=changes(this, last))

    async def summaries(self, repositories: Sequence[str]) -> list[str]:
        """The last 90 days of each repository, in lines (a person's App Home): no picture,
        and no backfill started by merely opening a tab."""
        found = [await self.insights(name, periods.DEFAULT) for name in repositories]
        return ["\n".join(lines(i)) for i in found if i is not None and i.earliest is not None]

    async def _no_history(self, repository: str) -> Say:
        if not await self._backfill.readable(repository):
            return Say(t.NO_GITHUB.format(repository=repository))
        return Say(t.NO_HISTORY.format(repository=repository))

    async def backfill_once(self, repository: str) -> None:
        """Start reading the history in the background unless it was read to the end."""
        key = repository.casefold()
        if key in self._started or not await self._backfill.needed(repository):
            return
        if not await self._backfill.readable(repository):
            return
        self._started.add(key)
        self._background.spawn(self._run_backfill(repository), name=f"backfill {repository}")

    async def _run_backfill(self, repository: str) -> None:
        try:
            done = await self._backfill.run(repository)
            log.info("backfill of %s: %d pages, %d new events", repository, done.pages, done.added)
        except Exception as error:  # retried the next time someone asks
            self._started.discard(repository.casefold())
            log.warning("backfill of %s failed: %s", repository, error)

    async def drain(self) -> None:
        await self._background.drain()


def chart_reply(insights: Insights, image: bytes, lead: str = "") -> ShowChart:
    period = period_name(insights)
    name = _UNSAFE.sub("-", f"dslp-insights-{insights.repository}-{insights.window.name}")
    return ShowChart(
        text="\n".join(filter(None, [lead, *lines(insights)])),
        image=image,
        name=f"{name}.png",
        alt=t.CHART_ALT.format(repository=insights.repository, period=period),
    )
