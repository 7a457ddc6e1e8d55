"""A small repeating background task tied to the server's life."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs `job` now and then every `seconds`; one failure is logged, not fatal.

    Stopping lets a running job finish instead of cancelling it: a job
    cancelled mid-way can leave a database call running in a worker thread
    after the engine it uses has been disposed.
    """

    def __init__(self, name: str, job: Callable[[], Awaitable[object]], seconds: float) -> None:
        self._name = name
        self._job = job
        self._seconds = seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task
            self._task = None

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await self._job()
            except Exception:
                log.exception("%s failed; trying again in %ss", self._name, self._seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self._seconds)
