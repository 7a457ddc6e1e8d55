"""Delivery through the Web API: rate limits retried, unreachable channels fall back to a DM."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from adapters.app import App
from adapters.outbox import Mark
from adapters.slack.mount import SlackAdapter
from bot.ports import DeliveryError
from bot.types import Place, Say
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import ANA, CHANNEL, GOOD, SlackHarness, as_text, file_form, open_form

pytestmark = pytest.mark.slow
ANA_KEY = f"slack:T0TEST:{ANA}"


async def test_a_429_is_retried_after_retry_after_and_the_message_delivered(
    slack: SlackHarness,
) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=1)
    await slack.dm("help")
    await slack.settle()
    assert len(slack.fake.to("chat.postMessage")) == 2
    delivered = slack.fake.delivered("chat.postMessage")
    assert len(delivered) == 1 and "ask [title]" in as_text(delivered[0])
    [waited] = slack.clock.slept
    assert 1 <= waited < 2, "Retry-After, plus under a second of jitter"


async def test_a_5xx_from_slack_is_retried(slack: SlackHarness) -> None:
    slack.fake.server_error_next("chat.postMessage")
    await slack.dm("help")
    await slack.settle()
    assert len(slack.fake.delivered("chat.postMessage")) == 1
    assert len(slack.clock.slept) == 1


async def test_a_deleted_channel_sends_the_filing_result_to_the_owner_by_dm(
    slack: SlackHarness,
) -> None:
    slack.fake.unreachable[CHANNEL] = "channel_not_found"
    await file_form(slack, GOOD)
    await slack.settle()
    assert slack.fake.to("conversations.open")[0]["users"] == ANA
    delivered = slack.fake.delivered("chat.postMessage")
    assert [p["channel"] for p in delivered] == [f"D{ANA}", f"D{ANA}"]
    assert "could not post in the channel" in as_text(delivered[0])
    assert "/octo/dslp/issues/1" in as_text(delivered[1])


async def test_a_person_the_bot_cannot_dm_is_logged_and_the_ask_still_filed(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fake.unreachable[CHANNEL] = "is_archived"
    slack.fake.undmable[ANA] = "cannot_dm_bot"
    await file_form(slack, GOOD)
    await slack.settle()
    assert "could not DM" in caplog.text and "cannot_dm_bot" in caplog.text
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert drafts == []
    asks = await slack.app.asks.by_requester(requester=ANA_KEY)
    assert len(asks) == 1


async def test_an_undeliverable_notice_raises_a_permanent_delivery_error(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    slack.fake.fail_next("chat.postMessage", "invalid_blocks")
    place = Place("slack", f"{CHANNEL}/{ANA}", "T0TEST", "1700000000.000001")
    with pytest.raises(DeliveryError) as raised:
        await slack.adapter.outbox.send(place=place, replies=[Say("hello")])
    assert raised.value.permanent and raised.value.message == "invalid_blocks"
    assert "invalid_blocks" in caplog.text
    assert slack.fake.to("conversations.open") == []
    assert slack.fake.to("chat.postMessage")[0]["thread_ts"] == "1700000000.000001"


async def test_a_rate_limit_outlasting_the_retries_asks_the_caller_to_retry_later(
    slack: SlackHarness,
) -> None:
    slack.fake.rate_limit_next("chat.postMessage", retry_after=0, times=10)
    with pytest.raises(DeliveryError) as raised:
        await slack.adapter.outbox.send(
            place=Place("slack", CHANNEL, "T0TEST"), replies=[Say("hi")]
        )
    assert not raised.value.permanent and raised.value.retry_after == 0
    assert len(slack.fake.to("chat.postMessage")) == 4
    assert len(slack.clock.slept) == 3 and all(0 <= waited < 1 for waited in slack.clock.slept)


async def test_a_channel_gone_with_nobody_to_tell_is_permanent(slack: SlackHarness) -> None:
    slack.fake.unreachable[CHANNEL] = "channel_not_found"
    with pytest.raises(DeliveryError) as raised:
        await slack.adapter.outbox.send(
            place=Place("slack", CHANNEL, "T0TEST"), replies=[Say("hi")]
        )
    assert raised.value.permanent


async def test_a_send_whose_outcome_is_unknown_is_looked_for_in_the_channel_not_repeated(
    fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    """Issue 17: a notice posted just before the process died was posted again after the lease."""
    journal = slack_app.notifications.journal
    place = Place("slack", CHANNEL, "T0TEST")
    await journal.enqueue(key="n1", place=place, replies=[Say("Experiment #3 succeeded")])
    [dying] = await journal.claim_due(limit=5, lease_seconds=0.01)
    mark = Mark(dying.key, dying.unsure_since)
    await adapter.outbox.send_marked(place=place, replies=dying.replies, mark=mark)
    # ...and the worker dies here, before recording it as sent; its lease runs out.
    await asyncio.sleep(0.02)
    assert await slack_app.notifications.worker.run_once() == 1
    [posted] = fake_slack.delivered("chat.postMessage")
    assert posted["metadata"] == {"event_type": "dslp_notification", "event_payload": {"id": "n1"}}
    [looked] = fake_slack.to("conversations.history")
    assert looked["channel"] == CHANNEL and looked["include_all_metadata"] in {"1", "true", True}
    assert await journal.counts() == {"sent": 1}


async def test_an_unknown_outcome_that_never_reached_slack_is_sent_after_looking(
    fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    journal = slack_app.notifications.journal
    place = Place("slack", CHANNEL, "T0TEST", "1700000000.000009")
    await journal.enqueue(key="n2", place=place, replies=[Say("Model #4 is ready to deploy")])
    await journal.claim_due(limit=5, lease_seconds=0.01)  # claimed, then the worker died
    await asyncio.sleep(0.02)
    await slack_app.notifications.worker.run_once()
    assert len(fake_slack.to("conversations.replies")) == 1
    [posted] = fake_slack.delivered("chat.postMessage")
    assert posted["thread_ts"] == "1700000000.000009"
    assert await journal.counts() == {"sent": 1}


async def test_the_filed_link_outlives_a_slack_outage(slack: SlackHarness) -> None:
    """Issue 17: with Slack failing, the filed Ask's link was dropped after a few tries."""
    view = await open_form(slack)
    review = await slack.submit_view(view, GOOD)
    slack.fake.outage.start()
    await slack.submit_view({**review.json()["view"], "id": view["id"]}, {})
    await slack.settle()
    assert slack.fake.delivered("chat.postMessage") == [] and slack.fake.outage.refused
    assert await slack.app.notifications.journal.counts() == {"pending": 1}
    slack.fake.outage.stop()
    await due_now(slack.app)
    await slack.app.notifications.worker.run_once()
    [posted] = slack.fake.delivered("chat.postMessage")
    assert "/octo/dslp/issues/1" in as_text(posted)


async def due_now(app: App) -> None:
    """Skip the backoff's wait (a test clock for the database's `next_attempt_at`)."""
    journal = app.notifications.journal
    await journal.retry_at(row_id=1, at=datetime.now(UTC), error="test: due now")
