"""After an outage: the spool back into the inbox, then GitHub's failed deliveries asked for again.

Runs once at start-up (a restart is an outage too: deliveries may have
failed while we were down, and a dead process may have left a spool file),
and again each time the database comes back after the webhook found it
gone: while it is down this pings it every second, and the first answer
(the same flip `/readyz` shows) replays the spool and reconciles. A spool
file left by another process on the same disk is picked up within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from adapters.github.reconcile import NoHook, Reconciler
from storage.database import unavailable
from storage.inbox import SqlInbox
from storage.spool import Spool

log = logging.getLogger(__name__)

DOWN_SECONDS = 1.0
IDLE_SECONDS = 60.0
RECONCILE_RETRY_SECONDS = 60.0


class Kicker(Protocol):
    async def kick(self) -> None: ...


class Recovery:
    def __init__(
        self,
        *,
        spool: Spool,
        inbox: SqlInbox,
        ingest: Kicker,
        reconciler: Reconciler | None,
        ping: Callable[[], Awaitable[bool]],
    ) -> None:
        self._spool = spool
        self._inbox = inbox
        self._ingest = ingest
        self._reconciler = reconciler
        self._ping = ping
        self._down = False
        self._reconcile_due = reconciler is not None
        self._reconcile_after = 0.0
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def down(self) -> bool:
        """The database was found out of reach and has not answered since."""
        return self._down

    def database_down(self) -> None:
        """The webhook met the database out of reach: watch for its return."""
        if not self._down:
            self._down = True
            self._wake.set()

    def start(self) -> None:
        self._stopped.clear()
        self._task = asyncio.create_task(self._run(), name="github recovery")

    async def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def run_once(self) -> None:
        """One look: is the database back, is anything spooled, is a reconciliation due."""
        if self._down and not await self._ping():
            return
        if self._down:
            log.info("the database is back: replaying the spool and reconciling with GitHub")
            self._down, self._reconcile_due = False, self._reconciler is not None
        if self._spool.pending():
            await self._replay()
        if self._reconcile_due and not self._down and time.monotonic() >= self._reconcile_after:
            await self._reconcile()

    async def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("recovery failed; trying again")
            busy = self._down or self._reconcile_due or self._spool.pending()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), DOWN_SECONDS if busy else IDLE_SECONDS)

    async def _replay(self) -> None:
        try:
            replayed = await self._spool.replay(self._inbox)
        except Exception as error:
            if not unavailable(error):
                raise
            log.warning("spool replay waits: the database is unreachable", exc_info=error)
            self._down = True
            return
        if replayed:
            log.info("replayed %d spooled deliveries into the inbox", replayed)
            await self._ingest.kick()

    async def _reconcile(self) -> None:
        assert self._reconciler is not None
        try:
            await self._reconciler.run()
        except NoHook as error:
            log.warning("reconciliation off: %s (set DSLP_GITHUB_HOOK_ID)", error)
        except Exception as error:
            if unavailable(error):
                self._down = True
            log.warning("reconciliation failed; trying again", exc_info=error)
            self._reconcile_after = time.monotonic() + RECONCILE_RETRY_SECONDS
            return
        self._reconcile_due = False
