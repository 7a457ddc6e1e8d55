"""Teams beside the lifecycle: mentions in commands, role notices, delivery errors, tenants."""

from __future__ import annotations

from typing import Any

import pytest

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.types import Issue
from tests.teams.conftest import BOB, BOT_MENTION, CHANNEL, TENANT, Teams

pytestmark = pytest.mark.slow

BOB_CHAT = "a:bob-personal"
CAROL = {"id": "29:carol", "name": "Carol Example", "aadObjectId": "aad-carol"}


def personal(teams: Teams, user: dict[str, str], conversation: str, text: str) -> dict[str, Any]:
    activity = teams.message(text=text, user=user)
    activity["conversation"]["id"] = conversation
    return activity


def role_add(teams: Teams, text: str, mentioned: list[dict[str, Any]]) -> dict[str, Any]:
    """A channel message with the bot's mention first and one entity per other mention."""
    activity = teams.message(text=text, channel=True)
    entities = [
        {"type": "mention", "text": f"<at>{m['name']}</at>", "mentioned": m} for m in mentioned
    ]
    activity["entities"] = [BOT_MENTION, *entities]
    return activity


def model_opened(number: int = 7) -> TrackerEvent:
    issue = Issue(
        number=number,
        title="Churn model",
        body="",
        url=f"https://github.com/octo/dslp/issues/{number}",
        labels=frozenset({"Model"}),
    )
    return TrackerEvent(f"delivery-{number}", EventKind.OPENED, "octo/dslp", issue)


async def roles(teams: Teams) -> dict[str, tuple[str, ...]]:
    assert teams.app.notifications is not None
    return dict(await teams.app.notifications.people.roles(repository="octo/dslp"))


async def notify(teams: Teams, event: TrackerEvent) -> None:
    notifications = teams.app.notifications
    assert notifications is not None
    receipt = await notifications.lifecycle.receive(event)
    assert receipt.recorded
    await notifications.worker.run_once()


async def test_role_add_with_mentions_stores_the_keys_people_talk_to_the_bot_with(
    teams: Teams,
) -> None:
    # Teams leaves the Entra id out of Bob's entity: the connector is asked who 29:bob is.
    teams.connector.members["29:bob"] = {**BOB, "aadObjectId": "aad-bob"}
    bob = {"id": BOB["id"], "name": BOB["name"]}
    text = "role add ml-engineer <at>Bob Example</at> <at>Carol Example</at>"
    sent = await teams.send(role_add(teams, text, [bob, CAROL]))
    assert await roles(teams) == {
        "ml-engineer": (f"teams:{TENANT}:aad-bob", f"teams:{TENANT}:aad-carol")
    }
    assert teams.connector.member_lookups == ["29:bob"]
    assert "<at>Bob Example</at>" in sent[0].text, "the answer mentions them back"
    mentioned = [e["mentioned"]["id"] for e in sent[0].activity["entities"]]
    assert mentioned == ["aad-bob", "aad-carol"]


async def test_a_role_notice_reaches_the_members_personal_chat(teams: Teams) -> None:
    await teams.send(personal(teams, BOB, BOB_CHAT, "help"))  # Bob's chat with the bot
    text = "role add ml-engineer <at>Bob Example</at>"
    await teams.send(role_add(teams, text, [BOB]))
    before = len(teams.connector.sent)
    await notify(teams, model_opened())
    notices = teams.connector.sent[before:]
    assert [n.conversation_id for n in notices] == [BOB_CHAT]
    assert "#7" in notices[0].text and not notices[0].reply_to


async def test_a_mention_nobody_can_resolve_stays_a_plain_name(teams: Teams) -> None:
    ghost = {"id": "29:ghost", "name": "Ghost"}
    sent = await teams.send(role_add(teams, "role add it <at>Ghost</at>", [ghost]))
    assert await roles(teams) == {}
    assert "Ghost" in sent[0].words


async def test_the_channel_itself_can_be_sent_a_role_notice(teams: Teams) -> None:
    await teams.say("subscribe", channel=True)
    await teams.send(role_add(teams, "role add ml-engineer <at>Carol Example</at>", [CAROL]))
    before = len(teams.connector.sent)
    await notify(teams, model_opened(8))
    notices = teams.connector.sent[before:]
    assert [n.conversation_id for n in notices] == [CHANNEL]
    assert notices[0].text.startswith("<at>")
