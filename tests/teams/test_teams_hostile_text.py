"""Hostile titles and answers through the real, token-checked Teams route: shown, never linked.

Each test reads the payloads the bot POSTed to the fake Bot Connector: every
message text and card TextBlock, in-turn answers and proactive notices alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.types import Issue
from tests.fakes.bot_connector import Sent
from tests.fakes.bot_framework_auth import OUTGOING_TOKEN
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import Teams
from tests.teams.test_teams_flows import ANSWERS
from tests.teams.test_teams_markdown import opens_a_link

pytestmark = pytest.mark.slow

PHISH = "[Your session expired - sign in again](https://evil.example/login)"
PIXEL = "![x](https://evil.example/p.png) <https://evil.example/a> <img src=x>"
HOSTILE = f"{PHISH} {PIXEL}"


def assert_shown_not_linked(sent: list[Sent]) -> None:
    assert sent, "the bot sent nothing"
    assert any("Your session expired - sign in again" in s.words for s in sent)
    for message in sent:
        assert message.authorization == f"Bearer {OUTGOING_TOKEN}"
        for text in message.words.split("\n"):
            assert not opens_a_link(text), text


async def test_an_answer_echoed_in_the_preview_review_and_filed_cards(
    secured: Teams, fake_github: FakeGitHub
) -> None:
    sent = await secured.say("ask")
    for key, answer in ANSWERS.items():
        hostile = {"title": PHISH, "constraints": HOSTILE}.get(key)
        sent += await secured.say(hostile or answer or "skip")
    sent += await secured.say("submit") + await secured.filed()
    assert_shown_not_linked(sent)
    assert any("Filed #1" in s.words for s in sent)
    assert fake_github.issues()[0].title == PHISH


async def test_an_issue_title_in_a_lifecycle_notice(secured: Teams) -> None:
    await secured.say("subscribe", channel=True)
    before = len(secured.connector.sent)
    issue = Issue(
        number=5,
        title=HOSTILE,
        body="",
        url="https://github.com/octo/dslp/issues/5",
        labels=frozenset({"Ask"}),
    )
    notifications = secured.app.notifications
    assert notifications is not None
    event = TrackerEvent("delivery-5", EventKind.OPENED, "octo/dslp", issue)
    assert (await notifications.lifecycle.receive(event)).recorded
    await notifications.worker.run_once()
    notices = secured.connector.sent[before:]
    assert_shown_not_linked(notices)
    assert not notices[0].reply_to, "a proactive notice, to the authenticated serviceUrl"


async def test_issue_titles_in_the_digest(secured: Teams, fake_github: FakeGitHub) -> None:
    issue = fake_github.add_issue(title=HOSTILE, body="## Description\nx", labels=["Experiment"])
    issue.created_at = issue.updated_at = datetime.now(UTC) - timedelta(days=42)
    await secured.say("digest daily 09:00 Europe/Berlin", channel=True)
    assert_shown_not_linked(await secured.say("digest now", channel=True))


async def test_a_tldr_and_title_echoed_after_an_outcome(
    secured: Teams, fake_github: FakeGitHub
) -> None:
    ask = fake_github.add_issue(title=HOSTILE, body="## Description\nx", labels=["Ask"])
    experiment = fake_github.add_issue(
        title=HOSTILE, body=f"***Ask Reference:*** #{ask.number}\n", labels=["Experiment"]
    )
    sent = await secured.say(f"experiment {experiment.number} succeeded {PHISH}")
    assert_shown_not_linked(sent)
