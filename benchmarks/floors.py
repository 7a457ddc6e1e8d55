"""The floors: the least a server could do for the same request, run on the same machine.

`python -m benchmarks.floors webhook PORT SECRET`: an aiohttp handler that checks the
signature and answers 202, nothing else.

`python -m benchmarks.floors slack PORT SECRET API_URL`: a minimal slack-bolt AsyncApp on
aiohttp whose `/dslp` listener acks and opens a ten-field modal through the Web API at
API_URL (the same fake Slack the bot uses): what any Bolt app must do for `/dslp ask`.
"""

from __future__ import annotations

import hashlib
import hmac
import sys
from collections.abc import Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import TOKEN

FIELDS = 10


async def ready(_: web.Request) -> web.Response:
    return web.Response(text="ok")


def webhook_floor(secret: str, *_: str) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
            return web.Response(status=401)
        return web.Response(status=202)

    app = web.Application()
    app.add_routes([web.post("/github/webhook", receive), web.get("/readyz", ready)])
    return app


def ten_field_modal() -> dict[str, Any]:
    inputs = [
        {
            "type": "input",
            "block_id": f"field{i}",
            "label": {"type": "plain_text", "text": f"Field {i}"},
            "element": {"type": "plain_text_input", "action_id": f"field{i}", "multiline": True},
        }
        for i in range(FIELDS)
    ]
    return {
        "type": "modal",
        "callback_id": "floor_form",
        "title": {"type": "plain_text", "text": "Frame an Ask"},
        "submit": {"type": "plain_text", "text": "Review"},
        "blocks": inputs,
    }


def slack_floor(secret: str, api_url: str) -> web.Application:
    client = AsyncWebClient(token=TOKEN, base_url=api_url)
    bolt = AsyncApp(client=client, signing_secret=secret, process_before_response=False)

    @bolt.command("/dslp")
    async def open_modal(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=ten_field_modal())

    async def receive(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.add_routes([web.post("/slack/events", receive), web.get("/readyz", ready)])
    return app


FLOORS: dict[str, Callable[..., web.Application]] = {
    "webhook": webhook_floor,
    "slack": slack_floor,
}

if __name__ == "__main__":
    kind, port, secret, *extra = sys.argv[1:]
    app = FLOORS[kind](secret, *extra)
    web.run_app(app, host="127.0.0.1", port=int(port), print=None, access_log=None)
