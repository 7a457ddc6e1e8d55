"""Teams end to end: activities over HTTP in, Bot Connector calls and GitHub issues out."""

from __future__ import annotations

import pytest

from bot.mentions import mention
from bot.ports import DeliveryError
from bot.types import Person, Place, Say
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import (
    ALICE,
    BOB,
    BOT,
    CHANNEL,
    PERSONAL,
    Teams,
    card_data,
    inputs,
)

pytestmark = pytest.mark.slow

ANSWERS = {
    "title": "Predict which customers will cancel next quarter",
    "problem": (
        "Customer success learns about cancellations only after they happen, "
        "so offers come too late."
    ),
    "outcome": (
        "As a CSM, I can see risky accounts every Monday "
        "so that I call them first instead of alphabetically."
    ),
    "current_state": "A monthly spreadsheet built by hand.",
    "success": "At least 60% of cancelling accounts flagged 30 days ahead.",
    "impact": "",
    "metrics": (
        "Churn down from 3.1% to 2.5%; counter-balance: "
        "calls per manager must not exceed 50 a week."
    ),
    "constraints": "No personal data leaves the EU.",
    "data": "CRM accounts (Sales Ops), usage events (Data Platform).",
    "stakeholders": "Head of Customer Success.",
}


def form_values(draft_id: str, **changes: str) -> dict[str, object]:
    values = {f"field:{key}": value for key, value in {**ANSWERS, **changes}.items()}
    return {"dslp": "submit_form", "draft": draft_id, "flow": "ask", "v": 1, **values}


async def test_a_whole_ask_through_the_conversation_in_personal_chat(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    first = await teams.say("ask")
    assert "1 of 10" in first[0].words
    assert all(sent.reply_to for sent in first), "in-turn answers reply to the user's activity"
    assert "Open the form" in first[-1].words
    for answer in ANSWERS.values():
        await teams.say(answer or "skip")
    sent = await teams.say("submit")
    assert "being filed" in sent[0].words
    filed = await teams.filed()
    assert "Filed #1" in filed[0].words
    assert any(a["type"] == "Action.OpenUrl" for a in filed[0].cards[0]["actions"])
    assert filed[0].conversation_id == PERSONAL and not filed[0].reply_to
    issues = fake_github.issues()
    assert len(issues) == 1 and issues[0].title == ANSWERS["title"]


async def test_a_whole_ask_through_the_card_form_in_a_channel(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    offer = await teams.say("ask", channel=True)
    form = await teams.press(card_data(offer[-1], "form"), channel=True)
    assert len(inputs(form[0])) == 10
    draft_id = card_data(form[0], "submit_form")["draft"]

    broken = await teams.press(form_values(draft_id, problem=""), channel=True)
    assert "Please fix" in broken[0].words
    fields = inputs(broken[0])
    assert fields["field:title"]["value"] == ANSWERS["title"], "typed values come back"
    assert fields["field:problem"]["isRequired"] is True

    review = await teams.press(form_values(draft_id), channel=True)
    assert "Review" in review[0].words and "Ready to file" in review[0].words
    confirm = card_data(review[0], "confirm")
    await teams.press(confirm, channel=True)
    filed = await teams.filed()
    assert filed[0].conversation_id == CHANNEL and "Filed #1" in filed[0].words
    await teams.press(confirm, channel=True)  # a second press of the same button
    await teams.filed()
    assert len(fake_github.issues()) == 1


async def test_the_chat_and_the_form_share_one_draft(teams: Teams) -> None:
    await teams.say("ask")
    await teams.say(ANSWERS["title"])
    form = await teams.press({"dslp": "form", "flow": "ask", "v": 1})
    assert inputs(form[0])["field:title"]["value"] == ANSWERS["title"]


async def test_mention_is_stripped_in_channels(teams: Teams) -> None:
    sent = await teams.say("help", channel=True)
    assert "Commands" in sent[0].words
    assert sent[0].conversation_id == CHANNEL


async def test_buttons_feed_their_value_back_as_a_message(teams: Teams) -> None:
    await teams.say("ask")
    await teams.say(ANSWERS["title"])
    coaching = await teams.say("churn")
    assert "stronger" in coaching[0].words
    keep = card_data(coaching[0], "say")
    assert keep["text"] == "keep" and keep["msteams"]["type"] == "messageBack"
    sent = await teams.send(teams.message(text="keep", value=keep))
    assert "3 of 10" in sent[0].words


async def test_install_greets_once_and_stores_the_reference(teams: Teams) -> None:
    update = teams.activity("conversationUpdate")
    update["membersAdded"] = [BOT, ALICE]
    install = teams.activity("installationUpdate")
    install["action"] = "add"
    greeted = await teams.send(update) + await teams.send(install)
    assert len(greeted) == 1
    assert "Data Science Lifecycle Process" in greeted[0].words
    stored = await teams.references.by_conversation(conversation_id=PERSONAL)
    assert stored is not None and stored.user_id == "aad-alice"
    assert stored.service_url == teams.connector.url


async def test_someone_else_joining_is_not_greeted(teams: Teams) -> None:
    update = teams.activity("conversationUpdate", channel=True)
    update["membersAdded"] = [BOB]
    assert await teams.send(update) == []


async def test_a_proactive_message_reaches_a_stored_reference_and_a_dm(teams: Teams) -> None:
    await teams.say("help")
    outbox = teams.app.outbox
    await outbox.send(place=Place("teams", PERSONAL, "tenant-1"), replies=[Say("Hello there")])
    alice = Person("teams", "aad-alice", "tenant-1", "Alice")
    await outbox.send(place=Place.direct(alice), replies=[Say("Hello again")])
    proactive = teams.connector.sent[-2:]
    assert [s.text for s in proactive] == ["Hello there", "Hello again"]
    assert all(s.conversation_id == PERSONAL and not s.reply_to for s in proactive)


async def test_a_429_is_retried_and_the_message_delivered(teams: Teams) -> None:
    teams.connector.fail_next(429, retry_after="0")
    teams.connector.fail_next(502)
    sent = await teams.say("help")
    assert teams.connector.rejected == [429, 502]
    assert "Commands" in sent[0].words


async def test_proactive_mentions_use_the_stored_name(teams: Teams) -> None:
    await teams.say("help")  # stores Alice's personal chat, with her name
    await teams.say("help", user=BOB, channel=True)
    alice = "teams:tenant-1:aad-alice"
    await teams.app.outbox.send(
        place=Place("teams", CHANNEL, "tenant-1"), replies=[Say(f"{mention(alice)} filed #3")]
    )
    sent = teams.connector.sent[-1]
    assert sent.conversation_id == CHANNEL
    assert sent.text == "<at>Alice Example</at> filed #3"
    assert sent.activity["entities"][0]["mentioned"] == {"id": "aad-alice", "name": "Alice Example"}


async def test_other_mentions_in_a_message_become_plain_names(teams: Teams) -> None:
    await teams.say("ask", channel=True)
    await teams.send(teams.message(text="Churn for <at>Bob</at>&nbsp;team", channel=True))
    drafts = await teams.app.drafts.list_open(owner="teams:tenant-1:aad-alice")
    assert drafts[0].answers["title"] == "Churn for Bob team"


async def test_a_proactive_send_to_an_unknown_place_is_a_permanent_delivery_error(
    teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(DeliveryError) as raised:
        await teams.app.outbox.send(
            place=Place("teams", "19:unknown", "tenant-1"), replies=[Say("x")]
        )
    assert raised.value.permanent
    assert teams.connector.sent == []
    assert "no Teams conversation reference" in caplog.text
