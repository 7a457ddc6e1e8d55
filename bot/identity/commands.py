"""`link github`: sign in with GitHub, unlink, or (admins) vouch for someone's login.

A login typed by the person themselves proves nothing (anyone can type
anyone's), so it only gets them the sign-in link.
"""

from __future__ import annotations

import re

from bot.commands import Command, Commands, Request
from bot.identity.service import Identities
from bot.mentions import mention, untrusted
from bot.people.commands import belongs, read_members
from bot.texts import identity as t
from bot.types import Choice, Member, Reply, Say

LOGIN = re.compile(r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$")
OFF = "off"


class IdentityCommands:
    def __init__(
        self, *, commands: Commands, identities: Identities, admins: frozenset[str]
    ) -> None:
        self._commands = commands
        self._identities = identities
        self._admins = admins

    def register(self) -> None:
        self._commands.register(Command("link", t.LINK_USAGE, t.LINK_SUMMARY, self.link))

    async def link(self, request: Request) -> list[Reply]:
        word, _, rest = request.args.strip().partition(" ")
        if word.casefold() != "github":
            return [Say(t.LINK_HELP)]
        words = rest.split()
        if [w.casefold() for w in words] == [OFF]:
            return await self._unlink(request)
        if len(words) == 2:
            return await self._vouch(request, words[0], words[1])
        if len(words) > 2:
            return [Say(t.LINK_HELP)]
        return await self.sign_in(request, typed=bool(words))

    async def sign_in(self, request: Request, *, typed: bool = False) -> list[Reply]:
        """The sign-in link, or who can vouch when sign-in is not set up."""
        if not self._identities.can_sign_in:
            admins = " ".join(mention(key) for key in sorted(self._admins))
            named = t.ADMINS_ARE.format(admins=admins) if admins else ""
            return [Say(t.NO_SIGN_IN.format(admins=named))]
        url = await self._identities.sign_in_link(request.person)
        text = t.SIGN_IN.format(url=url)
        text = f"{t.TYPED_LOGIN}\n{text}" if typed else text
        return [Say(text, (Choice(t.SIGN_IN_BUTTON, url=url),))]

    async def _unlink(self, request: Request) -> list[Reply]:
        unlinked = await self._identities.unlink(request.person.member)
        return [Say(t.UNLINKED if unlinked else t.NOT_LINKED)]

    async def _vouch(self, request: Request, who: str, login: str) -> list[Reply]:
        if request.person.key not in self._admins:
            return [Say(t.ADMINS_ONLY)]
        members, bad = read_members(who)
        if bad or len(members) != 1:
            return [Say(t.NOT_A_MEMBER.format(word=untrusted(bad or who)[:60]))]
        if not belongs(members[0], request.person):
            return [Say(t.OTHER_WORKSPACE.format(word=untrusted(members[0])[:60]))]
        login = login.removeprefix("@")
        if not LOGIN.match(login):
            return [Say(t.BAD_LOGIN.format(login=untrusted(login)[:60]))]
        member = Member(request.person.scope.key, members[0])
        await self._identities.vouch(member=member, login=login, by=request.person.key)
        admin = mention(request.person.key)
        return [Say(t.VOUCHED.format(member=mention(members[0]), login=login, admin=admin))]
