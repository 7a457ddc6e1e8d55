"""2,000 deliveries with a 10 s database outage in the middle: what was lost, doubled, and when.

The real `dslp-bot serve` on PostgreSQL reached through a TCP proxy that is
cut for ten seconds and restored (the server itself is never stopped). The
fake GitHub sends the deliveries to the hook at a steady 100 a second and
logs each answer, so reconciliation finds the ones we refused; a fake Slack
receives the notifications, one per delivery.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy.engine import make_url

from benchmarks.servers import dslp_serve
from benchmarks.webhook import REPOSITORY, SECRET, ask_opened
from bot.types import Place
from storage.database import Database
from storage.events import SqlEventJournal
from storage.people import SqlPeopleStore
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_hooks import FakeDelivery, FakeHook
from tests.fakes.slack_api import TOKEN, FakeSlack
from tests.support.databases import postgres_schema
from tests.support.tcp_proxy import TcpProxy

DELIVERIES = 2000
RATE = 100.0  # a second: 20 s of traffic
OUTAGE_START, OUTAGE_SECONDS = 5.0, 10.0
CHANNEL = Place("slack", "C-BENCH", "T-BENCH")
SETTLE_TIMEOUT = 900.0
DEFAULT_SPOOL = 256 * 1024 * 1024
SMALL_SPOOL = 256 * 1024  # about 280 deliveries: the rest of the outage is answered 503


@dataclass(frozen=True)
class Outage:
    refused: int
    spooled: int
    redelivered: int
    lost: int
    """Deliveries whose event was never recorded (GitHub's side: nothing to notify from)."""
    duplicated: int
    """Slack posts beyond one per delivery."""
    unnotified: int
    """Deliveries with no Slack post when the wait ended."""
    last_notice_seconds: float
    """From the last answer to the last notification sent (or to the end of the wait)."""


async def bench_outage(server_url: str, data_dir: Path, spool_bytes: int) -> Outage:
    with postgres_schema(server_url) as url, FakeGitHub(repository=REPOSITORY) as github:
        target = make_url(url)
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
        slack = await FakeSlack().start()
        try:
            return await _run(github, slack, proxy, proxied, data_dir, spool_bytes)
        finally:
            await slack.stop()
            proxy.stop()


async def _run(
    github: FakeGitHub,
    slack: FakeSlack,
    proxy: TcpProxy,
    url: str,
    data_dir: Path,
    spool_bytes: int,
) -> Outage:
    hook = github.add_hook("http://127.0.0.1:0/github/webhook", SECRET)
    env = {
        "DSLP_DATABASE_URL": url, "DSLP_DATA_DIR": str(data_dir),
        "GITHUB_WEBHOOK_SECRET": SECRET, "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_TOKEN": github.token, "GITHUB_API_URL": github.api_url,
        "DSLP_GITHUB_HOOK_ID": str(hook.id), "DSLP_SPOOL_MAX_BYTES": str(spool_bytes),
        "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "bench", "SLACK_API_URL": slack.api_url,
        "DSLP_COALESCE_AFTER": "0",  # one post per delivery: that is what is counted here
    }  # fmt: skip
    with dslp_serve(env) as (_, _, port):
        hook.url = f"http://127.0.0.1:{port}/github/webhook"
        await _subscribe(url)
        sent = await _send_through_an_outage(github, hook, proxy)
        last_answer = time.perf_counter()
        await _settled(github, slack, DELIVERIES)
        seconds = time.perf_counter() - last_answer
        recorded = await _recorded(url, [f"github:{d.guid}" for d in sent])
    return _figures(sent, hook, slack, seconds, recorded)


async def _subscribe(url: str) -> None:
    database = Database(url)
    await SqlPeopleStore(database).subscribe(repository=REPOSITORY, place=CHANNEL, by="bench")
    database.dispose()


async def _send_through_an_outage(
    github: FakeGitHub, hook: FakeHook, proxy: TcpProxy
) -> list[FakeDelivery]:
    """Deliveries at a steady rate; the proxy is cut at 5 s and restored at 15 s."""
    started = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(i: int) -> FakeDelivery:
            await asyncio.sleep(max(0.0, started + i / RATE - time.perf_counter()))
            body = json.dumps(ask_opened(5000 + i, f"Bench outage {i}")).encode()
            return await github.hooks.send(hook, "issues", body, f"bench-{i}", session=session)

        async def outage() -> None:
            await asyncio.sleep(OUTAGE_START)
            await asyncio.to_thread(proxy.cut)
            await asyncio.sleep(OUTAGE_SECONDS)
            await asyncio.to_thread(proxy.restore)

        cut = asyncio.create_task(outage())
        sent = await asyncio.gather(*(one(i) for i in range(DELIVERIES)))
        await cut
    return sent


async def _settled(github: FakeGitHub, slack: FakeSlack, expected: int) -> None:
    """Until every Ask was posted at least once (or the timeout), redeliveries included."""
    deadline = time.perf_counter() + SETTLE_TIMEOUT
    while time.perf_counter() < deadline:
        told = set().union(*(_numbers(text) for text in _posted(slack)))
        if not github.hooks.busy and len(told) >= expected:  # distinct: duplicates do not count
            return
        await asyncio.sleep(0.2)


async def _recorded(url: str, keys: list[str]) -> int:
    database = Database(url)
    journal = SqlEventJournal(database)
    seen = sum([await journal.seen(delivery=key) for key in keys])
    database.dispose()
    return seen


def _posted(slack: FakeSlack) -> list[str]:
    return [str(params.get("text", "")) for params in slack.delivered("chat.postMessage")]


def _figures(
    sent: list[FakeDelivery], hook: FakeHook, slack: FakeSlack, seconds: float, recorded: int
) -> Outage:
    told: dict[int, int] = {}
    for text in _posted(slack):
        for i in _numbers(text):
            told[i] = told.get(i, 0) + 1
    return Outage(
        refused=sum(d.status_code >= 500 or d.status_code == 0 for d in sent),
        spooled=sum('"spooled": true' in d.response for d in sent),
        redelivered=sum(d.redelivery and 200 <= d.status_code < 300 for d in hook.deliveries),
        lost=DELIVERIES - recorded,
        duplicated=sum(count - 1 for count in told.values()),
        unnotified=sum(i not in told for i in range(DELIVERIES)),
        last_notice_seconds=seconds,
    )


def _numbers(text: str) -> set[int]:
    """Which bench deliveries a notification is about ("Bench outage 17")."""
    return {int(number) for number in re.findall(r"Bench outage (\d+)", text)}


def main() -> None:
    """`python -m benchmarks.outage` (needs DSLP_TEST_POSTGRES_URL): both spool sizes."""
    server = os.environ["DSLP_TEST_POSTGRES_URL"]
    for spool_bytes in (DEFAULT_SPOOL, SMALL_SPOOL):
        with tempfile.TemporaryDirectory() as tmp:
            figures = asyncio.run(bench_outage(server, Path(tmp), spool_bytes))
            print(spool_bytes, figures, flush=True)


if __name__ == "__main__":
    main()
