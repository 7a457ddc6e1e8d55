"""The one aiohttp server that carries every inbound route.

Each adapter contributes a `Mount` (its routes and start/stop hooks) or,
when it is not configured, the reason it is off; `serve` says which at
start-up. Filing runs in the background so no platform waits on GitHub.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from adapters.app import App, Hook, Mount, MountFactory
from adapters.periodic import Periodic

log = logging.getLogger(__name__)


def mount_all(app: App, factories: Sequence[tuple[str, MountFactory]]) -> list[Mount]:
    """Build each configured adapter and log, in plain words, which are on and off."""
    mounts: list[Mount] = []
    for name, factory in factories:
        result = factory(app)
        if isinstance(result, str):
            log.info("%s: off (%s)", name, result)
        else:
            log.info("%s: on", name)
            mounts.append(result)
    return mounts


def create_web_app(app: App, mounts: Sequence[Mount]) -> web.Application:
    metrics = app.metrics
    settings = app.settings
    web_app = web.Application(
        client_max_size=settings.dslp_max_body_bytes,
        middlewares=[metrics.middleware, body_read_within(settings.dslp_body_read_timeout)],
    )
    web_app.add_routes([web.get("/healthz", healthz), web.get("/readyz", _readyz(app, mounts))])
    seconds = settings.dslp_filing_sweep_seconds
    sweep = Periodic("filing sweep", app.worker.run_once, seconds)
    startup: list[Hook] = [_start(sweep)]
    cleanup: list[Hook] = [sweep.stop, app.worker.drain]
    if settings.dslp_metrics_port:
        private = MetricsServer(app, settings.host, settings.dslp_metrics_port)
        startup.append(private.start)
        cleanup.append(private.stop)
    else:
        web_app.add_routes([web.get("/metrics", metrics.expose)])
    for mount in mounts:
        web_app.add_routes(mount.routes)
        startup += mount.on_startup
        cleanup = [*mount.on_cleanup, *cleanup]
    web_app.on_startup.extend(_signal(hook) for hook in startup)
    web_app.on_cleanup.extend(_signal(hook) for hook in cleanup)
    return web_app


class MetricsServer:
    """`/metrics` alone on DSLP_METRICS_PORT, on the same HOST as the request port.

    The request port faces Slack, Teams and GitHub (the internet); the metrics
    port is for Prometheus, so a load balancer can leave it out.
    """

    def __init__(self, app: App, host: str, port: int) -> None:
        self._address = (host, port)
        self._app = web.Application()
        self._app.add_routes([web.get("/metrics", app.metrics.expose)])
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        runner = web.AppRunner(self._app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, *self._address).start()
        self._runner = runner
        log.info("metrics on %s:%s", *self._address)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def body_read_within(seconds: float) -> Middleware:
    """Read every request body, whole, within `seconds`, before any route sees it.

    A client that trickles its body (a byte every few seconds) would otherwise
    hold a connection, and a handler, for as long as it likes. Routes read the
    body with `request.read()` / `.text()` / `.json()`, which all return what
    this read cached. Too slow: 408 and the connection is closed (after
    aiohttp's short lingering read of what is still on its way).
    """

    @web.middleware
    async def read_body(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.body_exists:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()
            except TimeoutError:
                log.info("request body not received within %ss: 408", seconds)
                response = web.Response(status=HTTPStatus.REQUEST_TIMEOUT)
                response.force_close()
                return response
        return await handler(request)

    return read_body


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _readyz(app: App, mounts: Sequence[Mount]) -> Callable[[web.Request], Awaitable[web.Response]]:
    adapters = [mount.name for mount in mounts]

    async def readyz(_: web.Request) -> web.Response:
        database = await app.database.aping()
        status = 200 if database else 503
        body = {"database": "ok" if database else "unreachable", "adapters": adapters}
        return web.json_response(body, status=status)

    return readyz


def _start(sweep: Periodic) -> Hook:
    async def start() -> None:
        sweep.start()

    return start


def _signal(hook: Hook) -> Callable[[web.Application], Awaitable[None]]:
    async def run(_: web.Application) -> None:
        await hook()

    return run


async def freeze_heap(_: web.Application) -> None:
    """Exempt everything alive once started (modules, the wired app) from garbage collection.

    A full collection otherwise walks those hundreds of thousands of objects, and the
    event loop stands still meanwhile: 200-350 ms pauses, the slowest acks under load.
    The collector was off while they loaded (adapters/entry.py): it comes on here. No
    collection first: loading leaves about 2,000 unreachable objects (no measurable memory),
    and finding them would walk the whole heap, a tenth of a second of the start.
    """
    gc.freeze()
    gc.enable()


def serve(app: App, factories: Sequence[tuple[str, MountFactory]]) -> None:
    """Run until SIGTERM/SIGINT; aiohttp stops accepting, then in-flight work finishes."""
    web_app = create_web_app(app, mount_all(app, factories))
    web_app.on_startup.append(freeze_heap)
    settings = app.settings
    log.info("listening on %s:%s", settings.host, settings.port)
    web.run_app(web_app, host=settings.host, port=settings.port, shutdown_timeout=15, print=None)
