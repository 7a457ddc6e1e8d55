"""Identities: hand out one-time sign-in links, finish GitHub's sign-in, keep tokens fresh.

A sign-in link is bound to the member who asked for it, works once and for
ten minutes. Only a hash of its state is stored, and the state is used up
when GitHub sends the person back, before the code is exchanged: a link
that leaked after use, or a replayed callback, links nobody.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from datetime import datetime

from bot.filing import Queue
from bot.identity.model import (
    GITHUB,
    SIGN_IN_LIFETIME,
    Identity,
    PendingSignIn,
    SignedIn,
    SignInFailure,
    Tokens,
    state_hash,
)
from bot.identity.ports import GitHubSignIn, IdentityStore, SignInError
from bot.texts import identity as t
from bot.types import Member, Person, Place, Say

log = logging.getLogger(__name__)
SIGN_IN_PATH = "/github/signin"
CALLBACK_PATH = "/github/oauth/callback"
REFRESH_LEASE_SECONDS = 30.0
REFRESH_WAIT_SECONDS = 0.2


class Identities:
    def __init__(
        self,
        *,
        store: IdentityStore,
        github: GitHubSignIn | None,
        queue: Queue,
        public_url: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._github = github
        self._queue = queue
        self._public_url = public_url.rstrip("/")
        self._clock = clock

    @property
    def can_sign_in(self) -> bool:
        """GitHub's sign-in is configured; else only admins can vouch for people."""
        return self._github is not None and bool(self._public_url)

    async def sign_in_link(self, person: Person) -> str:
        """A fresh one-time link for this person (the previous ones keep their own expiry)."""
        state = secrets.token_urlsafe(32)
        pending = PendingSignIn(
            person.member, Place.direct(person), self._clock() + SIGN_IN_LIFETIME
        )
        await self._store.add_sign_in(state_hash=state_hash(state), pending=pending)
        return f"{self._public_url}{SIGN_IN_PATH}?state={state}"

    async def redirect_for(self, state: str) -> str | SignInFailure:
        """Where the sign-in page sends the browser: GitHub's authorize page, if the state works."""
        if self._github is None or not state:
            return SignInFailure.UNKNOWN
        pending = await self._store.sign_in(state_hash=state_hash(state))
        failure = self._unusable(pending)
        return failure or self._github.authorize_url(state=state)

    async def complete(self, *, state: str, code: str) -> SignedIn | SignInFailure:
        """GitHub sent the person back: use the state up, exchange the code, link, confirm."""
        if self._github is None or not state:
            return SignInFailure.UNKNOWN
        pending = await self._store.take_sign_in(state_hash=state_hash(state))
        failure = self._unusable(pending)
        if failure or pending is None:
            return failure or SignInFailure.UNKNOWN
        if not code:
            return SignInFailure.DENIED
        try:
            tokens = await self._github.exchange(code=code)
            login = await self._github.login(access_token=tokens.access)
        except SignInError as error:
            log.warning("github sign-in failed: %s", error.message)
            return SignInFailure.GITHUB
        await self._store.link(
            member=pending.member, login=login, verified_by=GITHUB, tokens=tokens
        )
        await self._confirm(pending, login, state)
        return SignedIn(pending.member, login)

    def _unusable(self, pending: PendingSignIn | None) -> SignInFailure | None:
        if pending is None:
            return SignInFailure.UNKNOWN
        return SignInFailure.EXPIRED if self._clock() >= pending.expires_at else None

    async def _confirm(self, pending: PendingSignIn, login: str, state: str) -> None:
        key = f"signed-in:{state_hash(state)[:32]}"
        replies = [Say(t.SIGNED_IN_CHAT.format(login=login))]
        await self._queue.enqueue(key=key, place=pending.confirm_to, replies=replies)

    async def vouch(self, *, member: Member, login: str, by: str) -> None:
        """An admin says who this is (in the admin's scope): verified, with no token."""
        await self._store.link(member=member, login=login, verified_by=by)

    async def unlink(self, member: Member) -> bool:
        """Forget the link and revoke its token at GitHub (best effort: the link goes anyway)."""
        identity = await self._store.identity(member=member)
        tokens = await self._store.unlink(member=member)
        if tokens is not None and self._github is not None:
            try:
                await self._github.revoke(access_token=tokens.access)
            except SignInError as error:
                log.warning("github token revocation failed: %s", error.message)
        return identity is not None

    async def identity(self, member: Member) -> Identity | None:
        return await self._store.identity(member=member)

    async def verified_login(self, member: Member) -> str:
        """The member's login when a sign-in or an admin proved it, else ""."""
        identity = await self._store.identity(member=member)
        return identity.login if identity is not None and identity.verified else ""

    async def access_token(self, member: Member) -> str:
        """The member's user token, refreshed first when it expired; "" when there is none.

        One replica refreshes (it holds the lease); the others wait for its new
        token instead of spending the refresh token a second time, which GitHub
        would answer by revoking both.
        """
        tokens = await self._store.tokens(member=member)
        for _ in range(int(REFRESH_LEASE_SECONDS / REFRESH_WAIT_SECONDS) + 2):
            if tokens is None:
                return ""
            if not tokens.expired(self._clock()):
                return tokens.access
            if self._github is None or not tokens.refreshable(self._clock()):
                return ""
            if await self._store.claim_refresh(member=member, seconds=REFRESH_LEASE_SECONDS):
                return await self._refresh_claimed(member)
            await asyncio.sleep(REFRESH_WAIT_SECONDS)
            tokens = await self._store.tokens(member=member)
        return ""

    async def _refresh_claimed(self, member: Member) -> str:
        """With the lease held, read the tokens again: another caller may have refreshed them
        between our read and our claim, and its old refresh token is spent."""
        tokens = await self._store.tokens(member=member)
        if tokens is None or not tokens.expired(self._clock()):
            await self._store.release_refresh(member=member)
            return tokens.access if tokens is not None else ""
        return await self._refresh(member, tokens)

    async def _refresh(self, member: Member, tokens: Tokens) -> str:
        assert self._github is not None
        try:
            fresh = await self._github.refresh(refresh_token=tokens.refresh)
        except SignInError as error:
            log.warning("github token refresh failed: %s", error.message)
            await self._store.release_refresh(member=member)
            return ""
        await self._store.save_tokens(member=member, tokens=fresh)
        return fresh.access
