"""User tokens: sealed at rest, refreshed once when they expire (one replica at a time)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.identity.model import Tokens
from bot.identity.ports import IdentityStore
from bot.identity.service import Identities
from bot.types import Member
from tests.identity.conftest import ANA, SECRET_KEY, Browser


@pytest.fixture
def identity_overrides() -> dict[str, Any]:
    return {}


def raw_tokens(browser: Browser) -> tuple[str, str]:
    with browser.app.database.engine.connect() as connection:
        row = connection.execute(text("SELECT access_token, refresh_token FROM github_tokens"))
        access, refresh = row.one()
    return str(access), str(refresh)


def expire_stored_token(browser: Browser) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    with browser.app.database.engine.begin() as connection:
        connection.execute(text("UPDATE github_tokens SET expires_at = :t"), {"t": past})


async def test_tokens_are_encrypted_at_rest(browser: Browser) -> None:
    browser.fake.oauth.expires_in = 28_800
    await browser.sign_in()
    [token] = browser.fake.oauth.tokens
    [refresh] = browser.fake.oauth.refresh_tokens
    access_row, refresh_row = raw_tokens(browser)
    assert token not in access_row and refresh not in refresh_row
    assert Fernet(SECRET_KEY.encode()).decrypt(access_row.encode()).decode() == token
    assert Fernet(SECRET_KEY.encode()).decrypt(refresh_row.encode()).decode() == refresh
    assert await browser.app.identities.access_token(ANA.member) == token


async def test_an_expired_token_is_refreshed_once_even_when_asked_for_twice_at_once(
    browser: Browser,
) -> None:
    browser.fake.oauth.expires_in = 28_800
    await browser.sign_in()
    [old] = browser.fake.oauth.tokens
    expire_stored_token(browser)
    identities = browser.app.identities
    first, second = await asyncio.gather(
        identities.access_token(ANA.member), identities.access_token(ANA.member)
    )
    assert first == second and first != old
    assert browser.fake.oauth.refreshed == 1
    assert first in browser.fake.oauth.tokens
    assert await identities.access_token(ANA.member) == first
    assert first not in raw_tokens(browser)[0]


async def test_a_token_that_cannot_be_refreshed_means_signing_in_again(browser: Browser) -> None:
    browser.fake.oauth.expires_in = 28_800
    await browser.sign_in()
    browser.fake.oauth.refresh_tokens.clear()  # GitHub no longer knows the refresh token
    expire_stored_token(browser)
    assert await browser.app.identities.access_token(ANA.member) == ""


async def test_an_oauth_app_token_never_expires(browser: Browser) -> None:
    await browser.sign_in()
    [token] = browser.fake.oauth.tokens
    assert raw_tokens(browser)[1] == ""
    assert await browser.app.identities.access_token(ANA.member) == token


class ReadBeforeAnotherRefresh:
    """The store as a slow replica sees it: its first read of the tokens happens just before
    another replica refreshes them (and so spends the refresh token it read)."""

    def __init__(self, store: IdentityStore, other_refresh: Callable[[], Awaitable[str]]) -> None:
        self._store = store
        self._other_refresh: Callable[[], Awaitable[str]] | None = other_refresh

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def tokens(self, *, member: Member) -> Tokens | None:
        read = await self._store.tokens(member=member)
        if self._other_refresh is not None:
            other, self._other_refresh = self._other_refresh, None
            await other()
        return read


async def test_a_replica_that_read_before_another_refreshed_uses_the_new_token(
    browser: Browser,
) -> None:
    """It wins the lease only after the other let it go: it must not spend the old refresh
    token again (GitHub refuses it), but take the token the other stored."""
    browser.fake.oauth.expires_in = 28_800
    await browser.sign_in()
    expire_stored_token(browser)
    first = browser.app.identities
    slow = Identities(
        store=ReadBeforeAnotherRefresh(first._store, lambda: first.access_token(ANA.member)),
        github=first._github,
        queue=first._queue,
        public_url=first._public_url,
        clock=first._clock,
    )
    token = await slow.access_token(ANA.member)
    assert token != "" and token == await first.access_token(ANA.member)
    assert browser.fake.oauth.refreshed == 1
