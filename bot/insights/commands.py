"""`stats [owner/repo] [30d|90d|quarter|all]`: the measures, shown to the whole channel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.commands import Command, Commands, Request
from bot.digest import schedule as s
from bot.digest.commands import schedule_line, zone_for
from bot.digest.model import WEEKLY, Clock, Days, Schedule, Subscription
from bot.digest.ports import SubscriptionStore
from bot.insights import periods
from bot.insights import texts as t
from bot.insights.ports import Visibility
from bot.insights.service import InsightsService
from bot.insights.weekly import INSIGHTS
from bot.permissions.model import ANYONE, READ, WRITE, Need
from bot.render.user_text import shown
from bot.repositories.references import named_repository
from bot.types import Reply, Say

Listener = Callable[[str], Awaitable[None]]


class InsightsCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        service: InsightsService,
        visibility: Visibility,
        subscriptions: SubscriptionStore,
        clock: Clock,
        default_zone: str = "UTC",
    ) -> None:
        self._commands = commands
        self._service = service
        self._visibility = visibility
        self._subscriptions = subscriptions
        self._clock = clock
        self._default_zone = default_zone
        self.listeners: list[Listener] = []
        """Told the key of a subscription that changed (the scheduler registers one)."""

    def register(self) -> None:
        self._commands.register(
            Command("stats", t.STATS_USAGE, t.STATS_SUMMARY, self.stats, READ, named_repository)
        )
        self._commands.register(
            Command("insights", t.INSIGHTS_USAGE, t.INSIGHTS_SUMMARY, self.insights, insights_needs)
        )

    async def stats(self, request: Request) -> list[Reply]:
        """`request.repository` is the one named (checked as served and readable by the
        gate), else the channel's."""
        words = request.args.split()
        if words and named_repository(words[0]) is not None:
            words = words[1:]
        if len(words) > 1 or (words and words[0].casefold() not in periods.NAMES):
            return [Say(t.BAD_WORD.format(word=shown(" ".join(words))))]
        repository = request.repository
        if not await self._visibility.may_show(repository=repository, place=request.place):
            return [Say(t.NOT_SHOWN_HERE.format(repository=repository))]
        return [await self._service.shown(repository, words[0] if words else periods.DEFAULT)]

    async def insights(self, request: Request) -> list[Reply]:
        word, *rest = request.args.split() or ["help"]
        if word.casefold() == "weekly":
            return [await self.weekly(request, rest)]
        if word.casefold() == "off":
            return [await self.off(request)]
        prefix = "" if word == "help" else t.BAD_WORD.format(word=shown(word)) + "\n"
        return [Say(prefix + t.INSIGHTS_HELP)]

    async def weekly(self, request: Request, words: list[str]) -> Say:
        """`weekly monday 09:00 [zone]`: the digest's schedule words, with the day first."""
        day = words[0].casefold() if words else ""
        if day not in WEEKLY:
            return Say(t.INSIGHTS_NEED_DAY)
        parsed = s.parse_schedule(words[1:], zone_for(request, self._default_zone))
        if isinstance(parsed, s.BadSchedule):
            return Say(parsed.message)
        schedule, now = replace(parsed, days=Days(day)), self._clock()
        wanted = Subscription(request.place.channel, schedule, schedule_since=now, kind=INSIGHTS)
        current = await self._subscriptions.get(key=wanted.key)
        if current is not None:
            wanted = current.changed(schedule=schedule, schedule_since=now)
        saved = await self._subscriptions.save(subscription=wanted)
        await self._changed(saved.key)
        return Say(schedule_line(t.INSIGHTS_SUBSCRIBED, schedule, now))

    async def off(self, request: Request) -> Say:
        key = Subscription(request.place.channel, Schedule(0, 0), kind=INSIGHTS).key
        if not await self._subscriptions.delete(key=key):
            return Say(t.INSIGHTS_NOT_SUBSCRIBED)
        await self._changed(key)
        return Say(t.INSIGHTS_UNSUBSCRIBED)

    async def _changed(self, key: str) -> None:
        for listener in self.listeners:
            await listener(key)


async def insights_needs(request: Request) -> Need:
    """Changing what a channel receives needs write access to its repository, as `digest`."""
    word = (request.args.split() or ["help"])[0].casefold()
    return WRITE if word in ("weekly", "off") else ANYONE
