"""A channel's home repository: where `#N` points and where `ask` files.

`use owner/repo` sets it; a channel subscribed to exactly one repository
uses that one; otherwise (and in a DM) the default, GITHUB_REPOSITORY. A
name typed in chat is only ever used once the registry knows it, spelled as
GitHub spells it, so nothing typed can send work to a repository the bot
does not serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.ports import Tracker
from bot.repositories.ports import Registry, Trackers
from bot.types import Draft, Place

REPOSITORY_KEY = "repository"
"""Draft context: the repository the draft files into (decided when it was started)."""


class ChannelRepositoryStore(Protocol):
    """The repository a channel chose with `use`, kept per scope and channel."""

    async def get(self, *, place: Place) -> str | None: ...

    async def put(self, *, place: Place, repository: str, by: str) -> None: ...


class Subscribed(Protocol):
    async def subscriptions(self, *, place: Place) -> Sequence[str]: ...


class Homes:
    def __init__(
        self, *, registry: Registry, store: ChannelRepositoryStore, subscribed: Subscribed
    ) -> None:
        self._registry = registry
        self._store = store
        self._subscribed = subscribed

    @property
    def default(self) -> str:
        return self._registry.default

    async def served(self, name: str) -> str | None:
        """The repository as GitHub spells it, or None when the bot does not serve it."""
        found = await self._registry.find(name)
        return found.full_name if found is not None else None

    async def home(self, place: Place) -> str:
        if place.is_direct:
            return self.default
        chosen = await self._store.get(place=place.channel)
        if chosen is None:
            subscribed = await self._subscribed.subscriptions(place=place.channel)
            chosen = subscribed[0] if len(subscribed) == 1 else None
        return (await self.served(chosen) if chosen else None) or self.default

    async def use(self, *, place: Place, repository: str, by: str) -> None:
        await self._store.put(place=place.channel, repository=repository, by=by)


async def tracker_for(trackers: Trackers, draft: Draft) -> Tracker:
    """The tracker of the repository the draft files into (drafts from before: the default).

    Raises `UnknownRepository` (not retryable) when the bot no longer serves it.
    """
    repository = draft.context.get(REPOSITORY_KEY, "")
    return await trackers.for_repository(repository) if repository else trackers.default
