"""Slack: a private repository is shown in a channel only once the person who subscribes it
confirms, through the real server with signed requests.

Ana is a signed-in maintainer (tests/slack/conftest.py); Ben is not signed in; Cora reads.
The question, like every answer to a command, goes only to the person (ephemeral).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.types import Place
from tests.fakes.slack_api import TEAM
from tests.slack.conftest import BEN, CHANNEL, SlackHarness, as_text
from tests.support.identities import grant

pytestmark = pytest.mark.slow
CONFIRM = "subscribe octo/dslp confirm"
CORA = "UCORA"


async def subscriptions(slack: SlackHarness) -> list[str]:
    people = slack.app.notifications.people
    return list(await people.subscriptions(place=Place("slack", CHANNEL, TEAM)))


def buttons(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in answer.get("blocks", [])
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


async def answer_to(slack: SlackHarness, count: int) -> dict[str, Any]:
    responses = await slack.fake.wait_for_response(count)
    assert len(responses) >= count
    return responses[count - 1]


async def test_a_private_repository_waits_for_the_subscriber_to_press_confirm(
    slack: SlackHarness,
) -> None:
    slack.github.repo().private = True
    await slack.command("subscribe")
    question = await answer_to(slack, 1)
    assert question["response_type"] == "ephemeral" and question["hook"] == "cmd-UANA"
    assert "octo/dslp is private" in as_text(question)
    [button] = buttons(question)
    assert button["value"] == CONFIRM
    assert await subscriptions(slack) == []
    await slack.press({"action_id": button["action_id"], "value": CONFIRM}, channel=CHANNEL)
    done = await answer_to(slack, 2)
    assert done["response_type"] == "ephemeral" and "now receives" in as_text(done)
    assert await subscriptions(slack) == ["octo/dslp"]
    assert not slack.fake.delivered("chat.postMessage")
    await slack.settle()


async def test_confirm_may_be_typed(slack: SlackHarness) -> None:
    slack.github.repo().private = True
    await slack.command(CONFIRM)
    assert "now receives" in as_text(await answer_to(slack, 1))
    assert await subscriptions(slack) == ["octo/dslp"]
    await slack.settle()


async def test_a_public_repository_asks_nothing(slack: SlackHarness) -> None:
    await slack.command("subscribe")
    answer = await answer_to(slack, 1)
    assert "now receives" in as_text(answer) and not buttons(answer)
    assert await subscriptions(slack) == ["octo/dslp"]
    await slack.settle()


@pytest.mark.parametrize("text", ["subscribe", CONFIRM])
async def test_without_write_access_nobody_is_asked_and_nothing_is_shown(
    slack: SlackHarness, text: str
) -> None:
    slack.github.repo().private = True
    await grant(slack.app, slack.github, f"slack:{TEAM}:{CORA}", "cora-gh", "read")
    await slack.command(text, user=BEN)
    await slack.command(text, user=CORA)
    responses = await slack.fake.wait_for_response(2)
    by_hook = {answer["hook"]: as_text(answer) for answer in responses}
    assert "Sign in with GitHub" in by_hook[f"cmd-{BEN}"] or "link github" in by_hook[f"cmd-{BEN}"]
    assert "needs write access" in by_hook[f"cmd-{CORA}"]
    assert not any("is private" in said for said in by_hook.values())
    assert await subscriptions(slack) == []
    await slack.settle()
