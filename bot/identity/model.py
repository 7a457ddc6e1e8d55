"""Identities, sign-in states and user tokens as the core sees them.

Token values are kept out of `repr`, so a token in a log line or a failed
assertion shows as its expiry, never as the secret itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.types import Member, Place

SIGN_IN_LIFETIME = timedelta(minutes=10)
EXPIRY_MARGIN = timedelta(seconds=60)
"""A token this close to its expiry is refreshed first: a request may take that long."""
GITHUB = "github"
"""`verified_by` of a link proven by GitHub's sign-in; an admin's vouch stores their key."""


@dataclass(frozen=True)
class Tokens:
    """A GitHub user token, and its refresh token where the App issues one."""

    access: str = field(repr=False)
    refresh: str = field(default="", repr=False)
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at - EXPIRY_MARGIN

    def refreshable(self, now: datetime) -> bool:
        fresh = self.refresh_expires_at is None or now < self.refresh_expires_at
        return bool(self.refresh) and fresh


@dataclass(frozen=True)
class Identity:
    """A member's GitHub login in one scope; only a verified one speaks for them."""

    member: Member
    login: str
    verified_by: str = ""

    @property
    def verified(self) -> bool:
        return bool(self.verified_by)


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in link handed out: whose it is (in which scope), where to confirm, until when."""

    member: Member
    confirm_to: Place
    expires_at: datetime


class SignInFailure(StrEnum):
    """Why a sign-in did not link anyone; each has its own page."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    DENIED = "denied"
    GITHUB = "github"


@dataclass(frozen=True)
class SignedIn:
    member: Member
    login: str


def state_hash(state: str) -> str:
    """What is stored of a state: someone reading the table cannot sign in as anyone."""
    return hashlib.sha256(state.encode()).hexdigest()
