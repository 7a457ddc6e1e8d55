"""Having a home is not permission to show: which repositories' issues a place may see.

A channel holds people GitHub was never asked about (guests, people of
another team), so a repository's issue titles appear in a channel only when
GitHub says the repository is public, or when a person with write access
subscribed the channel to it (`subscribe`, which for a private repository
first asks that person to confirm exactly this). A direct message shows
only its reader, and what they may read is the gate's business (`READ`).
"""

from __future__ import annotations

from bot.ports import TrackerError
from bot.repositories.homes import Subscribed
from bot.repositories.ports import Trackers
from bot.types import Place


class Showing:
    def __init__(self, *, trackers: Trackers, subscribed: Subscribed) -> None:
        self._trackers = trackers
        self._subscribed = subscribed

    async def public(self, repository: str) -> bool:
        """GitHub says it is public; a repository the bot does not serve, or cannot ask
        about now, is treated as private (so is one the local tracker stands in for)."""
        try:
            tracker = await self._trackers.for_repository(repository)
            same = tracker.repository.casefold() == repository.casefold()
            return same and not await tracker.is_private()
        except TrackerError:
            return False

    async def subscribed(self, place: Place, repository: str) -> bool:
        """The channel was subscribed to it (by someone with write access, who confirmed)."""
        found = await self._subscribed.subscriptions(place=place.channel)
        return repository.casefold() in {name.casefold() for name in found}

    async def may_show(self, place: Place, repository: str) -> bool:
        """Whether `place` may see the repository's issues (a DM: its reader decides)."""
        if place.is_direct:
            return True
        return await self.subscribed(place, repository) or await self.public(repository)
