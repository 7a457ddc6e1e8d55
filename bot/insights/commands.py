"""`stats [owner/repo] [30d|90d|quarter|all]`: the measures, shown to the whole channel."""

from __future__ import annotations

from bot.commands import Command, Commands, Request
from bot.insights import periods
from bot.insights import texts as t
from bot.insights.ports import Visibility
from bot.insights.service import InsightsService
from bot.permissions.model import READ
from bot.render.user_text import shown
from bot.repositories.references import named_repository
from bot.types import Reply, Say


class InsightsCommands:
    def __init__(
        self, *, commands: Commands, service: InsightsService, visibility: Visibility
    ) -> None:
        self._commands = commands
        self._service = service
        self._visibility = visibility

    def register(self) -> None:
        self._commands.register(
            Command("stats", t.STATS_USAGE, t.STATS_SUMMARY, self.stats, READ, named_repository)
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
