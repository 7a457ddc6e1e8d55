"""Delivering recorded notifications: claimed with a lease, sent once, retried with backoff.

The journal row is the unit of work. A worker leases a batch (so a second
worker or replica skips it), sends each through the platform's Outbox and
marks it sent; a failure frees the row for a later attempt, at the
platform's `Retry-After` when it gave one, else after an exponential
backoff. A crash mid-way leaves the lease to expire and the row is sent
then; a row that was sent is never claimed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from adapters.github.ingest import IngestWorker
from bot.background import Background
from bot.lifecycle.rules import NotifyConfig
from bot.lifecycle.service import Lifecycle
from bot.ports import DeliveryError
from bot.types import Place, Reply, Say
from storage.events import Pending, SqlEventJournal
from storage.inbox import SqlInbox
from storage.people import SqlPeopleStore
from storage.values import utc_now

log = logging.getLogger(__name__)


class Sender(Protocol):
    """What the worker needs of the RoutingOutbox."""

    def handles(self, platform: str) -> bool: ...

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None: ...


@dataclass(frozen=True)
class Backoff:
    base: float = 2.0
    cap: float = 900.0
    max_attempts: int = 10

    def delay(self, attempts: int, retry_after: float | None) -> float:
        """Wait at least what the platform asked for; else double each time, up to the cap."""
        computed = min(self.cap, self.base * 2.0 ** min(attempts, 60))
        return max(computed, retry_after or 0.0)


class DeliveryWorker:
    def __init__(
        self,
        *,
        journal: SqlEventJournal,
        outbox: Sender,
        backoff: Backoff | None = None,
        lease_seconds: float = 60.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._journal = journal
        self._outbox = outbox
        self._backoff = backoff or Backoff()
        self._lease_seconds = lease_seconds
        self._clock = clock
        self._background = Background()

    async def run_once(self, limit: int = 20) -> int:
        """Send what is due; returns how many rows it claimed."""
        claimed = await self._journal.claim_due(limit=limit, lease_seconds=self._lease_seconds)
        for pending in claimed:
            await self._deliver(pending)
        return len(claimed)

    async def _deliver(self, pending: Pending) -> None:
        if not self._outbox.handles(pending.place.platform):
            reason = f"no sender for platform {pending.place.platform}"
            log.warning("notification %s not sent: %s", pending.key, reason)
            await self._journal.mark_failed(row_id=pending.id, error=reason)
            return
        try:
            replies = [Say(pending.text, pending.choices)]
            await self._outbox.send(place=pending.place, replies=replies)
        except DeliveryError as error:
            await self._failed(pending, error.message, error.retry_after, error.permanent)
            return
        except Exception as error:
            log.exception("notification %s failed unexpectedly", pending.key)
            await self._failed(pending, repr(error), None, False)
            return
        await self._journal.mark_sent(row_id=pending.id)

    async def _failed(
        self, pending: Pending, message: str, retry_after: float | None, permanent: bool
    ) -> None:
        attempts = pending.attempts + 1
        if permanent or attempts >= self._backoff.max_attempts:
            log.warning("notification %s given up after %d: %s", pending.key, attempts, message)
            await self._journal.mark_failed(row_id=pending.id, error=message)
            return
        wait = self._backoff.delay(pending.attempts, retry_after)
        at = self._clock() + timedelta(seconds=wait)
        log.info("notification %s: retry in %.1fs (%s)", pending.key, wait, message)
        await self._journal.retry_at(row_id=pending.id, at=at, error=message)

    async def kick(self) -> None:
        """Deliver now in the background: the webhook answers GitHub first."""
        self._background.spawn(self.run_once(), "notification run")

    async def drain(self) -> None:
        await self._background.drain()


@dataclass
class Notifications:
    """The lifecycle's parts, wired once in the composition root.

    `inbox` is where the webhook and the poller put what they receive;
    `ingest` works it and then kicks `worker`, looked up at each kick so a
    test can stand in for the delivery worker.
    """

    people: SqlPeopleStore
    journal: SqlEventJournal
    lifecycle: Lifecycle
    worker: DeliveryWorker
    config: NotifyConfig
    inbox: SqlInbox
    ingest: IngestWorker = field(init=False)

    def __post_init__(self) -> None:
        self.ingest = IngestWorker(inbox=self.inbox, lifecycle=self.lifecycle, after=self._deliver)

    async def _deliver(self) -> None:
        await self.worker.kick()
