"""Working the inbox: each accepted delivery through the lifecycle, after GitHub has its answer.

The webhook (and the poller) only record the raw delivery; this worker
leases batches of inbox rows, decides each with `Lifecycle.decide` and
records a batch's events with `Lifecycle.record_all`, whose single
transaction writes the events, their notifications and the rows' end
together (one commit per batch rather than one per row). So a crash
between answering and working loses nothing (the lease runs out and the
row is worked again), and working a row twice tells nobody twice (the
event's delivery key is unique). One loop per process, woken by each new
delivery and by a timer; replicas share the rows through their leases.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from adapters.github.events import PROJECT_ITEM_EVENT, MalformedEvent, to_event
from adapters.github.history import remember
from bot.insights.ports import HistoryStore
from bot.lifecycle.audience import Recording
from bot.lifecycle.events import TrackerEvent
from bot.lifecycle.rules import ask_number_of
from bot.lifecycle.service import Lifecycle
from bot.playbook.follow import Follow
from storage.inbox import Leased, Received, SqlInbox
from storage.values import utc_now

log = logging.getLogger(__name__)
Resolve = Callable[[Received], Awaitable[TrackerEvent | None]]

BATCH = 500
"""Rows a batch claims: its fixed costs (the claim, a round's lookups and its commit)
are shared by up to this many rows; a round of 500 commits in well under a second."""
LANES = 8
# During a burst (>= 200 deliveries a second) the webhook's answers come
# first: the worker takes small batches, deciding one row at a time, with
# pauses, so the inbox's next commit waits behind at most one small commit
# of the worker's (still >= 250 rows a second), and catches up at full speed
# afterwards. Ordinary traffic, however steady, is worked at once.
BUSY_ADDS = 50
BUSY_WINDOW_SECONDS = 0.25
BUSY_BATCH = 50
BUSY_PAUSE_SECONDS = 0.2
LEASE_SECONDS = 60.0
IDLE_SECONDS = 5.0
MAX_ATTEMPTS = 8
RETRY_CAP_SECONDS = 600.0
KEEP_WORKED = timedelta(days=1)
PRUNE_EVERY_SECONDS = 600.0


class IngestWorker:
    def __init__(
        self,
        *,
        inbox: SqlInbox,
        lifecycle: Lifecycle,
        after: Callable[[], Awaitable[None]],
        batch: int = BATCH,
        lease_seconds: float = LEASE_SECONDS,
        history: HistoryStore | None = None,
        follow: Follow | None = None,
        projects: Resolve | None = None,
    ) -> None:
        """`after` runs once a batch is worked: it kicks the notification worker; `history`
        keeps the issue events for the insights.

        `follow` sees each event recorded for the first time, after its round is recorded
        (the playbook makes a hand-opened issue a sub-issue of its Ask); its failures are
        logged and never hold the row back: what it does is safe to do again, and is.

        `projects` reads a `projects_v2_item` row, which names no repository, into its event
        (a lookup in GitHub: one that fails leaves the row to be retried); without it such
        rows are finished unread."""
        self._history = history
        self._inbox = inbox
        self._lifecycle = lifecycle
        self._after = after
        self._follow = follow
        self._projects = projects
        self._batch = batch
        self._lease_seconds = lease_seconds
        self._turn = asyncio.Lock()
        self._wake = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self._pruned_at = float("-inf")

    async def run_once(self, limit: int = 0, lanes: int = LANES) -> int:
        """Work one leased batch; returns how many rows it claimed."""
        async with self._turn:
            claimed = await self._inbox.claim(
                limit=limit or self._batch, lease_seconds=self._lease_seconds
            )
            await self._remember(claimed)
            await self._work_lanes(claimed, lanes)
        if claimed:
            await self._after()
        return len(claimed)

    async def _remember(self, claimed: Sequence[Leased]) -> None:
        """Best effort: a history that misses a delivery is completed by the next backfill."""
        if self._history is None or not claimed:
            return
        try:
            await remember(self._history, [leased.received for leased in claimed])
        except Exception:
            log.exception("keeping %d deliveries in the insights history failed", len(claimed))

    async def drain(self) -> None:
        """Work until nothing is waiting (tests, and the end of a burst)."""
        while await self.run_once():
            pass

    async def _work_lanes(self, claimed: Sequence[Leased], width: int) -> None:
        """Rows of one Ask (or one issue) in order, in rounds; one transaction per round.

        Events about the same Ask read what the one before wrote (its phase,
        who was told), so a lane's second row waits for the round that
        records its first; a round holds at most one row of each lane, so a
        batch of distinct issues is one round and one commit.
        """
        lanes: dict[tuple[str, int], list[tuple[Leased, TrackerEvent]]] = {}
        ignored: list[int] = []
        for leased in claimed:
            try:
                event = await self._event_of(leased.received)
            except (ValueError, RecursionError, MalformedEvent) as error:  # checked on the way in
                await self._inbox.done(row_id=leased.id, error=f"unreadable: {error}")
                continue
            except Exception as error:  # GitHub did not answer a Project item's lookup
                await self._failed(leased, error)
                continue
            if event is None:
                ignored.append(leased.id)  # nothing the lifecycle follows: the row is finished
            else:
                lanes.setdefault(_lane(event), []).append((leased, event))
        await self._inbox.done_all(row_ids=ignored)
        gate, lifecycle = asyncio.Semaphore(width), self._lifecycle.for_batch()
        for round_ in itertools.zip_longest(*lanes.values()):
            await self._work_round([row for row in round_ if row is not None], gate, lifecycle)

    async def _work_round(
        self,
        rows: Sequence[tuple[Leased, TrackerEvent]],
        gate: asyncio.Semaphore,
        lifecycle: Lifecycle,
    ) -> None:
        """Decide every row side by side (reads only), then record them all at once."""
        lifecycle = await lifecycle.for_round([event for _, event in rows])
        found = await asyncio.gather(*(self._decide(row, gate, lifecycle) for row in rows))
        decided = [row for row in found if row is not None]
        recordings = [(leased, r) for leased, r in decided if r is not None]
        known = [leased.id for leased, r in decided if r is None]
        known += await self._record(recordings, lifecycle)
        await self._inbox.done_all(row_ids=known)
        await self._follow_up([r.event for leased, r in recordings if leased.id not in known])

    async def _event_of(self, received: Received) -> TrackerEvent | None:
        if received.event != PROJECT_ITEM_EVENT:
            return _event_of(received)
        return await self._projects(received) if self._projects else None

    async def _follow_up(self, events: Sequence[TrackerEvent]) -> None:
        follow = self._follow
        if follow is None:
            return
        for event in events:
            try:
                await follow(event)
            except Exception as error:
                log.warning("following %s failed: %r", event.delivery, error)

    async def _decide(
        self, row: tuple[Leased, TrackerEvent], gate: asyncio.Semaphore, lifecycle: Lifecycle
    ) -> tuple[Leased, Recording | None] | None:
        """The row's recording (None if recorded before); None for a failed row, to retry."""
        leased, event = row
        try:
            async with gate:
                return leased, await lifecycle.decide(event)
        except Exception as error:
            await self._failed(leased, error)
            return None

    async def _record(
        self, rows: Sequence[tuple[Leased, Recording]], lifecycle: Lifecycle
    ) -> list[int]:
        """Record the rows in one transaction, else one at a time; ids of rows known before."""
        if len(rows) > 1:
            try:
                recorded = await lifecycle.record_all([recording for _, recording in rows])
            except Exception as error:
                log.warning("recording %d rows together failed (%r); one by one", len(rows), error)
            else:
                return [leased.id for leased, r in rows if r.event.delivery not in recorded]
        known = []
        for leased, recording in rows:
            try:
                if not await lifecycle.record_all([recording]):
                    known.append(leased.id)
            except Exception as error:
                await self._failed(leased, error)
        return known

    async def _failed(self, leased: Leased, error: Exception) -> None:
        log.exception("inbox row %s (%s) failed", leased.id, leased.received.delivery)
        attempts = leased.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            log.error("inbox row %s given up after %d attempts", leased.id, attempts)
            await self._inbox.done(row_id=leased.id, error=repr(error))
            return
        wait = min(RETRY_CAP_SECONDS, 2.0**attempts)
        await self._inbox.retry_at(
            row_id=leased.id, at=utc_now() + timedelta(seconds=wait), error=repr(error)
        )

    async def kick(self) -> None:
        """Work soon, in the background: the caller has already answered or moves on."""
        self._wake.set()

    def start(self) -> None:
        self._stopped.clear()
        self._loop = asyncio.create_task(self._run(), name="github inbox")

    async def stop(self) -> None:
        """Finish the batch in hand, then stop; what is left waits in the inbox for next time."""
        self._stopped.set()
        self._wake.set()
        if self._loop is not None:
            await self._loop

    async def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                await self._work_all()
                await self._prune()
            except Exception:
                log.exception("working the inbox failed; trying again in %ss", IDLE_SECONDS)
            await _wait(self._wake, IDLE_SECONDS)

    async def _prune(self) -> None:
        """Now and then, when idle, forget rows worked over a day ago: the inbox stays small."""
        now = time.monotonic()
        if now - self._pruned_at < PRUNE_EVERY_SECONDS:
            return
        self._pruned_at = now
        await self._inbox.prune(before=utc_now() - KEEP_WORKED)

    async def _work_all(self) -> None:
        """Full batches while the webhook is quiet; small ones with pauses while it is busy."""
        while not self._stopped.is_set():
            limit, lanes = self._batch, LANES
            if self._inbox.busy(adds=BUSY_ADDS, within=BUSY_WINDOW_SECONDS):
                await _wait(self._stopped, BUSY_PAUSE_SECONDS)
                limit, lanes = BUSY_BATCH, 1
            if not await self.run_once(limit, lanes):
                return


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less if `event` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


def _event_of(received: Received) -> TrackerEvent | None:
    return to_event(received.event, json.loads(received.payload), received.delivery)


def _lane(event: TrackerEvent) -> tuple[str, int]:
    """The Ask an event belongs to, else its issue."""
    return (event.repository.casefold(), ask_number_of(event) or event.issue.number)
