"""A TCP proxy the test can cut and restore: a database outage without stopping the server.

`cut()` drops every open connection and stops listening, so new connections are
refused, as when PostgreSQL is down; `restore()` listens again on the same port.
It runs its own event loop in a thread, so code that blocks the test's loop
(the app's synchronous start-up, say) still reaches the database through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, Self

CHUNK = 65536


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    def start(self) -> Self:
        self._thread.start()
        self.restore()
        return self

    def cut(self) -> None:
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def _call(self, work: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(work, self._loop).result(10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        self._open |= {writer, upstream_writer}
        await asyncio.gather(
            _pipe(reader, upstream_writer, self._open), _pipe(upstream_reader, writer, self._open)
        )

    def __repr__(self) -> str:
        return f"TcpProxy(127.0.0.1:{self.port} -> {self._target[0]}:{self._target[1]})"


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, open_: set[asyncio.StreamWriter]
) -> None:
    """Copy until either side ends; then close this direction's writer."""
    with contextlib.suppress(ConnectionError, OSError):
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    open_.discard(writer)
    writer.transport.abort()
