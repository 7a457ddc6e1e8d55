"""The GitHub trackers and webhooks of every served repository, for the poller and
reconciliation.

The registry is read on each call, so a repository an installation grants (or
`DSLP_REPOSITORIES` names) is followed from the next round, and one that is no
longer served is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from adapters.github.poller import ConditionalSource
from adapters.github.reconcile import DeliverySource, RepositoryHook
from adapters.github.tracker import GitHubTracker
from bot.ports import TrackerError
from bot.repositories.ports import Registry, Trackers

log = logging.getLogger(__name__)


class ServedTrackers:
    def __init__(self, *, repositories: Registry, trackers: Trackers) -> None:
        self._repositories = repositories
        self._trackers = trackers

    async def trackers(self) -> list[GitHubTracker]:
        found: list[GitHubTracker] = []
        for served in await self._repositories.served():
            try:
                tracker = await self._trackers.for_repository(served.full_name)
            except TrackerError as error:  # removed since the listing
                log.info("%s is no longer followed: %s", served.full_name, error.message)
                continue
            if isinstance(tracker, GitHubTracker):
                found.append(tracker)
        return found

    async def sources(self) -> Sequence[ConditionalSource]:
        return await self.trackers()


class ServedHooks:
    """Each served repository's webhook that points at `url`; `DSLP_GITHUB_HOOK_ID` names the
    default repository's hook only (the others are found by their URL, once)."""

    def __init__(self, *, served: ServedTrackers, url: str, default: str, hook_id: int) -> None:
        self._served = served
        self._url = url
        self._default = default.casefold()
        self._hook_id = hook_id
        self._made: dict[str, RepositoryHook] = {}

    async def hooks(self) -> Sequence[DeliverySource]:
        return [self._hook(tracker) for tracker in await self._served.trackers()]

    def _hook(self, tracker: GitHubTracker) -> RepositoryHook:
        key = tracker.repository.casefold()
        if key not in self._made:
            hook_id = self._hook_id if key == self._default else 0
            self._made[key] = RepositoryHook(
                rest=tracker, repository=tracker.repository, url=self._url, hook_id=hook_id
            )
        return self._made[key]
