"""The message action "Frame as DSLP Ask": real-shaped `composeExtension/fetchTask` and
`composeExtension/submitAction` invokes, signed with Bot Connector tokens, answered with task
modules; the filed Ask is announced in a reply to the message through the fake Bot Connector."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.package import PackageSettings, manifest
from tests.fakes.bot_connector import FakeBotConnector, Sent
from tests.fakes.bot_framework_auth import FakeBotFrameworkKeys
from tests.fakes.github_api import FakeGitHub
from tests.support.identities import grant
from tests.teams.conftest import (
    ALICE_KEY,
    BOB,
    CHANNEL,
    Teams,
    secured_settings,
    start,
)

pytestmark = pytest.mark.slow
Json = dict[str, Any]
MESSAGE_ID = "1733567000000"
LINK = f"https://teams.microsoft.com/l/message/{CHANNEL}/{MESSAGE_ID}?tenantId=tenant-1"
HTML = (
    "<p>Claims take <b>9 days</b> to approve &amp; customers call us twice.</p>"
    "<p>Could we flag the easy ones?<br>Thanks</p>"
)
GOOD = {
    "field:title": "Flag easy claims",
    "field:outcome": (
        "As a claims handler, I can approve flagged claims the same day "
        "instead of queueing every claim for review."
    ),
}


def invoke(teams: Teams, name: str, value: Json, *, user: Json | None = None) -> Json:
    activity = teams.activity("invoke", channel=True, **({"user": user} if user else {}))
    activity["name"] = name
    activity["value"] = value
    return activity


def action_value(*, data: Json | None = None, html: str = HTML, link: str = LINK) -> Json:
    """What Teams sends for a message action: the command, and the message it was picked on."""
    value: Json = {
        "commandId": "frameAsk",
        "commandContext": "message",
        "context": {"theme": "default"},
        "messagePayload": {
            "id": MESSAGE_ID,
            "replyToId": None,
            "messageType": "message",
            "createdDateTime": "2025-12-07T10:00:00.000Z",
            "linkToMessage": link,
            "from": {"user": {"id": "aad-carol", "displayName": "Carol"}},
            "body": {"contentType": "html", "content": html},
            "attachments": [],
            "mentions": [],
        },
    }
    if data is not None:
        value["data"] = data
        value["botMessagePreviewAction"] = None
    return value


async def answered(teams: Teams, activity: Json) -> Json:
    response = await teams.post(activity, **teams.bearer(activity))
    assert response.status == 200, await response.text()
    body = await response.json()
    assert isinstance(body, dict)
    return body


def dialog_card(answer: Json) -> Json:
    task = answer["task"]
    assert task["type"] == "continue", answer
    assert task["value"]["card"]["contentType"] == "application/vnd.microsoft.card.adaptive"
    card: Json = task["value"]["card"]["content"]
    return card


def submit_data(card: Json) -> Json:
    [action] = [a for a in card.get("actions", []) if a.get("type") == "Action.Submit"][:1]
    data: Json = action["data"]
    return data


def typed(card: Json, key: str) -> Json:
    """An input as the dialog sends it back: unchanged from what the card showed."""
    return {f"field:{key}": input_value(card, key)}


def input_value(card: Json, key: str) -> str:
    for element in card["body"]:
        if element.get("id") == f"field:{key}":
            return str(element.get("value", ""))
    raise AssertionError(f"no input {key}")


async def test_the_action_opens_the_form_prefilled_with_the_message_and_a_link(
    secured: Teams,
) -> None:
    card = dialog_card(
        await answered(secured, invoke(secured, "composeExtension/fetchTask", action_value()))
    )
    problem = input_value(card, "problem")
    assert "Claims take 9 days to approve & customers call us twice." in problem
    assert "Could we flag the easy ones?\nThanks" in problem
    assert LINK.replace("@", "%40") in problem and "<p>" not in problem
    [draft] = await secured.app.drafts.list_open(owner=ALICE_KEY)
    assert draft.answers["problem"] == problem  # the chat's draft: `ask` in a chat resumes it


async def test_review_then_file_it_files_once_and_answers_under_the_message(
    secured: Teams, fake_github: FakeGitHub
) -> None:
    form = dialog_card(
        await answered(secured, invoke(secured, "composeExtension/fetchTask", action_value()))
    )
    review = dialog_card(
        await answered(
            secured,
            invoke(
                secured,
                "composeExtension/submitAction",
                action_value(data={**submit_data(form), **GOOD, **typed(form, "problem")}),
            ),
        )
    )
    confirm = submit_data(review)
    assert confirm["dslp"] == "confirm"
    done = await answered(
        secured, invoke(secured, "composeExtension/submitAction", action_value(data=confirm))
    )
    assert done["task"]["type"] == "message" and "Flag easy claims" in done["task"]["value"]
    await secured.filed()
    [issue] = fake_github.issues()
    assert issue.title == "Flag easy claims" and "Could we flag the easy ones?" in (
        issue.body or ""
    )
    assert LINK.replace("@", "%40") in (issue.body or "")  # a link GitHub keeps whole
    [reply] = await replied(secured)
    assert reply.conversation_id == CHANNEL and f"#{issue.number}" in reply.words
    assert reply.authorization.startswith("Bearer ")  # the bot's own token, from Entra


async def replied(teams: Teams) -> list[Sent]:
    """Messages sent in reply to the message the action was picked on (delivery is queued)."""
    for _ in range(250):
        found = [s for s in teams.connector.sent if s.reply_to == MESSAGE_ID]
        if found:
            return found
        await asyncio.sleep(0.02)
    return []


async def test_missing_parts_come_back_in_the_dialog_with_what_to_fix(secured: Teams) -> None:
    fetch = invoke(secured, "composeExtension/fetchTask", action_value())
    form = dialog_card(await answered(secured, fetch))
    data = {**submit_data(form), "field:title": "  ", **typed(form, "problem")}
    again = dialog_card(
        await answered(
            secured, invoke(secured, "composeExtension/submitAction", action_value(data=data))
        )
    )
    words = str(again["body"])
    assert "Please fix the parts marked below" in words and "Title is needed" in words
    assert input_value(again, "problem") == input_value(form, "problem")


async def test_odd_invokes_get_a_sentence_not_an_error(secured: Teams) -> None:
    other = {**action_value(), "commandId": "somethingElse"}
    answer = await answered(secured, invoke(secured, "composeExtension/fetchTask", other))
    assert (
        answer["task"]["type"] == "message" and "update the app package" in answer["task"]["value"]
    )
    for data in (None, {"not": "ours"}, "text"):
        value = {**action_value(), "data": data}
        answer = await answered(secured, invoke(secured, "composeExtension/submitAction", value))
        assert answer["task"]["type"] == "message"
    no_message = {"commandId": "frameAsk", "commandContext": "message"}
    card = dialog_card(
        await answered(secured, invoke(secured, "composeExtension/fetchTask", no_message))
    )
    assert input_value(card, "problem") == ""


async def test_links_that_are_not_teams_and_giant_messages_are_kept_safe(secured: Teams) -> None:
    """Each person has one Ask draft, which a second action fills only where it is empty."""
    links = (
        "javascript:alert(1)",
        "https://evil.example.com/l/1",
        "https://x@teams.microsoft.com/",
    )
    for number, link in enumerate(links):
        user = {"id": f"29:p{number}", "name": f"P{number}", "aadObjectId": f"aad-p{number}"}
        value = action_value(html="<p>short <script>x</script></p>", link=link)
        fetch = invoke(secured, "composeExtension/fetchTask", value, user=user)
        card = dialog_card(await answered(secured, fetch))
        assert input_value(card, "problem") == "short x"
    giant = action_value(html="<p>" + "word " * 2000 + "</p>")
    card = dialog_card(
        await answered(secured, invoke(secured, "composeExtension/fetchTask", giant, user=BOB))
    )
    problem = input_value(card, "problem")
    assert len(problem) <= 3000 and problem.endswith(f"{LINK.replace('@', '%40')})")


async def test_someone_else_cannot_review_or_file_a_draft_by_its_id(
    secured: Teams, fake_github: FakeGitHub
) -> None:
    form = dialog_card(
        await answered(secured, invoke(secured, "composeExtension/fetchTask", action_value()))
    )
    data = {**submit_data(form), **GOOD, **typed(form, "problem")}
    stolen = invoke(secured, "composeExtension/submitAction", action_value(data=data), user=BOB)
    answer = await answered(secured, stolen)
    assert "not yours" in str(answer)
    [draft] = await secured.app.drafts.list_open(owner=ALICE_KEY)
    assert "title" not in draft.answers
    confirm = {"dslp": "confirm", "draft": draft.id, "flow": "ask", "v": 1}
    filed = invoke(secured, "composeExtension/submitAction", action_value(data=confirm), user=BOB)
    assert "no longer waiting" in str(await answered(secured, filed))
    await secured.filed()
    kept = await secured.app.drafts.get(draft_id=draft.id)
    assert kept is not None and kept.stage == "asking" and fake_github.issues() == []


async def test_an_unsigned_invoke_is_refused(secured: Teams) -> None:
    fetch = invoke(secured, "composeExtension/fetchTask", action_value())
    response = await secured.post(fetch)
    assert response.status == 401
    assert await secured.app.drafts.list_open(owner=ALICE_KEY) == []


@pytest.fixture
async def guarded(
    tmp_path: Path,
    fake_github: FakeGitHub,
    connector: FakeBotConnector,
    bot_framework: FakeBotFrameworkKeys,
) -> AsyncIterator[Teams]:
    settings = secured_settings(
        tmp_path, fake_github, bot_framework, dslp_teams_tenant_ids="tenant-1"
    )
    async for harness in start(settings, connector, bot_framework):
        await grant(harness.app, fake_github, ALICE_KEY, "alice-gh", "maintain")
        yield harness


async def test_another_tenant_gets_no_dialog_and_nothing_is_kept(guarded: Teams) -> None:
    fetch = invoke(guarded, "composeExtension/fetchTask", action_value())
    fetch["conversation"]["tenantId"] = fetch["channelData"]["tenant"]["id"] = "stranger"
    response = await guarded.post(fetch, **guarded.bearer(fetch))
    assert response.status == 200 and await response.text() == ""
    assert await guarded.app.drafts.list_open(owner="teams:stranger:aad-alice") == []
    assert await guarded.references.by_conversation(conversation_id=CHANNEL) is None
    ours = invoke(guarded, "composeExtension/fetchTask", action_value())
    assert dialog_card(await answered(guarded, ours))["body"]


def test_the_package_declares_the_message_action() -> None:
    built = manifest(PackageSettings(public_url="https://bot.example.com/"))
    [extension] = built["composeExtensions"]
    assert extension["botId"] == built["bots"][0]["botId"]
    [command] = extension["commands"]
    assert command["id"] == "frameAsk" and command["type"] == "action"
    assert command["context"] == ["message"] and command["fetchTask"] is True
    assert command["title"] == "Frame as DSLP Ask"
