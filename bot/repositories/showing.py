"""Having a home is not permission to show: which repositories' issues a place may see.

A channel holds people GitHub was never asked about (guests, people of
another team), so a repository's issues and numbers (`status` of someone
else's Ask, digests, insights) appear in a channel only when GitHub says the
repository is public, or when a person with write access subscribed the
channel to it (`subscribe`, which for a private repository first asks that
person to confirm exactly this). A direct message shows only its reader, and
what they may read is the gate's business (`READ`); the console runs with the
authority of whoever holds its token.
"""

from __future__ import annotations

from bot.repositories.homes import Subscribed
from bot.repositories.ports import Trackers
from bot.repositories.visibility import known_public
from bot.types import Place, Platform


class Showing:
    def __init__(self, *, trackers: Trackers, subscribed: Subscribed) -> None:
        self._trackers = trackers
        self._subscribed = subscribed

    async def public(self, repository: str) -> bool:
        return await known_public(self._trackers, repository)

    async def subscribed(self, place: Place, repository: str) -> bool:
        """The channel was subscribed to it (by someone with write access, who confirmed)."""
        found = await self._subscribed.subscriptions(place=place.channel)
        return repository.casefold() in {name.casefold() for name in found}

    async def may_show(self, *, repository: str, place: Place) -> bool:
        """Whether `place` may see the repository's issues (a DM: its reader decides)."""
        if place.is_direct or place.platform == Platform.CONSOLE:
            return True
        return await self.subscribed(place, repository) or await self.public(repository)
