"""Which repositories a place's digest shows, grouped one digest per repository.

A channel's digest follows the repositories the channel is subscribed to, else
its home (`use`, else GITHUB_REPOSITORY); the home first. In a channel only
those whose issues may be shown there (bot.repositories.showing): a home
chosen with `use` is not a subscription, so a private one is left out. A
direct message follows its home, the default repository; the `digest`
command's own check (read access) decides whether its reader may see it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.digest.ports import IssueListing
from bot.repositories.homes import Subscribed
from bot.repositories.ports import Trackers
from bot.repositories.service import UnknownRepository
from bot.repositories.showing import Showing
from bot.types import Place

Home = Callable[[Place], Awaitable[str]]


class Followed:
    def __init__(
        self, *, home: Home, subscribed: Subscribed, showing: Showing, trackers: Trackers
    ) -> None:
        self._home = home
        self._subscribed = subscribed
        self._showing = showing
        self._trackers = trackers

    async def names(self, place: Place) -> list[str]:
        home = await self._home(place)
        if place.is_direct:
            return [home]
        subscribed = await self._subscribed.subscriptions(place=place.channel)
        names = sorted(subscribed, key=lambda name: name.casefold() != home.casefold()) or [home]
        return [
            name for name in names if await self._showing.may_show(repository=name, place=place)
        ]

    async def for_place(self, place: Place) -> Sequence[IssueListing]:
        """Each repository's tracker; one the bot no longer serves is left out."""
        listings: list[IssueListing] = []
        for name in await self.names(place):
            try:
                listings.append(await self._trackers.for_repository(name))
            except UnknownRepository:
                continue
        return listings
