"""The daily digest in a Teams channel: subscribe, `digest now`, and the scheduled post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.digest.model import Occurrence, place_key
from bot.types import Place
from tests.fakes.bot_connector import Sent
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import CHANNEL, TENANT, Teams

pytestmark = pytest.mark.slow

CHANNEL_KEY = place_key(Place("teams", CHANNEL, TENANT))


def stalled_experiment(fake: FakeGitHub) -> int:
    """An experiment opened six weeks ago that nobody touched since."""
    issue = fake.add_issue(title="GBM baseline", body="## Description\nx", labels=["Experiment"])
    long_ago = datetime.now(UTC) - timedelta(days=42)
    issue.created_at = issue.updated_at = long_ago
    return issue.number


def list_card(sent: list[Sent]) -> Sent:
    found = [s for s in sent if s.cards and "GBM baseline" in s.words]
    assert found, [s.words for s in sent]
    return found[0]


async def test_digest_daily_subscribes_the_channel_and_now_posts_a_list_card(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    number = stalled_experiment(fake_github)
    answer = await teams.say("digest daily 09:00 Europe/Berlin", channel=True)
    assert "09:00" in answer[0].words
    subscription = await teams.app.digest.subscriptions.get(key=CHANNEL_KEY)
    assert subscription is not None and subscription.place.channel_id == CHANNEL

    now = await teams.say("digest now", channel=True)
    card = list_card(now)
    assert card.conversation_id == CHANNEL
    assert f"#{number}" in card.words


async def test_the_scheduled_digest_reaches_the_channel_through_its_stored_reference(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    stalled_experiment(fake_github)
    await teams.say("digest daily 09:00 Europe/Berlin", channel=True)
    subscription = await teams.app.digest.subscriptions.get(key=CHANNEL_KEY)
    assert subscription is not None
    before = len(teams.connector.sent)
    today = datetime.now(UTC)
    status = await teams.app.digest.runner.run(subscription, Occurrence(today.date(), today))
    assert status == "sent"
    posted = list_card(teams.connector.sent[before:])
    assert posted.conversation_id == CHANNEL and not posted.reply_to, "proactive, not a reply"


async def test_an_undeliverable_digest_is_recorded_not_raised(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    stalled_experiment(fake_github)
    await teams.say("digest daily 09:00 Europe/Berlin", channel=True)
    subscription = await teams.app.digest.subscriptions.get(key=CHANNEL_KEY)
    assert subscription is not None
    teams.connector.fail_next(403, proactive_only=True)  # the bot was removed from the team
    today = datetime.now(UTC)
    status = await teams.app.digest.runner.run(subscription, Occurrence(today.date(), today))
    assert status == "sent"  # built and queued; the outbox records that it could not go out
    assert await teams.app.notifications.journal.counts() == {"failed": 1}
