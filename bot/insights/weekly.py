"""The weekly insights post: the `stats` picture for the channel's repository, with what
changed since last week. It runs on the digest's machinery (a subscription of kind
`insights`, its schedule, its once-per-run claim and the durable outbox), so it posts
exactly once a week across restarts and replicas."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.digest.model import Thresholds
from bot.insights import texts as t
from bot.insights.ports import Visibility
from bot.insights.service import InsightsService
from bot.types import Place, Reply, Say

INSIGHTS = "insights"
WEEK = timedelta(weeks=1)
Home = Callable[[Place], Awaitable[str]]


class WeeklyPost:
    """A `PostBuilder` (bot.digest.ports) for `DigestRunner`."""

    def __init__(self, *, service: InsightsService, home: Home, visibility: Visibility) -> None:
        self._service = service
        self._home = home
        self._visibility = visibility

    async def build(
        self, *, place: Place, thresholds: Thresholds, now: datetime, post_empty: bool = True
    ) -> list[Reply]:
        """Thresholds belong to digests; a weekly post always says something."""
        repository = await self._home(place)
        if not await self._visibility.may_show(repository=repository, place=place):
            return [Say(t.NOT_SHOWN_HERE.format(repository=repository))]
        return [await self._service.weekly(repository, now)]
