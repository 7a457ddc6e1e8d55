"""The aiohttp plumbing every small fake server needs: an app on 127.0.0.1, a free port,
served on the test's own event loop for the length of an `async with`."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web


class LoopbackServer:
    """A fake outside service; subclasses add their routes in `routes`."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.base = ""
        """`http://127.0.0.1:<port>`, once entered."""

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.base = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
