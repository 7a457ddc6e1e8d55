"""Permissions: who may run a command, as GitHub says, remembered for at most five minutes.

A refusal is said once, to the person alone (the adapters answer commands
ephemerally where the platform can), and names what is missing: a sign-in
(with its link), or the access GitHub gives them. The console runs with the
authority of whoever holds its token, so it is never asked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.identity.service import Identities
from bot.mentions import mention
from bot.permissions.model import Access, Need
from bot.permissions.ports import AccessError, AccessLookup
from bot.texts import permissions as t
from bot.types import Choice, Person, Platform, Reply, Say

CACHE_FOR = timedelta(minutes=5)


class Permissions:
    def __init__(
        self,
        *,
        lookup: AccessLookup | None,
        identities: Identities,
        admins: frozenset[str],
        clock: Callable[[], datetime],
    ) -> None:
        self._lookup = lookup
        self._identities = identities
        self._admins = admins
        self.clock = clock
        """Now; tests move it to see the cache run out."""
        self._known: dict[tuple[str, str], tuple[Access, datetime]] = {}

    async def refusal(self, *, person: Person, need: Need, repository: str) -> list[Reply]:
        """[] when the person may do it in `repository`; else what to tell them (only them)."""
        if person.platform == Platform.CONSOLE or need.anyone:
            return []
        if need.admins and person.key in self._admins:
            return []
        if self._lookup is None:
            return self._without_github(need)
        login = await self._identities.verified_login(person.member)
        if not login:
            return await self._sign_in_first(person, need, repository)
        try:
            have = await self.access(login, repository)
        except AccessError:
            return [Say(t.COULD_NOT_CHECK.format(repository=repository))]
        if have >= need.access:
            return []
        text = t.NOT_ENOUGH.format(
            login=login, have=have.name.lower(), need=_needed(need), repository=repository
        )
        return [Say(text)]

    def _without_github(self, need: Need) -> list[Reply]:
        """The local tracker has no one to ask: DSLP_ADMINS, when set, still guard roles."""
        if need.admins and self._admins:
            admins = " ".join(mention(key) for key in sorted(self._admins))
            return [Say(t.ADMINS_ONLY.format(admins=admins))]
        return []

    async def _sign_in_first(self, person: Person, need: Need, repository: str) -> list[Reply]:
        needed = _needed(need)
        if not self._identities.can_sign_in:
            return [Say(t.VOUCH_FIRST.format(need=needed, repository=repository))]
        url = await self._identities.sign_in_link(person)
        text = t.SIGN_IN_FIRST.format(need=needed, repository=repository, url=url)
        return [Say(text, (Choice(t.SIGN_IN_BUTTON, url=url),))]

    async def allows(self, *, login: str, repository: str, access: Access) -> bool:
        """Whether GitHub gives `login` at least `access` in `repository`, for what a person did
        in GitHub that the bot would carry on (a Project edit): no login, no access. Without
        GitHub (the local tracker) there is no one to ask. GitHub not answering raises
        AccessError: the caller tries again later or refuses, never allows."""
        if self._lookup is None:
            return True
        return bool(login) and await self.access(login, repository) >= access

    async def access(self, login: str, repository: str) -> Access:
        """The login's access to the repository; asked of GitHub at most every five minutes.

        GitHub refusing the bot there (a 401/403 that is not a rate limit) drops everything
        remembered about the repository: whatever changed (a revoked token, an uninstalled
        app) may have changed for everyone, and nobody should ride on an answer from before.
        """
        assert self._lookup is not None
        key, now = (repository.casefold(), login.casefold()), self.clock()
        known = self._known.get(key)
        if known is not None and now - known[1] < CACHE_FOR:
            return known[0]
        try:
            have = await self._lookup.access(repository=repository, login=login)
        except AccessError as error:
            if error.denied:
                self._forget(repository)
            raise
        self._known[key] = (have, now)
        return have

    def _forget(self, repository: str) -> None:
        for key in [key for key in self._known if key[0] == repository.casefold()]:
            del self._known[key]


def _needed(need: Need) -> str:
    named = t.ACCESS_NAMES[need.access.name.lower()]
    return t.OR_ADMINS.format(access=named) if need.admins else named
