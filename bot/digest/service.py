"""Building a channel's digest from the tracker, and running scheduled days exactly once.

GitHub cost is two listings, whatever the repository's size: every open
issue, and closed issues updated within the look-back window (succeeded
Experiments and the Model issues that answer them). Both come 100 to a page
from the list endpoint, which, unlike search, has no 1,000-result cap.
Comments and linked pull requests move `updated_at`, so no per-issue call is
needed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.digest import render as r
from bot.digest import schedule as s
from bot.digest.model import (
    Clock,
    MentionLookup,
    Occurrence,
    Snooze,
    Subscription,
    Thresholds,
    place_key,
)
from bot.digest.ports import IssueListing, PostBuilder, RunStore, SnoozeStore, Sources
from bot.digest.rules import labels_of, stalled
from bot.dslp import IssueType
from bot.filing import Queue
from bot.ports import TrackerError
from bot.texts import digest as t
from bot.types import Issue, Place, Reply, Say, Scope

log = logging.getLogger(__name__)
GENERIC_FAILURE = "something went wrong on my side."
Sleep = Callable[[float], Awaitable[None]]


class DigestBuilder:
    """Lists issues, applies the rules and snoozes, and renders one digest per repository."""

    def __init__(
        self,
        *,
        tracker: IssueListing,
        snoozes: SnoozeStore,
        sources: Sources | None = None,
        lookup: MentionLookup | None = None,
        lookback_days: int = 30,
        max_items: int = r.MAX_ITEMS,
    ) -> None:
        """`tracker` is the default repository's; `sources` says which repositories a place's
        digest shows (bot.digest.follows), without it always the default one."""
        self.tracker = tracker
        self.snoozes = snoozes
        self.sources = sources
        self.lookup = lookup
        self.lookback = timedelta(days=lookback_days)
        self.max_items = max_items

    async def issues(self, tracker: IssueListing, now: datetime) -> list[Issue]:
        """Raises TrackerError when GitHub fails after its own retries."""
        opened = await tracker.list_issues(state="open")
        closed = await tracker.list_issues(state="closed", since=now - self.lookback)
        return [*opened, *closed]

    async def build(
        self, *, place: Place, thresholds: Thresholds, now: datetime, post_empty: bool = True
    ) -> list[Reply]:
        """For one channel: a digest per repository it follows that has stalled work (grouped
        by repository), its snoozes, and mentions of the people linked in its scope only."""
        listings = await self.sources.for_place(place) if self.sources else [self.tracker]
        if not listings:
            return [Say(t.NOTHING_SHOWN)] if post_empty else []
        snoozed = await self.snoozes.active(key=place_key(place), now=now)
        built = [await self._one(place, listing, thresholds, now, snoozed) for listing in listings]
        found = [reply for reply in built if reply is not None]
        if found or not post_empty:
            return found
        return [r.nothing(", ".join(listing.repository for listing in listings))]

    async def _one(
        self,
        place: Place,
        listing: IssueListing,
        thresholds: Thresholds,
        now: datetime,
        snoozed: Sequence[Snooze],
    ) -> Reply | None:
        issues = await self.issues(listing, now)
        repository, default = listing.repository, self.tracker.repository
        mine = [snooze for snooze in snoozed if snooze.of(repository, default)]
        items = r.visible(stalled(issues, now, thresholds), mine, now)
        if not items:
            return None
        members = await self.members(place.scope, _logins(items))
        asks = {i.number: i for i in issues if IssueType.ASK in labels_of(i)}
        return r.render(
            items,
            repository=repository,
            asks=asks,
            members=members,
            now=now,
            max_items=self.max_items,
        )

    async def members(self, scope: Scope, logins: Iterable[str]) -> Mapping[str, str]:
        """Member keys of the logins someone of the scope linked; a failing lookup: plain text."""
        if self.lookup is None:
            return {}
        wanted = sorted(set(logins))
        lookups = (self.lookup(scope, login) for login in wanted)
        found = await asyncio.gather(*lookups, return_exceptions=True)
        pairs = zip(wanted, found, strict=True)
        return {login: key for login, key in pairs if isinstance(key, str)}


def _logins(items: Iterable[r.Stalled]) -> set[str]:
    return {
        login for item in items for login in (item.issue.assignees or (item.issue.author,)) if login
    }


def failure_text(error: BaseException) -> str:
    return error.message if isinstance(error, TrackerError) else GENERIC_FAILURE


@dataclass(frozen=True)
class RunPolicy:
    """Retry a failing build `attempts` times, then say so; a claim dies after `lease_seconds`."""

    attempts: int = 3
    backoff_seconds: float = 60.0
    lease_seconds: float = 900.0
    grace: timedelta = timedelta(hours=2)


class DigestRunner:
    """Sends a subscription's due digest once: the database claim decides which replica builds it.

    The built digest goes to the durable outbox (`queue`) under a key of its
    run, so a chat platform's failure is retried there, and a run built twice
    (its claimer died after queueing, before finishing) still posts once.
    """

    def __init__(
        self,
        *,
        builder: PostBuilder,
        runs: RunStore,
        queue: Queue,
        clock: Clock,
        policy: RunPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.builder = builder
        self.runs = runs
        self.queue = queue
        self.clock = clock
        self.policy = policy or RunPolicy()
        self.sleep = sleep
        self._done: dict[int, date] = {}

    async def check(self, subscription: Subscription) -> str:
        """Run today's digest if it is due and nobody ran it; what happened, as one word."""
        now = self.clock()
        due = s.due(subscription.schedule, now, subscription.schedule_since)
        sub_id = subscription.id
        if due is None or sub_id is None or self._done.get(sub_id) == due.occurrence.day:
            return "idle"
        if due.within(self.policy.grace):
            outcome = await self.run(subscription, due.occurrence)
        else:
            outcome = await self._skip(subscription, due.occurrence, now)
        if outcome != "taken":
            self._done[sub_id] = due.occurrence.day
        return outcome

    async def _skip(self, subscription: Subscription, occurrence: Occurrence, now: datetime) -> str:
        assert subscription.id is not None
        if await self.runs.skip(subscription_id=subscription.id, day=occurrence.day, now=now):
            log.warning(
                "digest for %s on %s skipped: the bot was down at %s, beyond the grace window",
                subscription.key,
                occurrence.day,
                occurrence.at.isoformat(),
            )
            return "skipped"
        return "known"

    async def run(self, subscription: Subscription, occurrence: Occurrence) -> str:
        assert subscription.id is not None
        claimed = await self.runs.claim(
            subscription_id=subscription.id,
            day=occurrence.day,
            now=self.clock(),
            lease_seconds=self.policy.lease_seconds,
        )
        if not claimed:
            return "taken"
        replies, error = await self._build(subscription)
        status = "failed" if error is not None else ("sent" if replies else "empty")
        if replies:
            await self._queue(subscription, occurrence, replies)
        await self.runs.finish(
            subscription_id=subscription.id,
            day=occurrence.day,
            status=status,
            now=self.clock(),
            detail=failure_text(error) if error is not None else "",
        )
        return status

    async def _build(self, subscription: Subscription) -> tuple[list[Reply], BaseException | None]:
        """Bounded retries; after the last failure the channel gets a short line, not silence."""
        error: Exception = RuntimeError("not built")
        for attempt in range(1, self.policy.attempts + 1):
            try:
                built = await self.builder.build(
                    place=subscription.place,
                    thresholds=subscription.thresholds,
                    now=self.clock(),
                    post_empty=subscription.post_empty,
                )
                return built, None
            except Exception as exc:
                error = exc
                log.warning("digest for %s failed (attempt %d): %s", subscription.key, attempt, exc)
            if attempt < self.policy.attempts:
                await self.sleep(self.policy.backoff_seconds * attempt)
        return [Say(t.COULD_NOT_BUILD.format(reason=failure_text(error)))], error

    async def _queue(
        self, subscription: Subscription, occurrence: Occurrence, replies: list[Reply]
    ) -> None:
        """Raises when the database cannot take it: the run stays claimed and is built again
        after its lease."""
        key = f"digest:{subscription.key}:{occurrence.day.isoformat()}"
        await self.queue.enqueue(key=key, place=subscription.place, replies=replies)
