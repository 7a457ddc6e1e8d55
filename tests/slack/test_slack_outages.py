"""The database goes away (PostgreSQL behind a TcpProxy the test cuts): people still hear.

PostgreSQL only (a proxy cannot cut SQLite's file); skipped with a reason without
DSLP_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from adapters.app import App
from adapters.notifications import DeliveryWorker
from adapters.outbox import Mark
from adapters.slack.mount import SlackAdapter
from bot.types import Place, Reply, Say
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import (
    ANA,
    CHANNEL,
    GOOD,
    SlackHarness,
    as_text,
    open_form,
    signed_headers,
)
from tests.support.tcp_proxy import TcpProxy, proxied_postgres

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    # A socket accepted by one of the servers these tests run is sometimes left for the
    # collector, which then warns inside whichever test it runs in (1 run in 4 after the ops
    # tests); the leak is a test teardown's and is still to be found.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
ANA_KEY = f"slack:T0TEST:{ANA}"


@pytest.fixture
def proxied() -> Iterator[tuple[TcpProxy, str]]:
    with proxied_postgres() as found:
        yield found


@pytest.fixture
def proxy(proxied: tuple[TcpProxy, str]) -> TcpProxy:
    return proxied[0]


@pytest.fixture
def slack_overrides(proxied: tuple[TcpProxy, str]) -> dict[str, Any]:
    """The app's database is a schema of its own, reached through the proxy."""
    return {"dslp_database_url": proxied[1]}


async def test_a_command_during_an_outage_is_answered_through_its_response_url(
    slack: SlackHarness, proxy: TcpProxy
) -> None:
    """Issue 17: commands were acked with 200, then nothing reached the person."""
    proxy.cut()
    answer = await slack.command("status")
    assert answer.status == 200
    [said] = await slack.fake.wait_for_response()
    assert said["hook"] == f"cmd-{ANA}" and said["response_type"] == "ephemeral"
    assert "could not do that just now" in as_text(said)


async def test_a_command_sent_twice_during_an_outage_is_answered_once(
    slack: SlackHarness, proxy: TcpProxy
) -> None:
    """A command's copy is looked up after the ack; with the database away, this replica's
    memory still knows it."""
    proxy.cut()
    body = slack.command_body("status")
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    answers = [await slack.send(body.encode(), headers) for _ in range(2)]
    assert [answer.status for answer in answers] == [200, 200]
    await slack.settle()
    [said] = slack.fake.responses
    assert "could not do that just now" in as_text(said)


async def test_a_form_submitted_during_an_outage_stays_open_with_an_error_and_saves_later(
    slack: SlackHarness, proxy: TcpProxy
) -> None:
    view = await open_form(slack)
    proxy.cut()
    answer = await slack.submit_view(view, GOOD)
    assert answer.status == 200, answer.text
    body = answer.json()
    assert body["response_action"] == "errors" and "still in this form" in as_text(body)
    proxy.restore()
    again = await slack.submit_view(view, GOOD)  # the same text, still in the modal
    assert again.json()["response_action"] == "update"
    [draft] = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert draft.answers["title"] == GOOD["title"]


async def test_file_it_during_an_outage_says_so_and_a_later_file_it_files_once(
    slack: SlackHarness, proxy: TcpProxy
) -> None:
    view = await open_form(slack)
    review = await slack.submit_view(view, GOOD)
    proxy.cut()
    final = await slack.submit_view({**review.json()["view"], "id": view["id"]}, {})
    assert final.status == 200 and "cannot be sure" in as_text(final.json())
    proxy.restore()
    again = await slack.submit_view({**review.json()["view"], "id": view["id"]}, {})
    assert again.json()["response_action"] == "update"
    await slack.settle()
    assert len(slack.github.issues()) == 1


class CutAfterPosting:
    """The real outbox, with the database cut right after Slack took the first message."""

    def __init__(self, app: App, proxy: TcpProxy) -> None:
        self._outbox = app.outbox
        self._proxy = proxy

    def handles(self, platform: str) -> bool:
        return self._outbox.handles(platform)

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        sent = await self._outbox.send_marked(place=place, replies=replies, mark=mark)
        self._proxy.cut()
        return sent


async def test_a_notice_sent_as_the_database_died_is_not_sent_twice_and_the_batch_waits_seconds(
    fake_slack: FakeSlack, slack_app: App, proxy: TcpProxy, adapter: SlackAdapter
) -> None:
    """Issue 17: sent just before the database died, it was posted again after the 60 s lease,
    and the rest of the claimed batch waited out that lease too."""
    journal = slack_app.notifications.journal
    place = Place("slack", CHANNEL, "T0TEST")
    for n in range(3):
        await journal.enqueue(key=f"n{n}", place=place, replies=[Say(f"notice {n}")])
    dying = DeliveryWorker(
        journal=journal, outbox=CutAfterPosting(slack_app, proxy), lease_seconds=0.5
    )
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for a lost server
        await dying.run_once()
    proxy.restore()
    worker = DeliveryWorker(journal=journal, outbox=slack_app.outbox, lease_seconds=0.5)
    for _ in range(100):  # the leases run out in half a second: no minute-long wait
        await asyncio.sleep(0.05)
        await worker.run_once()
        if (await journal.counts()).get("sent") == 3:
            break
    posted = [p["text"] for p in fake_slack.delivered("chat.postMessage")]
    assert sorted(posted) == ["notice 0", "notice 1", "notice 2"]


class OutlivesItsLease:
    """The real outbox; after Slack took the first message, this worker stalls: the database
    is cut (its renewals fail), and while it waits another worker takes over its rows."""

    def __init__(self, app: App, proxy: TcpProxy, other: DeliveryWorker) -> None:
        self._outbox = app.outbox
        self._proxy = proxy
        self._other = other
        self.stalled = False

    def handles(self, platform: str) -> bool:
        return self._outbox.handles(platform)

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        sent = await self._outbox.send_marked(place=place, replies=replies, mark=mark)
        if not self.stalled:
            self.stalled = True
            self._proxy.cut()
            await asyncio.sleep(1.0)  # two leases: the renewals failed
            self._proxy.restore()
            assert await self._other.run_once() == 3
        return sent


async def test_a_worker_that_outlived_its_lease_sends_nothing_another_worker_took(
    fake_slack: FakeSlack, slack_app: App, proxy: TcpProxy, adapter: SlackAdapter
) -> None:
    """Issue 17 (the benchmark's two duplicates): renewals held up past the lease, another
    worker took the batch, and the first one went on posting it."""
    journal = slack_app.notifications.journal
    place = Place("slack", CHANNEL, "T0TEST")
    for n in range(3):
        await journal.enqueue(key=f"n{n}", place=place, replies=[Say(f"notice {n}")])
    other = DeliveryWorker(journal=journal, outbox=slack_app.outbox, lease_seconds=0.5)
    stalling = OutlivesItsLease(slack_app, proxy, other)
    first = DeliveryWorker(journal=journal, outbox=stalling, lease_seconds=0.5)
    assert await first.run_once() == 3
    posted = [p["text"] for p in fake_slack.delivered("chat.postMessage")]
    assert sorted(posted) == ["notice 0", "notice 1", "notice 2"]
    assert await journal.counts() == {"sent": 3}
