"""Working the inbox: each accepted delivery through the lifecycle, after GitHub has its answer.

The webhook (and the poller) only record the raw delivery; this worker
leases batches of inbox rows and runs each through `Lifecycle.receive`,
whose single transaction records the event, its notifications and the
row's end together. So a crash between answering and working loses
nothing (the lease runs out and the row is worked again), and working a
row twice tells nobody twice (the event's delivery key is unique). One
loop per process, woken by each new delivery and by a timer; replicas
share the rows through their leases.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from adapters.github.events import MalformedEvent, to_event
from bot.lifecycle.events import TrackerEvent
from bot.lifecycle.rules import ask_number_of
from bot.lifecycle.service import Lifecycle
from storage.inbox import Leased, Received, SqlInbox
from storage.values import utc_now

log = logging.getLogger(__name__)

BATCH = 100
LANES = 8
# During a burst (>= 200 deliveries a second) the webhook's answers come
# first: the worker takes small batches, one row at a time (so the inbox's
# next commit waits behind at most one of the worker's), with pauses
# (still >= 50 rows a second), and catches up at full speed afterwards. Ordinary
# traffic, however steady, is worked at once.
BUSY_ADDS = 50
BUSY_WINDOW_SECONDS = 0.25
BUSY_BATCH = 10
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
    ) -> None:
        """`after` runs once a batch is worked: it kicks the notification worker."""
        self._inbox = inbox
        self._lifecycle = lifecycle
        self._after = after
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
            await self._work_lanes(claimed, lanes)
        if claimed:
            await self._after()
        return len(claimed)

    async def drain(self) -> None:
        """Work until nothing is waiting (tests, and the end of a burst)."""
        while await self.run_once():
            pass

    async def _work_lanes(self, claimed: Sequence[Leased], width: int) -> None:
        """Rows of one Ask (or one issue) in order, one after the other; lanes side by side.

        Events about the same Ask read what the one before wrote (its phase,
        who was told), so they keep their order; unrelated ones need not
        wait for each other's lookups and commits.
        """
        lanes: dict[tuple[str, int], list[tuple[Leased, TrackerEvent | None]]] = {}
        for leased in claimed:
            try:
                event = _event_of(leased.received)
            except (ValueError, RecursionError, MalformedEvent) as error:  # checked on the way in
                await self._inbox.done(row_id=leased.id, error=f"unreadable: {error}")
                continue
            lanes.setdefault(_lane(event, leased), []).append((leased, event))
        gate, lifecycle = asyncio.Semaphore(width), self._lifecycle.for_batch()
        await asyncio.gather(*(self._work_lane(lane, gate, lifecycle) for lane in lanes.values()))

    async def _work_lane(
        self,
        lane: Sequence[tuple[Leased, TrackerEvent | None]],
        gate: asyncio.Semaphore,
        lifecycle: Lifecycle,
    ) -> None:
        async with gate:
            for leased, event in lane:
                await self._work(leased, event, lifecycle)

    async def _work(self, leased: Leased, event: TrackerEvent | None, lifecycle: Lifecycle) -> None:
        received = leased.received
        try:
            recorded = event is not None and (await lifecycle.receive(event)).recorded
        except Exception as error:
            log.exception("inbox row %s (%s) failed", leased.id, received.delivery)
            await self._failed(leased, repr(error))
            return
        if not recorded:  # seen before, or nothing the lifecycle follows: the row is finished
            await self._inbox.done(row_id=leased.id)

    async def _failed(self, leased: Leased, error: str) -> None:
        attempts = leased.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            log.error("inbox row %s given up after %d attempts", leased.id, attempts)
            await self._inbox.done(row_id=leased.id, error=error)
            return
        wait = min(RETRY_CAP_SECONDS, 2.0**attempts)
        await self._inbox.retry_at(
            row_id=leased.id, at=utc_now() + timedelta(seconds=wait), error=error
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


def _lane(event: TrackerEvent | None, leased: Leased) -> tuple[str, int]:
    """The Ask an event belongs to (else its issue); rows the lifecycle skips get their own."""
    if event is None:
        return ("", -leased.id)
    return (event.repository.casefold(), ask_number_of(event) or event.issue.number)
