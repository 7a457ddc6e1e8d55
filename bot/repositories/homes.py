"""A channel's home repository: where `#N` points and where `ask` files.

`use owner/repo` sets it; a channel subscribed to exactly one repository
uses that one; otherwise (and in a DM) the default, GITHUB_REPOSITORY. An
Ask started in a DM (or where there is no default) asks which repository when
the bot files into several: its first step offers them, the default first. A
name typed in chat is only ever used once the registry knows it, spelled as
GitHub spells it, so nothing typed can send work to a repository the bot
does not serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from bot.flows.spec import Flow, Option, Step
from bot.ports import Tracker
from bot.repositories.ports import Registry, Trackers
from bot.texts import ask as t
from bot.types import Draft, Member, Place

REPOSITORY_KEY = "repository"
"""Draft context: the repository the draft files into (decided when it was started); also
the key of the step that asks for it where nothing decides (a DM, no default)."""
CHOICES_KEY = "repository_choices"
"""Draft context: the repositories offered when the draft was started, one a line."""


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

    async def choices(self, place: Place) -> tuple[str, ...]:
        """Where nothing decides (a DM, or no default), every repository the bot files into,
        the default first, for the person to choose; () when there is nothing to choose."""
        if not place.is_direct and await self.home(place):
            return ()
        names = tuple(served.full_name for served in await self._registry.served())
        return names if len(names) > 1 else ()

    async def use(self, *, place: Place, repository: str, by: str) -> None:
        await self._store.put(place=place.channel, repository=repository, by=by)


def with_repository_step(flow: Flow, choices: Sequence[str]) -> Flow:
    """The flow with a first step choosing among `choices` (the conversation's buttons, the
    form's select); only those names are accepted."""
    options = tuple(Option(name, name) for name in choices)
    step = Step(REPOSITORY_KEY, t.REPOSITORY, required=True, multiline=False, options=options)
    return replace(flow, steps=(step, *flow.steps))


def flow_for(flow: Flow, draft: Draft) -> Flow:
    """The flow as this draft asks it: with the repository step if it was started with a
    choice to make."""
    choices = draft.context.get(CHOICES_KEY, "")
    return with_repository_step(flow, choices.splitlines()) if choices else flow


async def tracker_for(trackers: Trackers, draft: Draft, *, as_owner: bool = False) -> Tracker:
    """The tracker of the repository the draft files into: decided when it started, else
    chosen in its repository step (drafts from before: the default). `as_owner`: writes
    made as the draft's owner where their own token allows (`Trackers.writer`).

    Raises `UnknownRepository` (not retryable) when the bot no longer serves it.
    """
    repository = _repository(draft)
    if as_owner:
        return await trackers.writer(repository, _owner(draft))
    return await trackers.for_repository(repository) if repository else trackers.default


async def owner_voice(trackers: Trackers, draft: Draft) -> str:
    """The owner's verified login, to name where the bot's own token writes for them
    (`Trackers.voice`)."""
    return await trackers.voice(_repository(draft), _owner(draft))


def _repository(draft: Draft) -> str:
    return draft.context.get(REPOSITORY_KEY) or draft.answers.get(REPOSITORY_KEY, "")


def _owner(draft: Draft) -> Member:
    return Member(draft.origin.scope.key, draft.owner)
