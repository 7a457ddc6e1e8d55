"""The real `dslp-bot serve`, killed (SIGKILL) in the middle of a burst of webhook deliveries.

The fake GitHub sends signed `issues` deliveries to the hook, as GitHub does,
and logs each answer. The first notification the server posts to Slack is
taken by the fake Slack and answered only later: the server is killed while
it waits, so its "sent" is never recorded, as when a process dies mid-send.
Deliveries keep coming while it is down (refused, as GitHub would log them),
then a new server starts on the same database and data directory.

After the restart: every delivery ends up as one Slack post, none twice. The
unanswered send is found by its message metadata (`conversations.history`)
instead of being posted again; deliveries answered 2xx before the kill are
worked from the inbox; those refused while the server was down come back
through start-up reconciliation. SQLite by default; PostgreSQL with
DSLP_TEST_DATABASE=postgres.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from bot.types import Place
from storage.database import Database
from storage.events import SqlEventJournal
from storage.people import SqlPeopleStore
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_hooks import FakeDelivery, FakeHook
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.conftest import SIGNING_SECRET
from tests.support.databases import app_database_url
from tests.support.processes import (
    WEBHOOK_SECRET,
    Served,
    serve_env,
    start_serve,
    until_ready,
)
from tests.support.webhooks import issue_payload

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

CHANNEL = Place("slack", "CBURST", TEAM)
AFTER_KILL = 5
"""Deliveries sent while no server runs."""
TOTAL = 40
HOLD_SECONDS = 30.0
SETTLE_SECONDS = 90.0
"""The killed server's lease (15 s) runs out, then the next sweep looks and sends."""


def burst_body(i: int) -> bytes:
    payload = issue_payload("opened", number=100 + i, title=f"Burst {i}", labels=("Ask",))
    return json.dumps(payload).encode()


async def test_a_server_killed_mid_burst_loses_nothing_and_posts_nothing_twice(
    tmp_path: Path,
) -> None:
    with FakeGitHub() as github:
        slack = await FakeSlack().start()
        served: list[Served] = []
        try:
            await _scenario(github, slack, tmp_path, served)
        except AssertionError as error:
            logs = "\n".join(f"--- {s.log.name}\n{s.output()[-4000:]}" for s in served)
            raise AssertionError(f"{error}\n{logs}") from error
        finally:
            await asyncio.gather(*(asyncio.to_thread(s.stop) for s in served))
            await slack.stop()


async def _scenario(github: FakeGitHub, slack: FakeSlack, tmp: Path, served: list[Served]) -> None:
    database_url = app_database_url(tmp)
    hook = github.add_hook("http://127.0.0.1:1/github/webhook", WEBHOOK_SECRET)
    env = serve_env(database_url, github, slack, tmp / "data", signing_secret=SIGNING_SECRET)
    env["DSLP_GITHUB_HOOK_ID"] = str(hook.id)
    env["DSLP_COALESCE_AFTER"] = "0"  # one post per delivery, each counted (no burst summary)
    first = await _start(env, tmp / "first.log", hook, served)
    await _subscribe(database_url)
    slack.hold_after_next("chat.postMessage", HOLD_SECONDS)
    async with aiohttp.ClientSession() as session:
        sent = await _until_killed(github, hook, session, slack, first)
        down = range(len(sent), len(sent) + AFTER_KILL)
        sent += [await _send(github, hook, session, i) for i in down]
        await _start(env, tmp / "second.log", hook, served)
        sent += [await _send(github, hook, session, i) for i in range(len(sent), TOTAL)]
    assert any(d.status_code == 0 for d in sent), "no delivery was refused while it was down"
    held = _numbers(slack)[0]
    await _settled(slack, database_url)
    posts = Counter(_numbers(slack))
    assert set(posts) == set(range(TOTAL)), sorted(set(range(TOTAL)) - set(posts))
    assert [n for n, count in posts.items() if count > 1] == []
    assert posts[held] == 1 and slack.to("conversations.history"), "the unsure send was looked for"


async def _start(env: dict[str, str], log: Path, hook: FakeHook, served: list[Served]) -> Served:
    """On the address the hook knows (a restart keeps it): start-up reconciliation's
    redeliveries must reach the new process."""
    server = start_serve(env, log, port=served[-1].port if served else 0)
    hook.url = server.url("/github/webhook")
    served.append(server)
    await until_ready(server)
    return server


async def _subscribe(database_url: str) -> None:
    database = Database(database_url)
    await SqlPeopleStore(database).subscribe(repository="octo/dslp", place=CHANNEL, by="test")
    database.dispose()


async def _until_killed(
    github: FakeGitHub,
    hook: FakeHook,
    session: aiohttp.ClientSession,
    slack: FakeSlack,
    first: Served,
) -> list[FakeDelivery]:
    """Deliveries one after another until the first notification is posted (and held
    unanswered); then the server is killed, with the rest of the burst still to come."""
    sent: list[FakeDelivery] = []
    deadline = time.monotonic() + 30
    while not slack.messages.get(CHANNEL.channel_id) and time.monotonic() < deadline:
        sent.append(await _send(github, hook, session, len(sent)))
        assert len(sent) < TOTAL - AFTER_KILL, "no notification while the burst lasted"
    assert slack.messages.get(CHANNEL.channel_id), "nothing was posted"
    first.kill()
    return sent


async def _send(
    github: FakeGitHub, hook: FakeHook, session: aiohttp.ClientSession, i: int
) -> FakeDelivery:
    return await github.hooks.send(hook, "issues", burst_body(i), f"burst-{i}", session=session)


async def _settled(slack: FakeSlack, database_url: str) -> None:
    """Until every delivery was posted at least once and nothing waits in the outbox (the
    held one, posted by the killed server, is worked again only once its lease runs out),
    then a little longer for any second copy."""
    database = Database(database_url)
    journal = SqlEventJournal(database)
    deadline = time.monotonic() + SETTLE_SECONDS
    try:
        while time.monotonic() < deadline:
            posted = set(_numbers(slack)) == set(range(TOTAL))
            if posted and "pending" not in await journal.counts():
                break
            await asyncio.sleep(0.2)
    finally:
        database.dispose()
    await asyncio.sleep(2.0)


def _numbers(slack: FakeSlack) -> list[int]:
    """Which deliveries the channel's messages are about, in posting order."""
    texts = [str(m.get("text", "")) for m in slack.messages.get(CHANNEL.channel_id, [])]
    return [int(n) for text in texts for n in re.findall(r"Burst (\d+)", text)]
