"""`branches on|off`: whether new linked work gets its DSLP branch in this channel's repository."""

from __future__ import annotations

from bot.commands import Command, Commands, Request
from bot.mentions import untrusted
from bot.permissions.model import WRITE
from bot.playbook.ports import PlaybookStore
from bot.repositories.references import named_repository
from bot.texts import playbook as t
from bot.types import Reply, Say


class PlaybookCommands:
    def __init__(self, *, commands: Commands, store: PlaybookStore, repository: str) -> None:
        """`repository`: the default, for a request no locator resolved (the console)."""
        self._commands = commands
        self._store = store
        self._repository = repository

    def register(self) -> None:
        self._commands.register(
            Command(
                "branches",
                t.BRANCHES_USAGE,
                t.BRANCHES_SUMMARY,
                self.branches,
                WRITE,
                named_repository,
            )
        )

    async def branches(self, request: Request) -> list[Reply]:
        repository = request.repository or self._repository
        words = request.args.split()
        word = next((w for w in words if "/" not in w), "").casefold()
        if not word:
            on = await self._store.branches_on(repository=repository)
            state = t.ON if on else t.OFF
            return [Say(t.BRANCHES_STATE.format(repository=repository, state=state))]
        if word not in (t.ON, t.OFF):
            return [Say(t.BRANCHES_BAD.format(word=untrusted(word[:40])))]
        on = word == t.ON
        changed = await self._store.set_branches(
            repository=repository, on=on, by=request.person.key
        )
        if on:
            text = t.BRANCHES_ON if changed else t.BRANCHES_ALREADY_ON
        else:
            text = t.BRANCHES_OFF if changed else t.BRANCHES_ALREADY_OFF
        return [Say(text.format(repository=repository))]
