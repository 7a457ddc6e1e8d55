"""Slack ack latency: signed `/dslp ask` slash commands, answered before Slack's 3 seconds.

The real server (SQLite) and the floor (a minimal Bolt app that acks and opens a
ten-field modal) are measured one after the other against the same fake Slack Web
API, which runs in a process of its own (`benchmarks.fakes`).
"""

from __future__ import annotations

import hashlib
import hmac
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp

from benchmarks.load import Result, Send, run_load
from benchmarks.servers import dslp_serve, free_port, process
from tests.fakes.slack_api import TEAM, TOKEN
from tests.support.processes import child_env

SECRET = "bench-signing-secret"
WARM_UP = 50
LEVELS = (50, 200)


@dataclass(frozen=True)
class Fakes:
    slack_api_url: str
    github_api_url: str


@contextmanager
def fakes() -> Iterator[Fakes]:
    """FakeSlack and FakeGitHub in a child process; their URLs from its first line."""
    args = [sys.executable, "-m", "benchmarks.fakes"]
    child = subprocess.Popen(args, env=child_env({}), stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        urls = dict(part.split("=", 1) for part in child.stdout.readline().split())
        yield Fakes(urls["slack"], urls["github"])
    finally:
        child.terminate()
        child.wait(timeout=10)


def signed_command(i: int, run: str) -> tuple[bytes, dict[str, str]]:
    """`/dslp ask` from a different person each time, signed as Slack signs it."""
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
            "text": "ask",
            "api_app_id": "A1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": f"trigger-{run}-{i}",
        }
    ).encode()
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    return body, headers


def sender(url: str, run: str) -> Send:
    async def send(session: aiohttp.ClientSession, i: int) -> int:
        body, headers = signed_command(i, run)
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    return send


async def measure(name: str, url: str, requests: int) -> list[Result]:
    """A warm-up (Bolt's auth.test, connection pools), then each concurrency level."""
    await run_load("warm-up", sender(url, "w"), requests=WARM_UP, concurrency=10)
    return [
        await run_load(
            f"{name}, {level} concurrent",
            sender(url, f"c{level}"),
            requests=requests,
            concurrency=level,
        )
        for level in LEVELS
    ]


async def bench_floor(found: Fakes, requests: int) -> list[Result]:
    port = free_port()
    args = [sys.executable, "-m", "benchmarks.floors", "slack", str(port), SECRET]
    args.append(found.slack_api_url)
    with process(args, {}, f"http://127.0.0.1:{port}/readyz"):
        url = f"http://127.0.0.1:{port}/slack/events"
        return await measure("slack floor (Bolt: ack + views.open)", url, requests)


async def bench_bot(found: Fakes, data_dir: str, requests: int) -> list[Result]:
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
        url = f"http://127.0.0.1:{port}/slack/events"
        return await measure("slack /dslp ask, dslp-bot (SQLite)", url, requests)
