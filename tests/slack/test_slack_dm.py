"""The Ask as a DM conversation, drafts shared with the modal, buttons, and the App Home tab."""

from __future__ import annotations

import pytest

from tests.slack.conftest import ANA, GOOD, SlackHarness, as_text, file_form, open_form

pytestmark = pytest.mark.slow
ANA_KEY = f"slack:T0TEST:{ANA}"
DM = f"D{ANA}"
REQUIRED = [str(GOOD[key]) for key in ("title", "problem", "outcome")]


async def say(slack: SlackHarness, *texts: str) -> None:
    for text in texts:
        answer = await slack.dm(text)
        assert answer.status == 200
        await slack.settle()


async def test_a_whole_ask_in_a_dm_is_filed_and_the_link_posted_there(slack: SlackHarness) -> None:
    await say(slack, "ask", *REQUIRED, "preview", "submit")
    posts = slack.fake.delivered("chat.postMessage")
    assert {p["channel"] for p in posts} == {DM}
    assert "Problem statement" in as_text(posts[1])
    assert len(slack.github.issues()) == 1
    assert "/octo/dslp/issues/1" in as_text(posts[-1])


async def test_a_button_press_is_fed_back_as_the_typed_word(slack: SlackHarness) -> None:
    await say(slack, "ask", *REQUIRED)
    last = slack.fake.delivered("chat.postMessage")[-1]
    skip = next(
        element
        for block in last["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("value") == "skip"
    )
    assert skip["action_id"].startswith("dslp_choice")
    await slack.press({"action_id": skip["action_id"], "value": "skip"}, channel=DM)
    await slack.settle()
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert "current_state" in drafts[0].skipped
    assert slack.fake.delivered("chat.postMessage")[-1]["channel"] == DM


async def test_started_in_the_modal_and_finished_in_the_dm(slack: SlackHarness) -> None:
    view = await open_form(slack)
    await slack.submit_view(view, {**GOOD, "data": "CRM accounts (Sales Ops)"})
    await say(slack, "preview")
    assert "CRM accounts" in as_text(slack.fake.delivered("chat.postMessage")[-1])
    await say(slack, "submit")
    await slack.settle()
    issues = slack.github.issues()
    assert len(issues) == 1 and "CRM accounts" in (issues[0].body or "")
    assert "/octo/dslp/issues/1" in as_text(slack.fake.delivered("chat.postMessage")[-1])


async def test_started_in_the_dm_and_continued_in_the_modal(slack: SlackHarness) -> None:
    await say(slack, "ask", REQUIRED[0])
    view = await open_form(slack)
    title = next(b for b in view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == GOOD["title"]


async def test_messages_from_bots_and_edits_are_not_answered(slack: SlackHarness) -> None:
    base = {"type": "message", "channel": DM, "channel_type": "im", "text": "ask", "ts": "1.0"}
    await slack.event({**base, "user": ANA, "bot_id": "BBOT"})
    await slack.event({**base, "user": ANA, "subtype": "message_changed"})
    await slack.event({**base, "channel_type": "channel", "user": ANA})
    await slack.settle()
    assert slack.fake.to("chat.postMessage") == []


async def test_the_home_tab_lists_asks_with_their_phase_and_drafts_with_resume(
    slack: SlackHarness,
) -> None:
    await file_form(slack, GOOD)
    await slack.settle()
    await say(slack, "ask", "A second, unfinished Ask")
    await slack.event({"type": "app_home_opened", "user": ANA, "channel": DM, "tab": "home"})
    await slack.settle()
    published = await slack.fake.wait_for("views.publish")
    assert published[0]["user_id"] == ANA
    home = published[0]["view"]
    text = as_text(home)
    assert home["type"] == "home" and len(home["blocks"]) <= 100
    assert "#1 Predict which customers" in text and "phase: *Ask*" in text
    assert "A second, unfinished Ask" in text and "dslp_home_resume" in text
    assert "dslp_home_new" in text


async def test_frame_a_new_ask_on_the_home_tab_opens_the_modal_answering_by_dm(
    slack: SlackHarness,
) -> None:
    await slack.press({"action_id": "dslp_home_new", "value": "ask"})
    await slack.settle()
    opened = await slack.fake.wait_for("views.open")
    assert opened and opened[0]["trigger_id"].startswith(f"trigger-{ANA}-")
    drafts = await slack.app.drafts.list_open(owner=ANA_KEY)
    assert drafts[0].origin.channel_id == f"dm:{ANA}"


async def test_the_home_tab_is_not_published_for_the_messages_tab(slack: SlackHarness) -> None:
    await slack.event({"type": "app_home_opened", "user": ANA, "channel": DM, "tab": "messages"})
    await slack.settle()
    assert slack.fake.to("views.publish") == []
