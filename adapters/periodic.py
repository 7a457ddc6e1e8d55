"""A small repeating background task tied to the server's life."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Periodic:
    """Runs `job` now and then every `seconds`; one failure is logged, not fatal."""

    def __init__(self, name: str, job: Callable[[], Awaitable[object]], seconds: float) -> None:
        self._name = name
        self._job = job
        self._seconds = seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self._name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                await self._job()
            except Exception:
                log.exception("%s failed; trying again in %ss", self._name, self._seconds)
            await asyncio.sleep(self._seconds)
