"""A burst of notifications for one channel: one summary, not hundreds of messages.

The real `dslp-bot serve` (SQLite) with FakeGitHub's webhook and a FakeSlack that paces
`chat.postMessage` per channel as Slack does (about one a second; sooner is a 429 with
`Retry-After`). A subscribed channel first hears of one new Ask alone (a quiet channel is told
at once), then of `count` new Asks delivered as fast as GitHub would send a bulk change.
Sent one by one at Slack's pace they would take `count` seconds; the figures say how many
messages the channel got instead, and when the last was posted.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, text

from benchmarks.servers import dslp_serve
from benchmarks.webhook import REPOSITORY, SECRET, ask_opened
from bot.types import Place
from storage.database import Database
from storage.people import SqlPeopleStore
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_hooks import FakeHook
from tests.fakes.slack_api import TOKEN, FakeSlack

CHANNEL = Place("slack", "C-BURST", "T-BENCH")
CONCURRENCY = 50
SLACK_PACE = 1.0
SETTLE_TIMEOUT = 120.0


@dataclass(frozen=True)
class Told:
    notifications: int
    """Notifications the bot stored for the channel (one per new Ask)."""
    sent: int
    """Of those, marked sent (alone or in a summary)."""
    messages: int
    """Messages Slack accepted in the channel."""
    seconds: float
    """From the last webhook answer to the last message accepted."""


@dataclass(frozen=True)
class Burst:
    quiet: Told
    burst: Told


async def bench_burst(data_dir: Path, count: int) -> Burst:
    with FakeGitHub(repository=REPOSITORY) as github:
        slack = await FakeSlack().start()
        slack.channel_pace = SLACK_PACE
        try:
            return await _run(github, slack, data_dir, count)
        finally:
            await slack.stop()


async def _run(github: FakeGitHub, slack: FakeSlack, data_dir: Path, count: int) -> Burst:
    url = f"sqlite:///{data_dir / 'burst.sqlite3'}"
    hook = github.add_hook("http://127.0.0.1:0/github/webhook", SECRET)
    env = {
        "DSLP_DATABASE_URL": url, "DSLP_DATA_DIR": str(data_dir),
        "GITHUB_WEBHOOK_SECRET": SECRET, "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_TOKEN": github.token, "GITHUB_API_URL": github.api_url,
        "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "bench", "SLACK_API_URL": slack.api_url,
    }  # fmt: skip
    with dslp_serve(env) as (_, _, port):
        hook.url = f"http://127.0.0.1:{port}/github/webhook"
        await _subscribe(url)
        quiet = await _told(github, hook, slack, url, range(1))
        await asyncio.sleep(SLACK_PACE * 2)  # the channel's pace is behind it
        burst = await _told(github, hook, slack, url, range(1, count + 1))
    return Burst(quiet, burst)


async def _subscribe(url: str) -> None:
    database = Database(url)
    await SqlPeopleStore(database).subscribe(repository=REPOSITORY, place=CHANNEL, by="bench")
    database.dispose()


async def _told(
    github: FakeGitHub, hook: FakeHook, slack: FakeSlack, url: str, numbers: range
) -> Told:
    """Send the deliveries, then wait until every notification they made is sent."""
    before = len(_messages(slack))
    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(i: int) -> None:
            body = json.dumps(ask_opened(7000 + i, f"Bench burst {i}")).encode()
            async with gate:
                await github.hooks.send(hook, "issues", body, f"burst-{i}", session=session)

        await asyncio.gather(*(one(i) for i in numbers))
    answered = time.perf_counter()
    last_message, seen = answered, 0
    deadline = answered + SETTLE_TIMEOUT
    stored = sent = 0
    while time.perf_counter() < deadline:
        stored, sent = _notifications(url)
        now_seen = len(_messages(slack)) - before
        if now_seen > seen:
            last_message, seen = time.perf_counter(), now_seen
        if stored >= numbers.stop and sent == stored:
            break
        await asyncio.sleep(0.05)
    return Told(
        notifications=stored - numbers.start,
        sent=sent - numbers.start,
        messages=len(_messages(slack)) - before,
        seconds=last_message - answered,
    )


def _messages(slack: FakeSlack) -> list[dict[str, object]]:
    return [
        params
        for params in slack.delivered("chat.postMessage")
        if params.get("channel") == CHANNEL.channel_id
    ]


def _notifications(url: str) -> tuple[int, int]:
    """(stored for the channel, of those sent)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT status, count(*) FROM notifications WHERE channel_id = :channel "
                     "GROUP BY status"),
                {"channel": CHANNEL.channel_id},
            ).all()  # fmt: skip
    finally:
        engine.dispose()
    counted = {status: number for status, number in rows}
    return sum(counted.values()), counted.get("sent", 0)
