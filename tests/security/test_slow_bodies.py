"""A client that trickles its request body gets 408 and a closed connection, on every route.

The slow client is a raw socket talking to the real server (every adapter
mounted): it sends the headers, then one byte at a time, as a slow-body
attacker does, until the server answers.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.github.webhook import signature_for
from adapters.web import create_web_app, mount_all
from tests.support.apps import app_settings

SECRET = "slow-secret"
BODY_READ_TIMEOUT = 0.5
TRICKLE_GAP = 0.2  # seconds between bytes: the whole body would take 40 times the timeout
BODY = json.dumps({"zen": "Slow is smooth.", "padding": "x" * 80}).encode()
ROUTES = ["/github/webhook", "/slack/events", "/api/messages", "/no/such/route"]

pytestmark = pytest.mark.slow


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[TestServer]:
    settings = app_settings(
        tmp_path,
        github_repository="octo/dslp",
        github_webhook_secret=SecretStr(SECRET),
        slack_bot_token=SecretStr("xoxb-slow"),
        slack_signing_secret=SecretStr("slow-signing"),
        slack_api_url="http://127.0.0.1:9/api/",
        dslp_teams_allow_anonymous=True,
        dslp_body_read_timeout=BODY_READ_TIMEOUT,
    )
    app = build(settings)
    server = TestServer(create_web_app(app, mount_all(app, MOUNTS)), host="127.0.0.1")
    await server.start_server()
    yield server
    await server.close()
    app.database.dispose()


def _head(path: str, port: int | None) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(BODY)}",
        "X-GitHub-Event: ping",
        "X-GitHub-Delivery: slow-1",
        f"X-Hub-Signature-256: {signature_for(BODY, SECRET)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _trickle_until_answered(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> tuple[bytes, int]:
    """Send the body a byte at a time until the server answers; the status line and bytes sent."""
    for sent in range(len(BODY)):
        writer.write(BODY[sent : sent + 1])
        await writer.drain()
        try:
            return await asyncio.wait_for(reader.readline(), TRICKLE_GAP), sent + 1
        except TimeoutError:
            continue
    raise AssertionError("the whole body went through a byte at a time and nobody stopped it")


async def _headers(reader: asyncio.StreamReader) -> set[str]:
    headers: set[str] = set()
    while (line := await reader.readline()) not in (b"\r\n", b""):
        headers.add(line.decode().strip().lower())
    return headers


@pytest.mark.parametrize("path", ROUTES)
async def test_a_trickled_body_gets_408_and_the_connection_is_closed(
    server: TestServer, path: str
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(_head(path, server.port))
        status, sent = await _trickle_until_answered(reader, writer)
        assert status.startswith(b"HTTP/1.1 408"), status
        assert "connection: close" in await _headers(reader)
        writer.write(BODY[sent:])  # the rest arrives late: the server still hangs up
        await writer.drain()
        await asyncio.wait_for(reader.read(), timeout=30)
        assert reader.at_eof()
    finally:
        writer.close()


async def test_the_same_body_sent_at_once_is_read_as_usual(server: TestServer) -> None:
    """The 408 above is the trickle's doing, not the route's: whole, the body is accepted."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(_head("/github/webhook", server.port) + BODY)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=30)
    finally:
        writer.close()
    assert status.startswith(b"HTTP/1.1 2"), status
