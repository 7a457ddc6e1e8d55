"""Who is who: `role` and `subscribe` / `unsubscribe` (`link github` is bot/identity).

Mentions reach these handlers as `bot.mentions` tokens: each chat adapter
rewrites its platform's mentions in the command text before calling
`Commands.run` (see bot/commands.py). Bare member keys (`slack:T1:U1`) are
accepted as well, for the console and for scripts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.commands import Command, Commands, Request
from bot.lifecycle.config import is_role_name
from bot.mentions import Mention, mention, split_mentions, untrusted
from bot.permissions.model import ANYONE, MAINTAIN_OR_ADMINS, WRITE, Need
from bot.ports import PeopleStore
from bot.repositories.homes import Homes
from bot.repositories.references import named_repository, parse_repository
from bot.repositories.showing import Showing
from bot.texts import people as t
from bot.types import Choice, Person, Place, Reply, Say, Scope

KNOWN_ROLES = ("business", "data-scientist", "data-engineer", "ml-engineer", "devops", "it")
_MEMBER_KEY = re.compile(r"^(?:slack|teams|console):[^\s:]*:(?:group:)?[^\s:]+$")
_NO_REPOSITORY = "local"
CONFIRM = "confirm"


class PeopleCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        people: PeopleStore,
        repository: str,
        showing: Showing,
        homes: Homes | None = None,
    ) -> None:
        """`homes` keeps channels' repositories (`use`); without it `use` is not offered."""
        self._commands = commands
        self._people = people
        self._repository = repository
        self._showing = showing
        self._homes = homes

    def register(self) -> None:
        register = self._commands.register
        register(Command("role", t.ROLE_USAGE, t.ROLE_SUMMARY, self.role, role_needs))
        for name, usage, summary, handler in (
            ("subscribe", t.SUBSCRIBE_USAGE, t.SUBSCRIBE_SUMMARY, self.subscribe),
            ("unsubscribe", t.UNSUBSCRIBE_USAGE, t.UNSUBSCRIBE_SUMMARY, self.unsubscribe),
        ):
            register(Command(name, usage, summary, handler, WRITE, named_repository))
        if self._homes is not None:
            register(
                Command("use", t.USE_USAGE, t.USE_SUMMARY, self.use, use_needs, named_repository)
            )

    # --- role -------------------------------------------------------------

    async def role(self, request: Request) -> list[Reply]:
        verb, _, rest = request.args.partition(" ")
        verb = verb.casefold()
        if verb == "list":
            return await self._list(request.person.scope, self._where(request))
        if verb not in ("add", "remove"):
            return [Say(t.ROLE_HELP.format(roles=", ".join(f"`{r}`" for r in KNOWN_ROLES)))]
        role, _, who = rest.strip().partition(" ")
        role = role.casefold()
        if not is_role_name(role):
            return [Say(t.BAD_ROLE.format(role=untrusted(role)[:40]))]
        members, bad = read_members(who)
        if bad:
            return [Say(t.NOT_A_MENTION.format(word=untrusted(bad)[:60]))]
        if not members:
            return [Say(t.NO_MEMBERS.format(verb=verb, role=role))]
        stranger = next((key for key in members if not belongs(key, request.person)), "")
        if stranger:
            return [Say(t.OTHER_WORKSPACE.format(word=untrusted(stranger)[:60]))]
        change = self._add if verb == "add" else self._remove
        return await change(request.person.scope, self._where(request), role, members)

    def _where(self, request: Request) -> str:
        """The command's repository (resolved by `Commands`); the default one is kept under
        GITHUB_REPOSITORY, the name the lifecycle watches (also offline, where the tracker's
        own name is `local`)."""
        default = self._homes.default if self._homes is not None else ""
        if not request.repository or request.repository.casefold() == default.casefold():
            return self._repository
        return request.repository

    async def _add(
        self, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> list[Reply]:
        await self._people.add_role(scope=scope, repository=repository, role=role, members=members)
        verb = "have the role" if len(members) > 1 else "has the role"
        named = " ".join(mention(member) for member in members)
        text = t.ROLE_ADDED.format(members=named, verb=verb, role=role, repository=repository)
        return [Say(text)]

    async def _remove(
        self, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> list[Reply]:
        count = await self._people.remove_role(
            scope=scope, repository=repository, role=role, members=members
        )
        if not count:
            return [Say(t.ROLE_NOT_HELD.format(role=role, repository=repository))]
        return [Say(t.ROLE_REMOVED.format(count=count, role=role, repository=repository))]

    async def _list(self, scope: Scope, repository: str) -> list[Reply]:
        roles = await self._people.roles(scope=scope, repository=repository)
        if not roles:
            return [Say(t.ROLES_NONE.format(repository=repository))]
        lines = [t.ROLES_HEADER.format(repository=repository)]
        for role, members in roles.items():
            named = ", ".join(mention(member) for member in members)
            lines.append(t.ROLE_LINE.format(role=role, members=named))
        return [Say("\n".join(lines))]

    # --- subscribe ----------------------------------------------------------

    async def subscribe(self, request: Request) -> list[Reply]:
        """A repository not known to be public is shown in a channel only once the person
        confirms it (they alone see the question: the answer to a command is theirs)."""
        words = request.args.split()
        confirmed = bool(words) and words[-1].casefold() == CONFIRM
        named = " ".join(words[:-1] if confirmed else words)
        checked = self._channel_and_repository(request, named)
        if isinstance(checked, Say):
            return [checked]
        place, repository = checked
        if not confirmed and not await self._showing.public(repository):
            again = Choice(t.CONFIRM_BUTTON, value=f"subscribe {repository} {CONFIRM}")
            return [Say(t.CONFIRM_PRIVATE.format(repository=repository), (again,))]
        added = await self._people.subscribe(
            repository=repository, place=place, by=request.person.key
        )
        text = t.SUBSCRIBED if added else t.ALREADY_SUBSCRIBED
        return [Say(text.format(repository=repository))]

    async def unsubscribe(self, request: Request) -> list[Reply]:
        checked = self._channel_and_repository(request, request.args.strip())
        if isinstance(checked, Say):
            return [checked]
        place, repository = checked
        removed = await self._people.unsubscribe(repository=repository, place=place)
        text = t.UNSUBSCRIBED if removed else t.NOT_SUBSCRIBED
        return [Say(text.format(repository=repository))]

    def _channel_and_repository(self, request: Request, named: str) -> tuple[Place, str] | Say:
        if request.place.is_direct:
            return Say(t.IN_CHANNEL_ONLY)
        repository = (request.repository or named) if named else self._where(request)
        if repository == _NO_REPOSITORY and not named:
            return Say(t.NO_REPOSITORY)
        if parse_repository(repository) is None:
            return Say(t.BAD_REPOSITORY.format(repository=untrusted(repository)[:80]))
        return request.place.channel, repository

    # --- use --------------------------------------------------------------

    async def use(self, request: Request) -> list[Reply]:
        """The channel's home: where `ask` files and what `#N` means (bot.repositories.homes)."""
        assert self._homes is not None
        named = request.args.strip()
        if request.place.is_direct:
            return [Say(t.USE_IN_CHANNEL_ONLY.format(repository=self._homes.default))]
        if not named:
            return [Say(t.USE_NOW.format(repository=self._where(request)))]
        if parse_repository(named) is None:
            return [Say(t.BAD_USE.format(repository=untrusted(named)[:80]))]
        repository = request.repository or named
        await self._homes.use(place=request.place, repository=repository, by=request.person.key)
        return [Say(t.USE_SET.format(repository=repository))]


async def use_needs(request: Request) -> Need:
    """Choosing the channel's repository needs write access to it; asking which needs nothing."""
    return WRITE if request.args.strip() else ANYONE


async def role_needs(request: Request) -> Need:
    """Changing roles needs maintain or admin on GitHub (or DSLP_ADMINS); listing needs nothing."""
    verb = request.args.split(" ", 1)[0].casefold()
    return MAINTAIN_OR_ADMINS if verb in ("add", "remove") else ANYONE


def read_members(text: str) -> tuple[list[str], str]:
    """Member keys from mention tokens and bare keys; the first word that is neither."""
    members: list[str] = []
    for part in split_mentions(text):
        if isinstance(part, Mention):
            keys = [part.key]
        else:
            keys = part.replace(",", " ").split()
            bad = next((word for word in keys if not _MEMBER_KEY.match(word)), "")
            if bad:
                return [], bad
        members += [key for key in keys if key not in members]
    return members, ""


def belongs(member: str, person: Person) -> bool:
    """Whether a member key can be of the person's scope: same platform, and same
    workspace unless the scope is an Enterprise Grid org (whose members' keys
    name their own workspaces, which the key alone cannot tie to the org).
    """
    platform, _, rest = member.partition(":")
    team = rest.partition(":")[0]
    return platform == person.platform and (bool(person.org_id) or team == person.team_id)


def parse_admins(text: str) -> frozenset[str]:
    """DSLP_ADMINS: comma-separated member keys."""
    return frozenset(key.strip() for key in text.split(",") if key.strip())
