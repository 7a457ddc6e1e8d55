"""The Ask as a Slack modal end to end: signed requests in, calls to fake Slack and GitHub out."""

from __future__ import annotations

import asyncio

import pytest

from bot.types import Stage
from tests.slack.conftest import (
    ANA,
    CHANNEL,
    GOOD,
    SlackHarness,
    as_text,
    file_form,
    open_form,
)

pytestmark = pytest.mark.slow
ANA_KEY = f"slack:T0TEST:{ANA}"


async def test_help_answers_ephemerally_through_the_response_url(slack: SlackHarness) -> None:
    answer = await slack.command("")
    assert answer.status == 200
    responses = await slack.fake.wait_for_response()
    assert responses[0]["response_type"] == "ephemeral"
    assert "ask [title]" in as_text(responses[0]) and "status" in as_text(responses[0])


async def test_an_unknown_sub_command_gets_the_usage_list(slack: SlackHarness) -> None:
    await slack.command("frobnicate <!channel>")
    responses = await slack.fake.wait_for_response()
    text = as_text(responses[0])
    assert "frobnicate" in text and "ask [title]" in text
    assert "<!channel>" not in text


async def test_ask_opens_a_modal_with_one_input_per_part(slack: SlackHarness) -> None:
    view = await open_form(slack, "ask Churn &amp; retention")
    inputs = [block for block in view["blocks"] if block["type"] == "input"]
    assert len(inputs) == 10
    title = inputs[0]["element"]
    assert title["initial_value"] == "Churn & retention"
    assert title["max_length"] == 120 and not title["multiline"]
    assert [b["optional"] for b in inputs[:4]] == [False, False, False, True]
    assert view["callback_id"] == "dslp_form"
    assert len(view["private_metadata"]) <= 3000


async def test_a_submitted_form_is_reviewed_then_filed_once_with_the_link_posted(
    slack: SlackHarness,
) -> None:
    view = await open_form(slack)
    review = await slack.submit_view(view, GOOD)
    body = review.json()
    assert body["response_action"] == "update"
    assert body["view"]["callback_id"] == "dslp_review"
    assert "Ready to file" in as_text(body["view"])
    filed = await slack.submit_view({**body["view"], "id": view["id"]}, {})
    assert filed.json()["response_action"] == "update"
    assert "Filing" in as_text(filed.json())
    await slack.settle()
    issues = slack.github.issues()
    assert len(issues) == 1 and issues[0].labels == ["Ask"]
    posts = await slack.fake.wait_for("chat.postMessage")
    assert [p["channel"] for p in posts] == [CHANNEL]
    assert f"/octo/dslp/issues/{issues[0].number}" in as_text(posts[0])
    asks = await slack.app.asks.by_requester(requester=ANA_KEY)
    assert asks[0].origin.channel_id == f"{CHANNEL}/{ANA}" and asks[0].origin.team_id == "T0TEST"


async def test_a_double_submit_of_the_review_files_once(slack: SlackHarness) -> None:
    view = await open_form(slack)
    review = (await slack.submit_view(view, GOOD)).json()["view"]
    first, second = await asyncio.gather(
        slack.submit_view({**review, "id": view["id"]}, {}),
        slack.submit_view({**review, "id": view["id"]}, {}),
    )
    assert first.status == second.status == 200
    await slack.settle()
    assert len(slack.github.issues()) == 1


async def test_field_errors_are_shown_inline_and_valid_answers_kept(slack: SlackHarness) -> None:
    view = await open_form(slack)
    answer = await slack.submit_view(view, {**GOOD, "problem": "   "})
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"problem"}
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert drafts[0].answers["title"] == GOOD["title"]


async def test_github_down_is_said_once_retried_with_backoff_and_the_link_posted_once(
    slack: SlackHarness,
) -> None:
    """Issue 17: filing gave up after ~6 s with "the bot will try again", and never did."""
    slack.github.outage.start(status=502)
    await file_form(slack, GOOD)
    await slack.settle()
    for _ in range(3):  # more failed tries: still one "delayed"
        await slack.app.worker.run_once()
    assert slack.github.issues() == []
    [told] = slack.fake.delivered("chat.postMessage")
    assert "is delayed" in as_text(told) and "draft is safe" in as_text(told)
    [draft] = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert draft.stage == Stage.SUBMITTING
    slack.github.outage.stop()
    for _ in range(100):  # the next try is due after a short wait (DSLP_FILING_RETRY_SECONDS)
        await asyncio.sleep(0.02)
        if await slack.app.worker.run_once():
            break
    posted = await slack.fake.wait_for("chat.postMessage", 2)
    assert len(posted) == 2 and "/octo/dslp/issues/1" in as_text(posted[1])
    await slack.app.worker.run_once()
    assert len(slack.github.issues()) == 1 and len(slack.fake.delivered("chat.postMessage")) == 2


async def test_slow_github_never_delays_an_ack(slack: SlackHarness) -> None:
    """GitHub holds its first answer for 10 s: past Slack's 3 s, short of our 15 s client timeout.

    An ack that waited for GitHub would come back after GitHub answered; these
    come back while that answer is still held (no clock is read).
    """
    slack.github.delay_next("*", r".*", 10.0)
    view = await open_form(slack)
    review = await slack.submit_view(view, GOOD)
    final = await slack.submit_view({**review.json()["view"], "id": view["id"]}, {})
    assert final.json()["response_action"] == "update"
    for _ in range(250):  # filing runs beside the ack and reaches GitHub soon after
        if slack.github.held:
            break
        await asyncio.sleep(0.02)
    assert slack.github.held == 1 and slack.github.issues() == []
    draft = (await slack.app.drafts.list_open(owner=ANA_KEY))[0]
    assert draft.stage == Stage.SUBMITTING
    slack.github.stop()  # ends the 10-second answer now instead of waiting for it
    await slack.settle()


async def test_the_message_shortcut_opens_the_modal_with_the_message_and_its_link(
    slack: SlackHarness,
) -> None:
    payload = {
        "type": "message_action",
        "callback_id": "dslp_frame_ask",
        "team": {"id": "T0TEST", "domain": "test"},
        "user": {"id": ANA, "name": "ana", "team_id": "T0TEST"},
        "channel": {"id": CHANNEL, "name": "data-team"},
        "message": {
            "type": "message",
            "user": "UBEN",
            "ts": "1700000001.000200",
            "text": "Why do our &lt;big&gt; customers leave? " + "x" * 5000,
        },
        "trigger_id": "trigger-shortcut",
        "response_url": slack.fake.response_url("shortcut"),
    }
    answer = await slack.interaction(payload)
    assert answer.status == 200
    opened = await slack.fake.wait_for("views.open")
    problem = opened[0]["view"]["blocks"][1]["element"]["initial_value"]
    assert problem.startswith("Why do our <big> customers leave?")
    assert "https://test.slack.com/archives/CDATA/p1700000001000200" in problem
    assert len(problem) <= 3000


async def test_a_slack_mention_in_a_command_reaches_the_core_as_a_member(
    slack: SlackHarness,
) -> None:
    await slack.command("role add data-scientist <@UBEN|ben>")
    await slack.fake.wait_for_response()
    await slack.command("role list")
    responses = await slack.fake.wait_for_response(2)
    assert "<@UBEN>" in as_text(responses[-1])
