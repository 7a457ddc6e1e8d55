"""What the digest needs from storage (`storage/digest.py` implements these) and the tracker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from bot.digest.model import Snooze, Subscription, Thresholds
from bot.types import Issue, Place, Reply


class IssueListing(Protocol):
    """The part of the Tracker port a digest reads, so a fake needs only this much."""

    @property
    def repository(self) -> str: ...

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open", since: datetime | None = None
    ) -> Sequence[Issue]: ...


class Sources(Protocol):
    """The repositories whose issues a place's digest shows (bot.digest.follows)."""

    async def for_place(self, place: Place) -> Sequence[IssueListing]: ...


class PostBuilder(Protocol):
    """What a scheduled run posts (the digest, one per repository; the weekly insights):
    nothing posts nothing."""

    async def build(
        self, *, place: Place, thresholds: Thresholds, now: datetime, post_empty: bool = True
    ) -> list[Reply]: ...


class SubscriptionStore(Protocol):
    async def get(self, *, key: str) -> Subscription | None: ...

    async def all(self) -> Sequence[Subscription]: ...

    async def save(self, *, subscription: Subscription) -> Subscription:
        """Insert or update by place key; returns it with its id."""
        ...

    async def delete(self, *, key: str) -> bool: ...


class SnoozeStore(Protocol):
    async def snooze(
        self, *, key: str, repository: str, number: int, at: datetime, until: datetime
    ) -> None: ...

    async def active(self, *, key: str, now: datetime) -> Sequence[Snooze]: ...


class RunStore(Protocol):
    """One row per (subscription, local scheduled date): the database decides who sends."""

    async def claim(
        self, *, subscription_id: int, day: date, now: datetime, lease_seconds: float
    ) -> bool:
        """True for exactly one caller per day, unless a claimer died: then after the lease."""
        ...

    async def finish(
        self, *, subscription_id: int, day: date, status: str, now: datetime, detail: str = ""
    ) -> None: ...

    async def skip(self, *, subscription_id: int, day: date, now: datetime) -> bool:
        """Record a missed day; True only the first time (so it is logged once)."""
        ...
