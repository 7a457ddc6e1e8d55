"""What the identity service needs: somewhere to keep identities, and GitHub's sign-in."""

from __future__ import annotations

from typing import Protocol

from bot.identity.model import Identity, PendingSignIn, Tokens
from bot.types import Member


class SignInError(Exception):
    """GitHub refused or did not answer; `message` is safe to show (no token, no code)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IdentityStore(Protocol):
    """Links of members to GitHub logins, the sign-ins under way, and user tokens (sealed).

    A link and its tokens belong to a member in one scope (bot.types.Member):
    a login linked in one workspace or tenant is never read from another.
    """

    async def add_sign_in(self, *, state_hash: str, pending: PendingSignIn) -> None: ...

    async def sign_in(self, *, state_hash: str) -> PendingSignIn | None:
        """The sign-in under way with that state, expired or not; None when unknown or used."""
        ...

    async def take_sign_in(self, *, state_hash: str) -> PendingSignIn | None:
        """As `sign_in`, and used up: of two callers with one state, one gets it."""
        ...

    async def link(
        self, *, member: Member, login: str, verified_by: str, tokens: Tokens | None = None
    ) -> None:
        """One login per member and scope; replaces the member's link and tokens there."""
        ...

    async def identity(self, *, member: Member) -> Identity | None: ...

    async def unlink(self, *, member: Member) -> Tokens | None:
        """Removes the link; returns the tokens it held (to revoke), None when there were none."""
        ...

    async def tokens(self, *, member: Member) -> Tokens | None: ...

    async def claim_refresh(self, *, member: Member, seconds: float) -> bool:
        """A lease on refreshing this member's token, held by one caller across replicas."""
        ...

    async def save_tokens(self, *, member: Member, tokens: Tokens) -> None:
        """New tokens after a refresh; frees the lease."""
        ...

    async def release_refresh(self, *, member: Member) -> None: ...


class GitHubSignIn(Protocol):
    """GitHub's web sign-in (an OAuth app's, or a GitHub App's user authorisation)."""

    def authorize_url(self, *, state: str) -> str: ...

    async def exchange(self, *, code: str) -> Tokens: ...

    async def refresh(self, *, refresh_token: str) -> Tokens: ...

    async def login(self, *, access_token: str) -> str: ...

    async def revoke(self, *, access_token: str) -> None: ...
