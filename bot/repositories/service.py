"""The registry in its two modes, and a tracker per served repository.

With GITHUB_TOKEN the repositories are fixed by configuration
(GITHUB_REPOSITORY and DSLP_REPOSITORIES). With a GitHub App they are
whatever its installations grant: stored, kept current by the
`installation` and `installation_repositories` webhooks, and synced with
GitHub when a repository is asked for that the store does not know (at
most once a minute, so names typed in chat cannot make the bot hammer GitHub).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from bot.ports import Tracker, TrackerError
from bot.repositories.model import Change, Installation, InstallationChange, ServedRepository
from bot.repositories.ports import (
    Acting,
    InstallationSource,
    Registry,
    RepositoryStore,
    VerifiedLogins,
)
from bot.texts import tracker as t
from bot.types import Member

log = logging.getLogger(__name__)
RESYNC_SECONDS = 60.0


class UnknownRepository(TrackerError):
    def __init__(self, repository: str) -> None:
        super().__init__(t.NOT_SERVED.format(repository=repository), retryable=False)
        self.repository = repository


def default_first(default: str, found: Sequence[ServedRepository]) -> list[ServedRepository]:
    return sorted(found, key=lambda served: (served.key != default.casefold(), served.key))


class FixedRegistry:
    """Token (or local) mode: the repositories named in the configuration."""

    def __init__(self, default: str, extra: Sequence[str] = ()) -> None:
        self._default = default
        self._served = {name.casefold(): ServedRepository(name) for name in (default, *extra)}

    @property
    def default(self) -> str:
        return self._default

    async def find(self, full_name: str) -> ServedRepository | None:
        return self._served.get(full_name.casefold())

    async def served(self) -> Sequence[ServedRepository]:
        return default_first(self._default, list(self._served.values()))

    async def apply(self, change: InstallationChange) -> bool:
        return False


class InstallationRegistry:
    """App mode: the installations' repositories, from the store, synced with GitHub."""

    def __init__(
        self,
        *,
        store: RepositoryStore,
        source: InstallationSource,
        default: str,
        resync_seconds: float = RESYNC_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._source = source
        self._default = default
        self._resync_seconds = resync_seconds
        self._clock = clock
        self._synced_at = float("-inf")
        self._syncing = asyncio.Lock()

    @property
    def default(self) -> str:
        return self._default

    async def find(self, full_name: str) -> ServedRepository | None:
        found = await self._store.find(full_name=full_name)
        if found is None:
            await self._resync()
            found = await self._store.find(full_name=full_name)
        return found

    async def served(self) -> Sequence[ServedRepository]:
        return default_first(self._default, await self._store.served())

    async def sync(self) -> None:
        """Take GitHub's list of installations as the truth (first use, and unknown names)."""
        self._synced_at = self._clock()  # a failed sync waits its turn too: GitHub may be down
        installations = await self._source.installations()
        await self._store.replace_all(installations=installations)
        log.info("GitHub App: %d installations synced", len(installations))

    async def _resync(self) -> None:
        """One sync at a time; calls that waited for it look again without another."""
        async with self._syncing:
            if self._clock() - self._synced_at >= self._resync_seconds:
                await self.sync()

    async def apply(self, change: InstallationChange) -> bool:
        installation_id, store = change.installation_id, self._store
        if change.change is Change.DELETED:
            await store.drop(installation_id=installation_id)
        elif change.change is Change.REMOVED:
            await store.remove(installation_id=installation_id, full_names=change.removed)
        else:
            suspended = change.change is Change.SUSPENDED
            installation = Installation(installation_id, change.account, suspended, change.added)
            await store.put(installation=installation)
        log.info("GitHub App installation %s: %s", installation_id, change.change.value)
        return True


class RegistryTrackers:
    """One tracker per served repository, made on first use and kept."""

    def __init__(self, registry: Registry, make: Callable[[str], Tracker]) -> None:
        self._registry = registry
        self._make = make
        self._default = make(registry.default)
        self._made: dict[str, Tracker] = {registry.default.casefold(): self._default}
        self._acting: Acting | None = None
        self._logins: VerifiedLogins | None = None

    def act_as(self, acting: Acting) -> None:
        """Writes for a person go through `acting` first (set once, when wired)."""
        self._acting = acting

    def name_with(self, logins: VerifiedLogins) -> None:
        """What the bot's token writes for a person names their verified login (set once,
        when wired: the identities are built after the filing worker that writes)."""
        self._logins = logins

    @property
    def default(self) -> Tracker:
        return self._default

    async def for_repository(self, full_name: str) -> Tracker:
        served = await self._registry.find(full_name)
        if served is None:
            raise UnknownRepository(full_name)
        if served.key not in self._made:
            self._made[served.key] = self._make(served.full_name)
        return self._made[served.key]

    async def writer(self, full_name: str, member: Member) -> Tracker:
        tracker = await self.for_repository(full_name) if full_name else self._default
        if self._acting is None:
            return tracker
        return await self._acting.tracker_as(member, tracker) or tracker

    async def voice(self, full_name: str, member: Member) -> str:
        if self._logins is None:
            return ""
        if self._acting is not None:
            tracker = await self.for_repository(full_name) if full_name else self._default
            if await self._acting.tracker_as(member, tracker) is not None:
                return ""
        return await self._logins.verified_login(member)

    def made(self) -> list[Tracker]:
        """Every tracker made so far (to close them at shutdown)."""
        return list(self._made.values())
