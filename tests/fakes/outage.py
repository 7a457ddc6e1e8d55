"""An outage switch for the fake servers: failing for a time window, or until turned off.

One switch, one aiohttp middleware: FakeSlack and FakeGitHub (and any fake to
come) install `outage.middleware(...)` and so fail the same way, in the
server's own words: a 5xx with the body that server would send, or a
dropped connection (the client sees it reset, as when the service is gone).
Requests that arrive during the outage are counted, not recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
DROP = 0
"""`status` for a dropped connection instead of an answer."""


class Outage:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # FakeGitHub serves from a thread of its own
        self._until: float | None = None
        self.status = 503
        self.refused = 0

    def start(self, seconds: float | None = None, *, status: int = 503) -> None:
        """Fail every request for `seconds` (None: until `stop`); DROP drops connections."""
        with self._lock:
            self._until = float("inf") if seconds is None else time.monotonic() + seconds
            self.status = status

    def stop(self) -> None:
        with self._lock:
            self._until = None

    @property
    def active(self) -> bool:
        with self._lock:
            return self._until is not None and time.monotonic() < self._until

    def middleware(self, body: Callable[[int], Any]) -> Any:
        """`body(status)` is what the server says in a 5xx (JSON-serialisable)."""

        @web.middleware
        async def outage(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.active:
                return await handler(request)
            with self._lock:
                self.refused += 1
            if self.status == DROP and request.transport is not None:
                request.transport.close()
            return web.json_response(body(self.status), status=self.status or 503)

        return outage
