"""Credentials for GitHub calls: a fixed token (GITHUB_TOKEN), or short-lived installation tokens.

An installation token lives an hour. Each process keeps one per
installation and asks for a new one five minutes before it runs out;
concurrent calls that find it stale wait on one lock per installation, so
only one of them asks GitHub. A token GitHub refuses before its time (401:
revoked, or clocks disagree) is dropped and asked for again, once, by the
tracker. Replicas each keep their own tokens (at most one request an hour
per installation and replica): GitHub allows many tokens at once, so
sharing them through the database would only add a secret at rest.
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


class InstallationTokens:
    """One token per installation, in this process, renewed `REFRESH_BEFORE` its expiry."""

    def __init__(self, issue: Issue, *, now: Callable[[], datetime] = _utc_now) -> None:
        self._issue = issue
        self._now = now
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
                issued = await self._issue(installation_id)
                self._tokens[installation_id] = issued
                held = issued.value
        return held

    def _usable(self, installation_id: int) -> str | None:
        held = self._tokens.get(installation_id)
        if held is None or held.expires_at - self._now() <= REFRESH_BEFORE:
            return None
        return held.value

    def drop(self, installation_id: int, token: str) -> None:
        """Forget `token` (refused by GitHub), unless another call already replaced it."""
        held = self._tokens.get(installation_id)
        if held is not None and held.value == token:
            del self._tokens[installation_id]


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
        self._tokens.drop(self._installation, token)
        return True
