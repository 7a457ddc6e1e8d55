"""Top-level commands: the words after `/dslp` in Slack, or a message in Teams or the console.

Each feature registers its sub-commands here, so adding `data`, `digest` or
`role` later touches no adapter: every platform parses commands the same way.

Mentions in command text: before calling `run` or `message`, each adapter
rewrites its platform's mentions of people and groups into `bot.mentions`
tokens (`mention("slack:T1:U1")`, `mention("slack:T1:group:S1")`,
`mention("teams:<tenant>:<user id>")`), and drops mentions of the bot
itself. Slack: `adapters/slack/mentions_in.tokens_from_slack`. Teams: replace
the text of each `mention` entity (`<at>Name</at>`) with the token of its
`mentioned.id`. Handlers such as `role add` read only tokens (and bare keys).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.conversation.engine import Conversations
from bot.permissions.model import ANYONE, Need
from bot.render.user_text import shown
from bot.texts import commands as t
from bot.types import Person, Place, Reply, Say, frozen_map


@dataclass(frozen=True)
class Request:
    """A command as the core sees it: who, where, and the words after the command name."""

    person: Person
    place: Place
    args: str
    context: Mapping[str, str] = field(default_factory=frozen_map)


Handler = Callable[[Request], Awaitable[list[Reply]]]
NeedFor = Callable[[Request], Awaitable[Need]]


@dataclass(frozen=True)
class Command:
    """A sub-command; `needs` says who may run it (a Need, or one read from the request)."""

    name: str
    usage: str
    summary: str
    handler: Handler
    needs: Need | NeedFor = ANYONE


class Gate(Protocol):
    """Says whether a person may do what a command needs (bot.permissions.service)."""

    async def refusal(self, *, person: Person, need: Need) -> list[Reply]: ...


def split_command(text: str) -> tuple[str, str]:
    """`"/dslp ask Churn"` or `"ask Churn"` -> ("ask", "Churn"); mentions already stripped."""
    word, _, rest = text.strip().partition(" ")
    return word.casefold().lstrip("/"), rest.strip()


class Commands:
    def __init__(self, conversations: Conversations) -> None:
        self.conversations = conversations
        self._gate: Gate | None = None
        self._commands: dict[str, Command] = {}
        self.register(Command("help", t.HELP_USAGE, t.HELP_SUMMARY, self._help))

    def register(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command {command.name!r} registered twice")
        self._commands[command.name] = command

    def guard(self, gate: Gate) -> None:
        """Every command is checked by `gate` before its handler runs (set once, when wired)."""
        self._gate = gate

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._commands)

    async def run(
        self,
        *,
        person: Person,
        place: Place,
        text: str,
        context: Mapping[str, str] | None = None,
    ) -> list[Reply]:
        """A command typed after `/dslp` (or as a chat message outside a draft)."""
        name, args = split_command(text)
        command = self._commands.get(name or "help")
        if command is None:
            return [Say(t.UNKNOWN.format(word=shown(name)) + "\n" + self.usage())]
        request = Request(person, place, args, frozen_map(context))
        return await self._refusal(command, request) or await command.handler(request)

    async def check(self, *, person: Person, place: Place, text: str) -> list[Reply]:
        """The refusal for a command reached another way (a form it opens): [] when allowed."""
        name, args = split_command(text)
        command = self._commands.get(name)
        if command is None:
            return []
        return await self._refusal(command, Request(person, place, args))

    async def _refusal(self, command: Command, request: Request) -> list[Reply]:
        """The one place a command's `needs` is checked."""
        if self._gate is None:
            return []
        need = command.needs if isinstance(command.needs, Need) else await command.needs(request)
        return await self._gate.refusal(person=request.person, need=need)

    async def message(
        self,
        *,
        person: Person,
        place: Place,
        text: str,
        context: Mapping[str, str] | None = None,
    ) -> list[Reply]:
        """A chat message: it answers the open draft if there is one, else it is a command."""
        replies = await self.conversations.reply(person=person, place=place, text=text)
        if replies is not None:
            return replies
        return await self.run(person=person, place=place, text=text, context=context)

    def usage(self) -> str:
        lines = [
            t.USAGE_LINE.format(usage=c.usage, summary=c.summary) for c in self._commands.values()
        ]
        return "\n".join([t.USAGE_HEADER, *lines])

    async def _help(self, _: Request) -> list[Reply]:
        return [Say(self.usage())]
