"""Teams beside the lifecycle: mentions in commands, role notices, delivery errors, tenants."""

from __future__ import annotations

from typing import Any

import pytest

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.ports import DeliveryError
from bot.types import Issue, Place, Say, Scope
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import BOB, BOT_MENTION, CHANNEL, TENANT, Teams
from tests.teams.test_teams_flows import ANSWERS

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
    return dict(
        await teams.app.notifications.people.roles(
            scope=Scope("teams", TENANT), repository="octo/dslp"
        )
    )


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


# Delivery errors: what the notification and filing workers see


async def proactive(teams: Teams) -> None:
    await teams.app.outbox.send(place=Place("teams", CHANNEL, TENANT), replies=[Say("notice")])


async def test_a_long_retry_after_goes_back_to_the_caller_at_once(teams: Teams) -> None:
    await teams.say("help", channel=True)
    teams.connector.fail_next(429, retry_after="120")
    with pytest.raises(DeliveryError) as raised:
        await proactive(teams)
    assert raised.value.retry_after == 120.0 and not raised.value.permanent
    assert teams.connector.rejected == [429], "no inline wait of two minutes"


async def test_retries_are_bounded_then_a_retryable_error(teams: Teams) -> None:
    await teams.say("help", channel=True)
    teams.connector.fail_next(429, times=10, retry_after="0")
    with pytest.raises(DeliveryError) as raised:
        await proactive(teams)
    assert teams.connector.rejected == [429] * 5
    assert raised.value.retry_after == 0.0 and not raised.value.permanent


@pytest.mark.parametrize("status", [403, 404])
async def test_a_conversation_the_bot_left_is_permanent(teams: Teams, status: int) -> None:
    await teams.say("help", channel=True)
    teams.connector.fail_next(status)
    with pytest.raises(DeliveryError) as raised:
        await proactive(teams)
    assert raised.value.permanent and teams.connector.rejected == [status]


async def test_a_throttled_notice_is_retried_later_at_teams_pace(teams: Teams) -> None:
    await teams.send(personal(teams, BOB, BOB_CHAT, "help"))
    await teams.send(role_add(teams, "role add ml-engineer <at>Bob Example</at>", [BOB]))
    teams.connector.fail_next(429, retry_after="120")
    await notify(teams, model_opened())
    notifications = teams.app.notifications
    assert notifications is not None
    assert await notifications.journal.counts() == {"pending": 1}
    assert await notifications.worker.run_once() == 0, "not due for two minutes"


async def test_a_notice_for_someone_without_a_chat_is_given_up(teams: Teams) -> None:
    await teams.send(role_add(teams, "role add ml-engineer <at>Carol Example</at>", [CAROL]))
    await notify(teams, model_opened())
    notifications = teams.app.notifications
    assert notifications is not None
    assert await notifications.journal.counts() == {"failed": 1}


async def test_the_filing_worker_files_and_goes_on_when_teams_refuses_the_result(
    teams: Teams, fake_github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    teams.connector.fail_next(404, proactive_only=True)
    await teams.say("ask")
    for answer in ANSWERS.values():
        await teams.say(answer or "skip")
    await teams.say("submit")
    assert await teams.filed() == []
    assert len(fake_github.issues()) == 1
    assert "given up" in caplog.text  # a 404 never gets better: the queued result is not retried
    assert await teams.app.notifications.journal.counts() == {"failed": 1}
    drafts = await teams.app.drafts.list_open(owner=f"teams:{TENANT}:aad-alice")
    assert drafts == []
