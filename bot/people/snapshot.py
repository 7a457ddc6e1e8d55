"""Who-is-who read once per batch of events, not once per event.

Working a burst of deliveries, every event of a repository asks for the
same roles and channels; reading them once per batch of the inbox halves
the worker's transactions. A batch is worked within a second or so, and
a role changed meanwhile counts from the next batch, as it would had the
change come a moment later. Writes go straight through and forget what
was read, so the snapshot never hides this process's own changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.ports import PeopleStore
from bot.types import Place


class PeopleSnapshot:
    """A `PeopleStore` that remembers its reads until the next write."""

    def __init__(self, people: PeopleStore) -> None:
        self._people = people
        self._roles: dict[str, Mapping[str, tuple[str, ...]]] = {}
        self._channels: dict[str, Sequence[Place]] = {}
        self._logins: dict[tuple[str, ...], Mapping[str, tuple[str, ...]]] = {}
        self._subscribed: dict[str, bool] = {}

    def _forget(self) -> None:
        for memo in (self._roles, self._channels, self._logins, self._subscribed):
            memo.clear()

    async def roles(self, *, repository: str) -> Mapping[str, tuple[str, ...]]:
        key = repository.casefold()
        if key not in self._roles:
            self._roles[key] = await self._people.roles(repository=repository)
        return self._roles[key]

    async def channels(self, *, repository: str) -> Sequence[Place]:
        key = repository.casefold()
        if key not in self._channels:
            self._channels[key] = await self._people.channels(repository=repository)
        return self._channels[key]

    async def members_for_logins(self, *, logins: Sequence[str]) -> Mapping[str, tuple[str, ...]]:
        key = tuple(sorted({login.casefold() for login in logins}))
        if key not in self._logins:
            self._logins[key] = await self._people.members_for_logins(logins=logins)
        return self._logins[key]

    async def is_subscribed(self, *, repository: str) -> bool:
        key = repository.casefold()
        if key not in self._subscribed:
            self._subscribed[key] = await self._people.is_subscribed(repository=repository)
        return self._subscribed[key]

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        return await self._people.subscriptions(place=place)

    async def add_role(self, *, repository: str, role: str, members: Sequence[str]) -> None:
        self._forget()
        await self._people.add_role(repository=repository, role=role, members=members)

    async def remove_role(self, *, repository: str, role: str, members: Sequence[str]) -> int:
        self._forget()
        return await self._people.remove_role(repository=repository, role=role, members=members)

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        self._forget()
        return await self._people.subscribe(repository=repository, place=place, by=by)

    async def unsubscribe(self, *, repository: str, place: Place) -> bool:
        self._forget()
        return await self._people.unsubscribe(repository=repository, place=place)
