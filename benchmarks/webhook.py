"""GitHub webhook ingest: signed deliveries per second at 50 concurrent, none lost."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass

import aiohttp
from sqlalchemy import create_engine, text

from adapters.github.webhook import signature_for
from benchmarks.load import Result, Send, run_load
from benchmarks.servers import ROOT, dslp_serve, free_port, process, rss_mb

SECRET = "bench-secret"
DRAIN_TIMEOUT = 300.0
REPOSITORY = "octo/dslp"
PAYLOAD = json.loads((ROOT / "tests" / "fixtures" / "github" / "issues.opened.json").read_text())


def ask_opened(number: int, title: str) -> dict[str, object]:
    """GitHub's `issues` `opened` payload for a new Ask in the benchmarks' repository."""
    issue = {**PAYLOAD["issue"], "number": number, "title": title, "labels": [{"name": "Ask"}]}
    return {**PAYLOAD, "issue": issue, "repository": {**PAYLOAD["repository"],
            "full_name": REPOSITORY}}  # fmt: skip


def delivery(i: int) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(ask_opened(1000 + i, PAYLOAD["issue"]["title"])).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": f"bench-{i}",
        "X-Hub-Signature-256": signature_for(body, SECRET),
    }
    return body, headers


def sender(url: str, offset: int = 0) -> Send:
    async def send(session: aiohttp.ClientSession, i: int) -> int:
        body, headers = delivery(offset + i)
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    return send


@dataclass(frozen=True)
class Stored:
    """Deliveries recorded before their 2xx, and the events worked from them."""

    received: int
    worked: int
    drain_seconds: float


def counts(database_url: str) -> tuple[int, int, int]:
    """(inbox rows, inbox rows still waiting, tracker events recorded)."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        received = connection.execute(text("SELECT count(*) FROM inbox")).scalar_one()
        waiting = connection.execute(
            text("SELECT count(*) FROM inbox WHERE processed_at IS NULL")
        ).scalar_one()
        worked = connection.execute(text("SELECT count(*) FROM tracker_events")).scalar_one()
    engine.dispose()
    return int(received), int(waiting), int(worked)


def drained(database_url: str, timeout: float = DRAIN_TIMEOUT) -> Stored:
    """Wait for the ingest worker to work every recorded delivery (the 2xx came before)."""
    started = time.perf_counter()
    while True:
        received, waiting, worked = counts(database_url)
        seconds = time.perf_counter() - started
        if not waiting or seconds > timeout:
            return Stored(received, worked, seconds)
        time.sleep(0.1)


async def bench_floor(requests: int, concurrency: int) -> Result:
    port = free_port()
    args = [sys.executable, "-m", "benchmarks.floors", "webhook", str(port), SECRET]
    with process(args, {}, f"http://127.0.0.1:{port}/readyz"):
        url = f"http://127.0.0.1:{port}/github/webhook"
        return await run_load(
            "webhook floor (verify + 202)", sender(url), requests=requests, concurrency=concurrency
        )


async def bench_bot(
    label: str,
    env: dict[str, str],
    database_url: str,
    requests: int,
    concurrency: int,
    memory_after: int = 0,
) -> tuple[Result, Stored, float]:
    """The real server: the result, what it stored, and resident memory once all is worked.

    The inbox count is taken after the load, so every delivery answered 2xx
    must be in it (recorded before its answer); the worked count is taken
    once the ingest worker has caught up, while the server still runs. With
    `memory_after`, more deliveries follow (unmeasured) until that many were
    sent and worked, and the memory is read then.
    """
    settings = {
        **env,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_REPOSITORY": REPOSITORY,
        "DSLP_DATABASE_URL": database_url,
    }
    with dslp_serve(settings) as (child, _, port):
        url = f"http://127.0.0.1:{port}/github/webhook"
        result = await run_load(
            f"webhook dslp-bot ({label})", sender(url), requests=requests, concurrency=concurrency
        )
        stored = drained(database_url)
        if memory_after > requests:
            more = sender(url, offset=requests)
            await run_load("more", more, requests=memory_after - requests, concurrency=concurrency)
            drained(database_url)
        memory = rss_mb(child.pid)
    return result, stored, memory
