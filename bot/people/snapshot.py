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
from bot.types import Member, Place, Scope


class PeopleSnapshot:
    """A `PeopleStore` that remembers its cross-scope reads until the next write.

    Reads for one scope (a person's own commands) go straight through.
    """

    def __init__(self, people: PeopleStore) -> None:
        self._people = people
        self._roles: dict[str, Mapping[str, tuple[Member, ...]]] = {}
        self._channels: dict[str, Sequence[Place]] = {}
        self._logins: dict[tuple[str, ...], Mapping[str, tuple[Member, ...]]] = {}
        self._subscribed: dict[str, bool] = {}

    def _forget(self) -> None:
        for memo in (self._roles, self._channels, self._logins, self._subscribed):
            memo.clear()

    async def roles(self, *, scope: Scope, repository: str) -> Mapping[str, tuple[str, ...]]:
        return await self._people.roles(scope=scope, repository=repository)

    async def roles_everywhere(self, *, repository: str) -> Mapping[str, tuple[Member, ...]]:
        key = repository.casefold()
        if key not in self._roles:
            self._roles[key] = await self._people.roles_everywhere(repository=repository)
        return self._roles[key]

    async def channels(self, *, repository: str) -> Sequence[Place]:
        key = repository.casefold()
        if key not in self._channels:
            self._channels[key] = await self._people.channels(repository=repository)
        return self._channels[key]

    async def members_for_logins(
        self, *, scope: Scope, logins: Sequence[str]
    ) -> Mapping[str, tuple[str, ...]]:
        return await self._people.members_for_logins(scope=scope, logins=logins)

    async def linked_everywhere(self, *, logins: Sequence[str]) -> Mapping[str, tuple[Member, ...]]:
        key = tuple(sorted({login.casefold() for login in logins}))
        if key not in self._logins:
            self._logins[key] = await self._people.linked_everywhere(logins=logins)
        return self._logins[key]

    async def is_subscribed(self, *, repository: str) -> bool:
        key = repository.casefold()
        if key not in self._subscribed:
            self._subscribed[key] = await self._people.is_subscribed(repository=repository)
        return self._subscribed[key]

    async def subscriptions(self, *, place: Place) -> Sequence[str]:
        return await self._people.subscriptions(place=place)

    async def add_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> None:
        self._forget()
        await self._people.add_role(scope=scope, repository=repository, role=role, members=members)

    async def remove_role(
        self, *, scope: Scope, repository: str, role: str, members: Sequence[str]
    ) -> int:
        self._forget()
        return await self._people.remove_role(
            scope=scope, repository=repository, role=role, members=members
        )

    async def subscribe(self, *, repository: str, place: Place, by: str) -> bool:
        self._forget()
        return await self._people.subscribe(repository=repository, place=place, by=by)

    async def unsubscribe(self, *, repository: str, place: Place) -> bool:
        self._forget()
        return await self._people.unsubscribe(repository=repository, place=place)
