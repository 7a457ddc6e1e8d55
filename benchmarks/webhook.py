"""GitHub webhook ingest: signed deliveries per second at 50 concurrent, none lost."""

from __future__ import annotations

import json
import sys

import aiohttp
from sqlalchemy import create_engine, text

from adapters.github.webhook import signature_for
from benchmarks.load import Result, Send, run_load
from benchmarks.servers import ROOT, dslp_serve, free_port, process, rss_mb

SECRET = "bench-secret"
REPOSITORY = "octo/dslp"
PAYLOAD = json.loads((ROOT / "tests" / "fixtures" / "github" / "issues.opened.json").read_text())


def delivery(i: int) -> tuple[bytes, dict[str, str]]:
    payload = {**PAYLOAD, "repository": {**PAYLOAD["repository"], "full_name": REPOSITORY}}
    payload["issue"] = {**payload["issue"], "number": 1000 + i, "labels": [{"name": "Ask"}]}
    body = json.dumps(payload).encode()
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


def recorded(database_url: str) -> int:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM tracker_events")).scalar_one()
    engine.dispose()
    return int(count)


async def bench_floor(requests: int, concurrency: int) -> Result:
    port = free_port()
    args = [sys.executable, "-m", "benchmarks.floors", "webhook", str(port), SECRET]
    with process(args, {}, f"http://127.0.0.1:{port}/readyz"):
        url = f"http://127.0.0.1:{port}/github/webhook"
        return await run_load(
            "webhook floor (verify + 202)", sender(url), requests=requests, concurrency=concurrency
        )


async def bench_bot(
    label: str, env: dict[str, str], database_url: str, requests: int, concurrency: int
) -> tuple[Result, int, float]:
    """The real server: the result, deliveries durably recorded, and resident memory after."""
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
        memory = rss_mb(child.pid)
    return result, recorded(database_url), memory
