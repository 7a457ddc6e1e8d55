"""Slack ack latency: signed `/dslp ask` slash commands, answered before Slack's 3 seconds.

The real server (SQLite) and the floor (a minimal Bolt app that acks and opens a
ten-field modal) are measured one after the other against the same fake Slack Web
API, which runs in a process of its own (`benchmarks.fakes`).

`bench_hostile` measures `/dslp help` acks quiet, then again while DMs of
40,000 characters of Slack markup (the longest message Slack sends) keep
arriving, each of one of `HOSTILE_TEXTS`: untrusted text must cost the event
loop linear time with a small constant, so the acks stay near their quiet figure.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urljoin

import aiohttp

from benchmarks.fakes import Fakes
from benchmarks.load import Result, Send, run_load
from benchmarks.servers import dslp_serve, free_port, process, settle
from tests.fakes.slack_api import TEAM, TOKEN

SECRET = "bench-signing-secret"
WARM_UP = 50
LEVELS = (50, 200)
FLOOR_NAME = "slack floor (Bolt: ack + views.open)"
BOT_NAME = "slack /dslp ask, dslp-bot (SQLite)"
HELP_NAME = "slack /dslp help ack, dslp-bot (SQLite)"
HELP_CONCURRENCY = 10
UNUSED_URL = "http://127.0.0.1:9/unused"
"""The `/dslp ask` rows open a modal and answer nothing through response_url."""
HOSTILE_SENDERS = 4
HOSTILE_TEXTS = ("<!x|" * 10_000, "<>" * 20_000, "<@U0HOSTILE>" * 3_333)
"""40,000 characters each, the most Slack puts in a message, sent in turn: unclosed markup
(quadratic parsing took seconds), markup of no kind (classified one by one: 25 ms each)
and mentions (every one rewritten)."""


def signed(body: bytes, content_type: str) -> dict[str, str]:
    """The headers Slack sends: `v0:{timestamp}:{body}` signed with the signing secret."""
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


def signed_command(
    i: int, run: str, text: str = "ask", response_url: str = UNUSED_URL
) -> tuple[bytes, dict[str, str]]:
    """`/dslp <text>` from a different person each time, signed as Slack signs it."""
    user = f"U{run}{i:06d}"
    body = urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "bench",
            "channel_id": "CBENCH",
            "channel_name": "bench",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/dslp",
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": f"trigger-{run}-{i}",
        }
    ).encode()
    return body, signed(body, "application/x-www-form-urlencoded")


def hostile_dm(i: int) -> tuple[bytes, dict[str, str]]:
    """A DM event of one of `HOSTILE_TEXTS`, a new event id each time (so none is a retry)."""
    text = HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)]
    event = {"type": "message", "channel": "DHOSTILE", "channel_type": "im",
             "user": "UHOSTILE", "text": text, "ts": f"{time.time():.6f}"}  # fmt: skip
    body = {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"EvHOSTILE{i:08d}",
        "event_time": int(time.time()),
        "event": event,
    }
    encoded = json.dumps(body).encode()
    return encoded, signed(encoded, "application/json")


def sender(url: str, run: str, text: str = "ask", response_url: str = UNUSED_URL) -> Send:
    async def send(session: aiohttp.ClientSession, i: int) -> int:
        body, headers = signed_command(i, run, text, response_url)
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    return send


async def warm_up(url: str) -> None:
    """Bolt's auth.test, connection pools, first-call imports: not what is measured."""
    await run_load("warm-up", sender(url, "w"), requests=WARM_UP, concurrency=10)


@contextmanager
def floor_server(found: Fakes) -> Iterator[str]:
    port = free_port()
    args = [sys.executable, "-m", "benchmarks.floors", "slack", str(port), SECRET]
    args.append(found.slack_api_url)
    with process(args, {}, f"http://127.0.0.1:{port}/readyz"):
        yield f"http://127.0.0.1:{port}/slack/events"


@contextmanager
def bot_server(found: Fakes, data_dir: str) -> Iterator[str]:
    settings = {
        "DSLP_DATA_DIR": data_dir,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",
        "SLACK_API_URL": found.slack_api_url,
        "GITHUB_TOKEN": "test-token",
        "GITHUB_REPOSITORY": "octo/dslp",
        "GITHUB_API_URL": found.github_api_url,
    }
    with dslp_serve(settings) as (_, _seconds, port):
        yield f"http://127.0.0.1:{port}/slack/events"


async def bench(found: Fakes, data_dir: str, requests: int) -> list[tuple[Result, Result]]:
    """(floor, bot) per concurrency level. Both servers run throughout and take turns, so a
    neighbour's load on a shared machine falls on both figures of a pair alike."""
    pairs: list[tuple[Result, Result]] = []
    with floor_server(found) as floor, bot_server(found, data_dir) as bot:
        await warm_up(floor)
        await warm_up(bot)
        for level in LEVELS:
            run = f"c{level}"
            settle()
            floor_result = await run_load(
                f"{FLOOR_NAME}, {level} concurrent",
                sender(floor, run),
                requests=requests,
                concurrency=level,
            )
            settle()
            bot_result = await run_load(
                f"{BOT_NAME}, {level} concurrent",
                sender(bot, run),
                requests=requests,
                concurrency=level,
            )
            pairs.append((floor_result, bot_result))
    return pairs


async def flood(url: str, stop: asyncio.Event) -> int:
    """Hostile DMs back to back from `HOSTILE_SENDERS` clients until `stop`; how many were sent."""
    sent = 0

    async def one_sender(session: aiohttp.ClientSession) -> None:
        nonlocal sent
        while not stop.is_set():
            body, headers = hostile_dm(sent)
            sent += 1
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one_sender(session) for _ in range(HOSTILE_SENDERS)))
    return sent


def response_url(found: Fakes) -> str:
    """FakeSlack's response_url receiver, where Slack would take a help answer. (A dead port
    made every answer fail, retry and fall back to a DM: exceptions whose reference cycles
    cost 60-120 ms garbage collections, which the rows then measured.)"""
    return urljoin(found.slack_api_url, "/respond/bench")


async def bench_hostile(found: Fakes, data_dir: str, requests: int) -> tuple[Result, Result, int]:
    """(quiet, under attack, hostile DMs sent) for `/dslp help` acks."""
    answers = response_url(found)
    with bot_server(found, data_dir) as bot:
        await warm_up(bot)
        quiet = await run_load(
            f"{HELP_NAME}, quiet, {HELP_CONCURRENCY} concurrent",
            sender(bot, "q", "help", answers),
            requests=requests,
            concurrency=HELP_CONCURRENCY,
        )
        stop = asyncio.Event()
        attack = asyncio.create_task(flood(bot, stop))
        try:
            loud = await run_load(
                f"{HELP_NAME}, while 40,000-character hostile DMs arrive "
                f"({HOSTILE_SENDERS} senders), {HELP_CONCURRENCY} concurrent",
                sender(bot, "h", "help", answers),
                requests=requests,
                concurrency=HELP_CONCURRENCY,
            )
        finally:
            stop.set()
            sent = await attack
    return quiet, loud, sent
