"""The floors: the least a server could do for the same request, run on the same machine.

`python -m benchmarks.floors webhook PORT SECRET`: an aiohttp handler that checks the
signature and answers 202, nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import sys

from aiohttp import web


def webhook_floor(secret: str) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
            return web.Response(status=401)
        return web.Response(status=202)

    async def ready(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.add_routes([web.post("/github/webhook", receive), web.get("/readyz", ready)])
    return app


FLOORS = {"webhook": webhook_floor}

if __name__ == "__main__":
    kind, port, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    web.run_app(FLOORS[kind](secret), host="127.0.0.1", port=port, print=None, access_log=None)
