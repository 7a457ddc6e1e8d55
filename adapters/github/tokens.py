"""Credentials for GitHub calls: a fixed token (GITHUB_TOKEN), or short-lived installation tokens.

An installation token lives an hour. Each process keeps one per
installation and asks for a new one five minutes before it runs out;
concurrent calls that find it stale wait on one lock per installation, so
only one of them asks GitHub. A token GitHub refuses before its time (401:
revoked, or clocks disagree) is dropped and asked for again, once, by the
tracker.

With DSLP_SECRET_KEY the replicas share each installation's token through
the database (`SharedTokens`, sealed there): the one that finds it stale
takes a lease on its row and asks GitHub, the others wait for the token it
saves, as user tokens are refreshed (bot.identity.service). A replica that
dies holding the lease blocks the others only until it runs out; then one of
them asks. Without the key each replica keeps its own (no secret at rest).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from github import Auth

from bot.ports import TrackerError
from bot.repositories.ports import Registry
from bot.texts import tracker as t

REFRESH_BEFORE = timedelta(minutes=5)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Credentials(Protocol):
    """What a tracker needs: a token to use now, and what to do when GitHub refuses it."""

    def current(self) -> str:
        """The token to send (read from PyGithub's worker thread; never waits)."""
        ...

    async def fresh(self) -> str:
        """Make sure `current()` is a token that will not expire during the next call."""
        ...

    async def refused(self, token: str) -> bool:
        """GitHub answered 401 to `token`; True when asking for a new one may help."""
        ...


class CurrentToken(Auth.Auth):
    """PyGithub's side of `Credentials`: each request carries the token current at that moment."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._credentials.current()

    @property
    def _masked_token(self) -> str:
        return "token (removed)"


class FixedToken:
    """GITHUB_TOKEN: nothing to refresh, so a 401 is final."""

    def __init__(self, token: str) -> None:
        self._token = token

    def current(self) -> str:
        return self._token

    async def fresh(self) -> str:
        return self._token

    async def refused(self, token: str) -> bool:
        return False


@dataclass(frozen=True)
class IssuedToken:
    value: str
    expires_at: datetime


Issue = Callable[[int], Awaitable[IssuedToken]]
LEASE_SECONDS = 30.0
WAIT_SECONDS = 0.2


class SharedTokens(Protocol):
    """Installation tokens kept for every replica (storage.installation_tokens)."""

    async def get(self, installation_id: int) -> tuple[str, datetime] | None: ...

    async def claim(self, installation_id: int, *, seconds: float) -> bool:
        """True for one caller until it saves or releases, or `seconds` pass."""
        ...

    async def save(self, installation_id: int, *, token: str, expires_at: datetime) -> None: ...

    async def release(self, installation_id: int) -> None: ...

    async def forget(self, installation_id: int) -> None: ...


class InstallationTokens:
    """One token per installation, renewed `REFRESH_BEFORE` its expiry: per process, and
    through `shared` across replicas when given."""

    def __init__(
        self,
        issue: Issue,
        *,
        now: Callable[[], datetime] = _utc_now,
        shared: SharedTokens | None = None,
        lease_seconds: float = LEASE_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._issue = issue
        self._now = now
        self._shared = shared
        self._lease_seconds = lease_seconds
        self._sleep = sleep
        self._tokens: dict[int, IssuedToken] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def token(self, installation_id: int) -> str:
        held = self._usable(installation_id)
        if held is not None:
            return held
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:  # whoever waited here finds the token the first one fetched
            held = self._usable(installation_id)
            if held is None:
                issued = await self._obtain(installation_id)
                self._tokens[installation_id] = issued
                held = issued.value
        return held

    def _usable(self, installation_id: int) -> str | None:
        held = self._tokens.get(installation_id)
        return held.value if held is not None and self._fresh(held) else None

    def _fresh(self, token: IssuedToken) -> bool:
        return token.expires_at - self._now() > REFRESH_BEFORE

    async def _obtain(self, installation_id: int) -> IssuedToken:
        """The replicas' shared token if fresh; else one replica (the lease holder) asks
        GitHub while the others wait for what it saves, no longer than the lease."""
        shared = self._shared
        if shared is None:
            return await self._issue(installation_id)
        for _ in range(int(self._lease_seconds / WAIT_SECONDS) + 2):
            stored = await self._stored(installation_id)
            if stored is not None:
                return stored
            if await shared.claim(installation_id, seconds=self._lease_seconds):
                return await self._issue_claimed(shared, installation_id)
            await self._sleep(WAIT_SECONDS)
        return await self._issue(installation_id)  # its holder never finished: ask ourselves

    async def _stored(self, installation_id: int) -> IssuedToken | None:
        assert self._shared is not None
        found = await self._shared.get(installation_id)
        stored = IssuedToken(*found) if found is not None else None
        return stored if stored is not None and self._fresh(stored) else None

    async def _issue_claimed(self, shared: SharedTokens, installation_id: int) -> IssuedToken:
        """With the lease held, look once more: another replica may have saved one between
        our read and our claim."""
        try:
            issued = await self._stored(installation_id) or await self._issue(installation_id)
        except BaseException:
            await shared.release(installation_id)
            raise
        await shared.save(installation_id, token=issued.value, expires_at=issued.expires_at)
        return issued

    async def drop(self, installation_id: int, token: str) -> None:
        """Forget `token` (refused by GitHub), here and for every replica, unless another
        call already replaced it."""
        held = self._tokens.get(installation_id)
        if held is not None and held.value == token:
            del self._tokens[installation_id]
        if self._shared is not None:
            found = await self._shared.get(installation_id)
            if found is not None and found[0] == token:
                await self._shared.forget(installation_id)


class InstallationCredentials:
    """A repository's credentials in App mode: the token of the installation that grants it.

    The installation is looked up at each call, so a repository moved to another
    installation, or an installation deleted, is followed without a restart.
    """

    def __init__(self, *, tokens: InstallationTokens, registry: Registry, repository: str) -> None:
        self._tokens = tokens
        self._registry = registry
        self._repository = repository
        self._current = ""
        self._installation = 0

    def current(self) -> str:
        return self._current

    async def fresh(self) -> str:
        served = await self._registry.find(self._repository)
        if served is None or served.installation_id is None:
            message = t.NOT_INSTALLED.format(repository=self._repository)
            raise TrackerError(message, retryable=False)
        self._installation = served.installation_id
        self._current = await self._tokens.token(served.installation_id)
        return self._current

    async def refused(self, token: str) -> bool:
        await self._tokens.drop(self._installation, token)
        return True
