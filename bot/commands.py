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
from dataclasses import dataclass, field, replace
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
    repository: str = ""
    """The repository the command is about: the one it names, else the channel's home
    (filled in by `Commands` before the check and the handler; empty when none is wired)."""


Handler = Callable[[Request], Awaitable[list[Reply]]]
NeedFor = Callable[[Request], Awaitable[Need]]
Names = Callable[[str], str | None]
"""The repository a command's arguments name (`octo/dslp#12`, `octo/dslp`), or None."""


def names_none(_: str) -> str | None:
    return None


@dataclass(frozen=True)
class Command:
    """A sub-command; `needs` says who may run it (a Need, or one read from the request)."""

    name: str
    usage: str
    summary: str
    handler: Handler
    needs: Need | NeedFor = ANYONE
    names: Names = names_none
    """How to read a repository from the arguments; `needs` is checked against it."""


class Gate(Protocol):
    """Says whether a person may do what a command needs (bot.permissions.service)."""

    async def refusal(self, *, person: Person, need: Need, repository: str) -> list[Reply]: ...


class Locator(Protocol):
    """Which repository a command is about (bot.repositories.homes.Homes)."""

    async def home(self, place: Place) -> str: ...

    async def served(self, name: str) -> str | None: ...


def split_command(text: str) -> tuple[str, str]:
    """`"/dslp ask Churn"` or `"ask Churn"` -> ("ask", "Churn"); mentions already stripped."""
    word, _, rest = text.strip().partition(" ")
    return word.casefold().lstrip("/"), rest.strip()


class Commands:
    def __init__(self, conversations: Conversations) -> None:
        self.conversations = conversations
        self._gate: Gate | None = None
        self._locator: Locator | None = None
        self._commands: dict[str, Command] = {}
        self.register(Command("help", t.HELP_USAGE, t.HELP_SUMMARY, self._help))

    def register(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command {command.name!r} registered twice")
        self._commands[command.name] = command

    def guard(self, gate: Gate) -> None:
        """Every command is checked by `gate` before its handler runs (set once, when wired)."""
        self._gate = gate

    def locate(self, locator: Locator) -> None:
        """Commands learn their repository from `locator` (set once, when wired)."""
        self._locator = locator

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
        checked = await self._checked(command, Request(person, place, args, frozen_map(context)))
        return checked if isinstance(checked, list) else await command.handler(checked)

    async def check(self, *, person: Person, place: Place, text: str) -> Request | list[Reply]:
        """A command reached another way (a form it opens): its request with the repository
        it is about, or the replies that refuse it."""
        name, args = split_command(text)
        request = Request(person, place, args)
        command = self._commands.get(name)
        return request if command is None else await self._checked(command, request)

    async def _checked(self, command: Command, request: Request) -> Request | list[Reply]:
        """The one place a command's repository is found and its `needs` checked."""
        located = await self._located(command, request)
        if isinstance(located, list) or self._gate is None:
            return located
        need = command.needs if isinstance(command.needs, Need) else await command.needs(located)
        refused = await self._gate.refusal(
            person=request.person, need=need, repository=located.repository
        )
        return refused or located

    async def _located(self, command: Command, request: Request) -> Request | list[Reply]:
        """A repository the bot does not serve is refused here, naming nothing else."""
        if self._locator is None:
            return request
        named = command.names(request.args)
        if named is None:
            return replace(request, repository=await self._locator.home(request.place))
        served = await self._locator.served(named)
        if served is None:
            return [Say(t.NOT_SERVED.format(repository=shown(named)))]
        return replace(request, repository=served)

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
