"""Two real `dslp-bot serve` processes on one PostgreSQL database behave as one.

Both replicas get the same traffic, as a load balancer would hand it out:
Slack's retry of a delivery lands on the other replica, GitHub's webhook
delivery reaches both, both schedulers are due at the same minute, and one
replica is killed (SIGKILL) while it files an Ask. The fakes run in this
process (FakeSlack on the test's loop, FakeGitHub in its thread) and count
what the replicas did: no issue, notification or digest twice, none lost.

The filing lease and sweep, and the digest resync, are shortened through
their settings (DSLP_FILING_LEASE_SECONDS, DSLP_FILING_SWEEP_SECONDS,
DSLP_DIGEST_RESYNC_SECONDS), so the test takes about a minute and a half:
the digest waits for a real minute boundary.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from storage.database import Database
from storage.identities import SqlIdentityStore
from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.conftest import ANA, BEN, CHANNEL, GOOD, SIGNING_SECRET, SlackSender, as_text
from tests.support.databases import POSTGRES_URL_VARIABLE, postgres_schema
from tests.support.identities import TEST_ADMIN, member_of
from tests.support.processes import WEBHOOK_SECRET, Served, serve_env, start_serve, until_ready
from tests.support.webhooks import issue_payload, signed

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(180)]

NOTIFY_CHANNEL = "CNOTIFY"
DIGEST_CHANNEL = "CDIGEST"
LEASE_SECONDS = 4.0
GITHUB_DELAY = 2.5
DIGEST_LEAD = timedelta(seconds=25)
"""The digest minute is at least this far ahead: time to kill and replace a replica first."""
ISSUES = r"/repos/octo/dslp/issues"
Json = dict[str, Any]


def server_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: replicas need a shared PostgreSQL")
    return url


ANA_KEY = f"slack:{TEAM}:{ANA}"


@dataclass
class Cluster:
    """The replicas, the fakes they share, and a signed Slack sender per replica."""

    github: FakeGitHub
    slack: FakeSlack
    session: aiohttp.ClientSession
    env: Json
    logs: Path
    replicas: list[Served]

    def sender(self, served: Served) -> SlackSender:
        """Each replica's sender numbers its trigger ids apart: the same submission sent to
        two replicas is two interactions (a second press, a load balancer's retry signed
        afresh), not a byte-identical replay, which the bot rightly runs once."""
        first = 1 + 1000 * self.replicas.index(served)
        return SlackSender(
            self.session, served.url("/slack/events"), self.slack, triggers=count(first)
        )

    async def start(self, name: str, **env: str) -> Served:
        served = start_serve({**self.env, **env}, self.logs / f"{name}.log")
        self.replicas.append(served)
        await until_ready(served)
        return served

    def posts(self, channel: str, contains: str = "") -> list[Json]:
        return [
            params
            for params in self.slack.delivered("chat.postMessage")
            if params.get("channel") == channel and contains in as_text(params)
        ]

    async def wait_posts(
        self, channel: str, contains: str = "", *, timeout: float = 15.0
    ) -> list[Json]:
        return await until(lambda: self.posts(channel, contains), timeout)

    def logs_text(self) -> str:
        return "\n".join(f"--- {s.log.name}\n{s.output()[-4000:]}" for s in self.replicas)


async def until(found: Callable[[], list[Json]], timeout: float) -> list[Json]:
    deadline = time.monotonic() + timeout
    while not found() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return found()


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    server = server_url()
    with FakeGitHub() as github, postgres_schema(server) as database_url:
        slack = await FakeSlack().start()
        env = serve_env(
            database_url,
            github,
            slack,
            tmp_path / "data",
            signing_secret=SIGNING_SECRET,
            lease_seconds=LEASE_SECONDS,
        )
        async with aiohttp.ClientSession() as session:
            cluster = Cluster(github, slack, session, env, tmp_path / "logs", [])
            try:
                yield cluster
            finally:
                # Stopping waits in threads: a replica finishing its work still calls the fakes.
                await asyncio.gather(*(asyncio.to_thread(s.stop) for s in cluster.replicas))
                await slack.stop()


async def file_through(
    first: SlackSender, second: SlackSender, values: dict[str, str | None], *, user: str
) -> tuple[Json, Json]:
    """The whole modal flow on `first`; each submission is delivered again to `second`,
    as Slack does when an answer is late. Returns the two answers to the final submission."""
    before = len(first.fake.delivered("views.open"))
    assert (await first.command("ask", user=user)).status == 200
    opened = await first.fake.wait_for("views.open", before + 1)
    view = {**opened[-1]["view"], "id": f"V{len(opened)}"}
    review = (await first.submit_view(view, values, user=user)).json()
    assert review.get("response_action") == "update", review
    assert (await second.submit_view(view, values, user=user)).json() == review
    final = {**review["view"], "id": view["id"]}
    return (
        (await first.submit_view(final, {}, user=user)).json(),
        (await second.submit_view(final, {}, user=user)).json(),
    )


def next_minute_after(lead: timedelta) -> datetime:
    soon = datetime.now(UTC) + lead
    return soon.replace(second=0, microsecond=0) + timedelta(minutes=1)


async def test_two_replicas_on_one_database_do_everything_once(cluster: Cluster) -> None:
    a, b = await asyncio.gather(cluster.start("a"), cluster.start("b"))
    await _ana_may_write(cluster)
    to_a, to_b = cluster.sender(a), cluster.sender(b)
    try:
        await _scenario(cluster, a, b, to_a, to_b)
    except AssertionError as error:
        raise AssertionError(f"{error}\n{cluster.logs_text()}") from error


async def _ana_may_write(cluster: Cluster) -> None:
    """Subscriptions and digest settings need a verified person with write access: an admin
    vouched for Ana (written through the product's own store, into the replicas' database)."""
    database = Database(cluster.env["DSLP_DATABASE_URL"])
    try:
        identities = SqlIdentityStore(database)
        await identities.link(member=member_of(ANA_KEY), login="ana-gh", verified_by=TEST_ADMIN)
    finally:
        database.dispose()
    cluster.github.collaborator("ana-gh", "write")


async def _scenario(
    cluster: Cluster, a: Served, b: Served, to_a: SlackSender, to_b: SlackSender
) -> None:
    digest_at = await _subscribe_digest(cluster, to_b)
    await _ask_retried_on_the_other_replica(cluster, to_a, to_b)
    await _event_retried_on_the_other_replica(cluster, to_a, to_b)
    await _webhook_to_both(cluster, to_a, a, b)
    replacement = await _killed_mid_filing(cluster, a, to_a)
    assert datetime.now(UTC) < digest_at - timedelta(seconds=2), "the replacement came up late"
    await _one_digest(cluster, digest_at)
    assert replacement.child.poll() is None and b.child.poll() is None


async def _subscribe_digest(cluster: Cluster, to_b: SlackSender) -> datetime:
    """`digest daily HH:MM` for a minute both replicas will see come round."""
    at = next_minute_after(DIGEST_LEAD)
    answer = await to_b.command(f"digest daily {at:%H:%M} everyday", channel=DIGEST_CHANNEL)
    assert answer.status == 200
    assert await cluster.slack.wait_for_response(1)
    return at


async def _ask_retried_on_the_other_replica(
    cluster: Cluster, to_a: SlackSender, to_b: SlackSender
) -> None:
    """Each modal submission reaches A and then, again, B: one issue, one confirmation."""
    acks = await file_through(to_a, to_b, GOOD, user=ANA)
    assert all("Filing" in as_text(ack) for ack in acks), acks
    title = str(GOOD["title"])
    assert len(await cluster.wait_posts(CHANNEL, title)) == 1
    assert [i.title for i in cluster.github.issues()] == [title]


async def _event_retried_on_the_other_replica(
    cluster: Cluster, to_a: SlackSender, to_b: SlackSender
) -> None:
    """An Events API delivery and Slack's retry of it (X-Slack-Retry-Num) on the other replica."""
    first = await to_a.dm("help", event_id="EvREPLICA1")
    again = await to_b.dm("help", event_id="EvREPLICA1", retry=1)
    assert (first.status, again.status) == (200, 200)
    assert len(await cluster.wait_posts(f"D{ANA}")) == 1


async def _webhook_to_both(cluster: Cluster, to_a: SlackSender, a: Served, b: Served) -> None:
    """The subscribed channel hears of the new Ask once, though both replicas got the delivery."""
    assert (await to_a.command("subscribe", channel=NOTIFY_CHANNEL)).status == 200
    assert len(await cluster.slack.wait_for_response(2)) >= 2
    issue = cluster.github.issues()[0]
    payload = issue_payload("opened", number=issue.number, title=issue.title, labels=("Ask",))
    body, headers = signed("issues", payload, WEBHOOK_SECRET, delivery="replica-delivery-1")

    async def deliver(served: Served) -> int:
        url = served.url("/github/webhook")
        async with cluster.session.post(url, data=body, headers=headers) as response:
            return response.status

    assert [*await asyncio.gather(deliver(a), deliver(b))] == [202, 202]
    assert len(await cluster.wait_posts(NOTIFY_CHANNEL, issue.title)) == 1


async def _killed_mid_filing(cluster: Cluster, a: Served, to_a: SlackSender) -> Served:
    """A dies while GitHub is slow to create Ben's issue; it is filed after A's lease, once.

    A and B sweep for abandoned drafts only every 30 s (the default), so A's own
    kick is what takes the draft; the replacement an orchestrator would start
    sweeps often and takes over once the lease has run out. The confirmation
    arriving only after the lease shows the killed replica really held the work.
    """
    github = cluster.github
    posted = github.count("POST", ISSUES)
    github.delay_next("POST", ISSUES, GITHUB_DELAY)
    values = {**GOOD, "title": "Forecast weekly demand for the warehouses"}
    submitted = time.monotonic()
    acks = await file_through(to_a, to_a, values, user=BEN)
    assert all("Filing" in as_text(ack) for ack in acks), acks
    deadline = time.monotonic() + 10
    while github.count("POST", ISSUES) == posted and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert github.count("POST", ISSUES) > posted, "replica A never started filing"
    a.kill()
    replacement = await cluster.start("a2", DSLP_FILING_SWEEP_SECONDS="0.5")
    title = str(values["title"])
    assert len(await cluster.wait_posts(CHANNEL, title, timeout=LEASE_SECONDS + 15)) == 1
    assert time.monotonic() - submitted >= LEASE_SECONDS, "filed before A's lease ran out"
    return replacement


async def _one_digest(cluster: Cluster, at: datetime) -> None:
    """Both live schedulers wake at the same minute; the database claim lets one post."""
    wait = (at - datetime.now(UTC)).total_seconds()
    posts = await cluster.wait_posts(DIGEST_CHANNEL, timeout=wait + 20)
    assert len(posts) == 1, posts
    await asyncio.sleep(LEASE_SECONDS + 1.5)
    _nothing_twice(cluster)


def _nothing_twice(cluster: Cluster) -> None:
    """After every lease and sweep had time to run again: still one of everything."""
    titles = [issue.title for issue in cluster.github.issues()]
    assert len(titles) == len(set(titles)) == 2, titles
    assert len(cluster.posts(DIGEST_CHANNEL)) == 1
    assert len(cluster.posts(NOTIFY_CHANNEL)) == 1
    assert len(cluster.posts(f"D{ANA}")) == 1
    for title in titles:
        assert len(cluster.posts(CHANNEL, title)) == 1, title
