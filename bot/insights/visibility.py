"""Where a repository's numbers may be shown: the rules digests and notifications follow.

A public repository's numbers may be shown anywhere; a private one's (or one
not known to be public) only in a direct message, in the terminal of whoever
runs the bot, or in a channel subscribed to it (`subscribe` asks for a
confirmation before that is so).
"""

from __future__ import annotations

from bot.ports import PeopleStore
from bot.repositories.ports import Trackers
from bot.repositories.visibility import known_public
from bot.types import Place, Platform


class ShownWhere:
    def __init__(self, *, trackers: Trackers, people: PeopleStore) -> None:
        self._trackers = trackers
        self._people = people

    async def may_show(self, *, repository: str, place: Place) -> bool:
        if place.is_direct or place.platform == Platform.CONSOLE:
            return True
        subscribed = await self._people.subscriptions(place=place.channel)
        if repository.casefold() in {name.casefold() for name in subscribed}:
            return True
        return await known_public(self._trackers, repository)
