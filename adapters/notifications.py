"""Delivering queued messages: claimed with a lease, sent once, retried with backoff.

The journal row is the unit of work: a lifecycle notification, or the
replies of background work (a filing result) queued by `DurableReplies`. A
worker leases a batch (so a second worker or replica skips it), renewing
short leases while it works, sends each through the platform's Outbox and
marks it sent; a failure frees the row for a later attempt, at the
platform's `Retry-After` when it gave one, else after an exponential
backoff. If the worker fails (the database went away) it hands back the
rows it had not tried at once; the one in flight keeps its claim time, and
its next send first looks whether it was posted (see adapters/outbox.py).

A lease can run out while its worker still works (renewals held up by a busy
or absent database); another worker may then take the rows. So before each
send a worker makes sure the claim is still its own, renewing it first when
the last renewal is too old to vouch for the send.

After a kick it keeps going until nothing is due; a place that answered
Retry-After has its waiting rows deferred until then, and a place with more
than DSLP_COALESCE_AFTER rows waiting gets one summary for them all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from adapters.github.ingest import IngestWorker
from adapters.github.projects import ProjectRows
from adapters.outbox import Mark
from bot.background import Background, Heartbeat
from bot.insights.ports import HistoryStore
from bot.lifecycle.audience import place_key
from bot.lifecycle.rules import NotifyConfig
from bot.lifecycle.service import Lifecycle
from bot.lifecycle.summary import summary
from bot.playbook.edits import ProjectEdits
from bot.playbook.follow import Follow
from bot.ports import DeliveryError
from bot.types import Place, Reply
from storage.events import Pending, SqlEventJournal
from storage.inbox import SqlInbox
from storage.people import SqlPeopleStore
from storage.values import utc_now

log = logging.getLogger(__name__)

BATCH = 20
"""Rows claimed at a time: short enough that a lease renewal covers the slowest send."""
COALESCE_AFTER = 10
SUMMARY_MARK = "summary:{key}"
"""A summary's mark is its oldest row's: a retry of it finds the message it may have posted."""


class Sender(Protocol):
    """What the worker needs of the RoutingOutbox."""

    def handles(self, platform: str) -> bool: ...

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str: ...


@dataclass(frozen=True)
class Backoff:
    base: float = 2.0
    cap: float = 900.0
    max_attempts: int = 10

    def delay(self, attempts: int, retry_after: float | None) -> float:
        """Wait at least what the platform asked for; else double each time, up to the cap."""
        computed = min(self.cap, self.base * 2.0 ** min(attempts, 60))
        return max(computed, retry_after or 0.0)


class Claim:
    """The rows one run holds, and until when it knows it holds them."""

    def __init__(
        self, journal: SqlEventJournal, rows: Sequence[Pending], lease_seconds: float
    ) -> None:
        self._journal = journal
        self._lease_seconds = lease_seconds
        self.at = rows[0].claimed_at if rows else None
        self.held = {pending.id for pending in rows}
        self._until = time.monotonic() + lease_seconds

    async def renew(self) -> None:
        """Extend the lease of what is still held; rows another claim took are let go."""
        if self.at is None or not self.held:
            return
        started = time.monotonic()
        kept = await self._journal.renew(
            row_ids=sorted(self.held), claimed_at=self.at, lease_seconds=self._lease_seconds
        )
        lost = self.held - kept
        if lost:
            log.warning("notifications: %d rows were taken by another worker", len(lost))
        self.held &= kept
        self._until = started + self._lease_seconds

    async def holds(self, row_id: int) -> bool:
        """Whether `row_id` may be sent now: at least half its lease ahead, renewed if need be."""
        if time.monotonic() + self._lease_seconds / 2 >= self._until:
            await self.renew()
        return row_id in self.held


class DeliveryWorker:
    def __init__(
        self,
        *,
        journal: SqlEventJournal,
        outbox: Sender,
        backoff: Backoff | None = None,
        lease_seconds: float = 15.0,
        clock: Callable[[], datetime] = utc_now,
        coalesce_after: int = COALESCE_AFTER,
    ) -> None:
        """`coalesce_after`: more notifications than this waiting for one place are
        sent as one summary (0: never)."""
        self.journal = journal
        self._coalesce_after = coalesce_after
        self._outbox = outbox
        self._backoff = backoff or Backoff()
        self._lease_seconds = lease_seconds
        self._clock = clock
        self._background = Background()
        self._kicked = False
        self._running = False
        self._maybe_crowded = True

    async def run_once(self, limit: int = BATCH) -> int:
        """Send what is due, crowded places first; returns how many rows it claimed.

        Places are counted only when rows may have been queued since the last
        count (a kick, a sweep): a long drain of singles does not count them
        again for every batch of 20.
        """
        summed = 0
        if self._maybe_crowded:
            self._maybe_crowded = False
            summed = await self._summarize_crowded()
        claimed = await self.journal.claim_due(limit=limit, lease_seconds=self._lease_seconds)
        claim = Claim(self.journal, claimed, self._lease_seconds)
        waiting: set[str] = set()  # places that asked us to wait, during this run
        async with Heartbeat(claim.renew, self._lease_seconds / 3):
            for pending in claimed:
                await self._send_held(claim, pending, waiting)
        return summed + len(claimed)

    async def _send_held(self, claim: Claim, pending: Pending, waiting: set[str]) -> None:
        try:
            if not await claim.holds(pending.id):
                return
        except Exception:
            await self._release(sorted(claim.held))  # nothing is in flight yet
            raise
        try:
            await self._deliver_unless_waiting(pending, waiting)
        except Exception:
            await self._release(sorted(claim.held - {pending.id}))  # it may have been posted
            raise
        claim.held.discard(pending.id)

    async def _summarize_crowded(self) -> int:
        """A place with more than `coalesce_after` notifications waiting gets one summary.

        The summary is sent as one message and marks every row it covers
        sent in one transaction, so each is still told once; a quiet place
        never gets here and hears each notification at once.
        """
        if self._coalesce_after <= 0:
            return 0
        total = 0
        more_than, lease = self._coalesce_after, self._lease_seconds
        while crowd := await self.journal.claim_crowded(more_than=more_than, lease_seconds=lease):
            first = crowd.pending[0]
            unsure = min((p.unsure_since for p in crowd.pending if p.unsure_since), default=None)
            mark = Mark(SUMMARY_MARK.format(key=first.key), unsure)
            claim = Claim(self.journal, crowd.pending, lease)
            async with Heartbeat(claim.renew, lease / 3):
                await claim.holds(first.id)  # renewed first if the claim has grown old
                rows = [pending for pending in crowd.pending if pending.id in claim.held]
                if rows:
                    retry_after = await self._deliver(rows, [summary(crowd.queued)], mark)
                    if retry_after:
                        await self._defer(crowd.place, retry_after)
            total += len(crowd.pending)
        return total

    async def drain_due(self) -> int:
        """Send until nothing is due: a burst goes out as fast as the platforms take it.

        Ends when every waiting row is due later (a retry, a place's
        Retry-After), so it never spins; the sweep picks those up.
        """
        total, self._maybe_crowded = 0, True
        while claimed := await self.run_once():
            total += claimed
        return total

    async def _deliver_unless_waiting(self, pending: Pending, waiting: set[str]) -> None:
        """A place that answered Retry-After gets nothing more this run: its rows were deferred."""
        if place_key(pending.place) in waiting:
            await self.journal.release(row_ids=[pending.id])
            return
        mark = Mark(pending.key, pending.unsure_since)
        retry_after = await self._deliver([pending], pending.replies, mark)
        if retry_after:
            waiting.add(place_key(pending.place))
            await self._defer(pending.place, retry_after)

    async def _defer(self, place: Place, retry_after: float) -> None:
        until = self._clock() + timedelta(seconds=retry_after)
        await self.journal.defer(place=place, until=until)

    async def _release(self, row_ids: Sequence[int]) -> None:
        """Best effort: with the database down this fails too, and the short leases run out."""
        if not row_ids:
            return
        try:
            await self.journal.release(row_ids=row_ids)
        except Exception as error:
            log.warning(
                "notifications: %d rows not released (%s); their leases run out in %.0fs",
                len(row_ids),
                type(error).__name__,
                self._lease_seconds,
            )

    async def _deliver(
        self, rows: Sequence[Pending], replies: Sequence[Reply], mark: Mark
    ) -> float | None:
        """Send `replies` for the rows (one, or those a summary covers) to their place.

        All the rows are marked sent together, or each is failed; returns the
        place's Retry-After when it answered with one.
        """
        place = rows[0].place
        if not self._outbox.handles(place.platform):
            reason = f"no sender for platform {place.platform}"
            log.warning("notification %s not sent: %s", mark.key, reason)
            for pending in rows:
                await self.journal.mark_failed(row_id=pending.id, error=reason)
            return None
        try:
            ref = await self._outbox.send_marked(place=place, replies=replies, mark=mark)
        except DeliveryError as error:
            for pending in rows:
                await self._failed(pending, error.message, error.retry_after, error.permanent)
            return None if error.permanent else error.retry_after
        except Exception as error:
            log.exception("notification %s failed unexpectedly", mark.key)
            for pending in rows:
                await self._failed(pending, repr(error), None, False)
            return None
        await self.journal.mark_all_sent(row_ids=[pending.id for pending in rows], ref=ref)
        return None

    async def _failed(
        self, pending: Pending, message: str, retry_after: float | None, permanent: bool
    ) -> None:
        attempts = pending.attempts + 1
        if permanent or attempts >= self._backoff.max_attempts:
            log.warning("notification %s given up after %d: %s", pending.key, attempts, message)
            await self.journal.mark_failed(row_id=pending.id, error=message)
            return
        wait = self._backoff.delay(pending.attempts, retry_after)
        at = self._clock() + timedelta(seconds=wait)
        log.info("notification %s: retry in %.1fs (%s)", pending.key, wait, message)
        await self.journal.retry_at(row_id=pending.id, at=at, error=message)

    async def kick(self) -> None:
        """Deliver now in the background (the webhook answers GitHub first).

        One run at a time: a kick during a run makes it look once more
        before it ends, instead of starting a second run beside it.
        """
        self._kicked = self._maybe_crowded = True
        if not self._running:
            self._running = True
            self._background.spawn(self._run_kicked(), "notification run")

    async def _run_kicked(self) -> None:
        try:
            while self._kicked:
                self._kicked = False
                await self.drain_due()
        finally:
            self._running = False

    async def drain(self) -> None:
        await self._background.drain()


class DurableReplies:
    """bot.filing.Queue: background work's replies go through the same journal and worker.

    Queued, then sent at once by this task (so a filing run is done when its
    reply is out, which the console waits for); a failed send stays queued
    for the worker's sweep and its retries.
    """

    def __init__(self, journal: SqlEventJournal, worker: DeliveryWorker) -> None:
        self.journal = journal
        self._worker = worker

    async def enqueue(self, *, key: str, place: Place, replies: Sequence[Reply]) -> None:
        if not await self.journal.enqueue(key=key, place=place, replies=replies):
            log.info("outbox: %s was queued before; not queued again", key)
        try:
            await self._worker.run_once()
        except Exception as error:
            log.warning("outbox: sending %s now failed (%s); the sweep retries", key, error)


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
    history: HistoryStore | None = None
    follow: Follow | None = None
    """What else each new event starts (the playbook's sub-issues for hand-opened issues)."""
    projects: ProjectEdits | None = None
    """Project field edits made in GitHub, read as transitions (the playbook)."""
    ingest: IngestWorker = field(init=False)

    def __post_init__(self) -> None:
        self.ingest = IngestWorker(
            inbox=self.inbox,
            lifecycle=self.lifecycle,
            after=self._deliver,
            history=self.history,
            follow=self.follow,
            projects=ProjectRows(self.projects) if self.projects else None,
        )

    async def _deliver(self) -> None:
        await self.worker.kick()
