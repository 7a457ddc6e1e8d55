"""Delivery through the Web API: rate limits retried, unreachable channels fall back to a DM."""

from __future__ import annotations

import logging

import pytest

from adapters.app import App
from adapters.slack.mount import SlackAdapter
from bot.ports import DeliveryError
from bot.types import Place, Say
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import ANA, CHANNEL, GOOD, SlackSender, as_text, file_form, settle

pytestmark = pytest.mark.slow
ANA_KEY = f"slack:T0TEST:{ANA}"


async def test_a_429_is_retried_after_retry_after_and_the_message_delivered(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    fake_slack.rate_limit_next("chat.postMessage", retry_after=1)
    await slack.dm("help")
    await settle(slack_app, adapter)
    assert len(fake_slack.to("chat.postMessage")) == 2
    delivered = fake_slack.delivered("chat.postMessage")
    assert len(delivered) == 1 and "ask [title]" in as_text(delivered[0])


async def test_a_5xx_from_slack_is_retried(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    fake_slack.server_error_next("chat.postMessage")
    await slack.dm("help")
    await settle(slack_app, adapter)
    assert len(fake_slack.delivered("chat.postMessage")) == 1


async def test_a_deleted_channel_sends_the_filing_result_to_the_owner_by_dm(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    fake_slack.unreachable[CHANNEL] = "channel_not_found"
    await file_form(slack, GOOD)
    await settle(slack_app, adapter)
    assert fake_slack.to("conversations.open")[0]["users"] == ANA
    delivered = fake_slack.delivered("chat.postMessage")
    assert [p["channel"] for p in delivered] == [f"D{ANA}", f"D{ANA}"]
    assert "could not post in the channel" in as_text(delivered[0])
    assert "/octo/dslp/issues/1" in as_text(delivered[1])


async def test_a_person_the_bot_cannot_dm_is_logged_and_the_ask_still_filed(
    slack: SlackSender,
    fake_slack: FakeSlack,
    slack_app: App,
    adapter: SlackAdapter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_slack.unreachable[CHANNEL] = "is_archived"
    fake_slack.undmable[ANA] = "cannot_dm_bot"
    await file_form(slack, GOOD)
    await settle(slack_app, adapter)
    assert "could not DM" in caplog.text and "cannot_dm_bot" in caplog.text
    drafts = await slack_app.drafts.list_open(owner=ANA_KEY)
    assert drafts == []
    asks = await slack_app.asks.by_requester(requester=ANA_KEY)
    assert len(asks) == 1


async def test_an_undeliverable_notice_raises_a_permanent_delivery_error(
    fake_slack: FakeSlack, adapter: SlackAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")
    place = Place("slack", f"{CHANNEL}/{ANA}", "T0TEST", "1700000000.000001")
    with pytest.raises(DeliveryError) as raised:
        await adapter.outbox.send(place=place, replies=[Say("hello")])
    assert raised.value.permanent and raised.value.message == "invalid_blocks"
    assert "invalid_blocks" in caplog.text
    assert fake_slack.to("conversations.open") == []
    assert fake_slack.to("chat.postMessage")[0]["thread_ts"] == "1700000000.000001"


async def test_a_rate_limit_outlasting_the_retries_asks_the_caller_to_retry_later(
    fake_slack: FakeSlack, adapter: SlackAdapter
) -> None:
    fake_slack.rate_limit_next("chat.postMessage", retry_after=0, times=10)
    with pytest.raises(DeliveryError) as raised:
        await adapter.outbox.send(place=Place("slack", CHANNEL, "T0TEST"), replies=[Say("hi")])
    assert not raised.value.permanent and raised.value.retry_after == 0
    assert len(fake_slack.to("chat.postMessage")) == 4


async def test_a_channel_gone_with_nobody_to_tell_is_permanent(
    fake_slack: FakeSlack, adapter: SlackAdapter
) -> None:
    fake_slack.unreachable[CHANNEL] = "channel_not_found"
    with pytest.raises(DeliveryError) as raised:
        await adapter.outbox.send(place=Place("slack", CHANNEL, "T0TEST"), replies=[Say("hi")])
    assert raised.value.permanent
