"""Work started after an answer, kept track of.

asyncio keeps only weak references to tasks: one nobody holds can be
garbage-collected mid-flight. Held here, their failures are logged, and a
graceful shutdown (or a test) can wait for all of them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())

    async def drain(self) -> None:
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


class Heartbeat:
    """Renews a claim while work runs, so leases can be short and a dead worker's work
    is taken over in seconds.

    Stopping waits for a renewal in flight instead of cancelling it (a cancelled
    database call would go on in its worker thread).
    """

    def __init__(self, renew: Callable[[], Awaitable[None]], every: float) -> None:
        self._renew = renew
        self._every = every
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._beat(), name="lease heartbeat")
        return self

    async def __aexit__(self, *_: object) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def _beat(self) -> None:
        while not await self._stopped_within(self._every):
            try:
                await self._renew()
            except Exception as error:
                log.warning("lease renewal failed (%s)", type(error).__name__)

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True
