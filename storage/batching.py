"""Group commit: callers that arrive while a batch is being written go, together, into the next.

One write (one transaction, one fsync) serves every caller of a batch, and
each caller is answered only after its batch is durable. Used by the inbox
(one INSERT per batch) and the spool (one fsync per batch).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Write = Callable[[Sequence[T]], Awaitable[Sequence[R]]]


class GroupCommit(Generic[T, R]):
    """`write` gets a batch and returns one result per item; if it raises, every caller in the
    batch hears that error."""

    def __init__(self, write: Write[T, R], *, batch: int) -> None:
        self._write = write
        self._batch = batch
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """The item's result, once its batch is written (raises if it was not)."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._batch], self._waiting[self._batch :]
            try:
                results = await self._write([item for item, _ in batch])
            except Exception as error:
                _settle(batch, error=error)
                continue
            _settle(batch, results=results)


def _settle(
    batch: Sequence[tuple[T, asyncio.Future[R]]],
    *,
    results: Sequence[R] = (),
    error: Exception | None = None,
) -> None:
    """A caller that gave up (its client went away) is skipped."""
    for index, (_, future) in enumerate(batch):
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(results[index])
