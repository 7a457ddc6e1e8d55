"""The `digest` command through the Commands registry, as adapters call it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.commands import Commands
from bot.conversation.engine import Conversations
from bot.digest.commands import DigestCommands
from bot.digest.model import Days, Reason, Schedule
from bot.digest.service import DigestBuilder, DigestRunner
from bot.types import Person, Place, Reply, Say, ShowList
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore
from storage.drafts import SqlDraftStore
from tests.digest.support import FakeTracker, issue
from tests.support.doubles import FakeClock, RecordingOutbox

PERSON = Person("slack", "U1", "T1")
CHANNEL = Place("slack", "C1", "T1", thread_id="1700000000.1")
NOW = datetime(2024, 5, 15, 7, 0, tzinfo=UTC)


async def _nothing(_: object) -> None:
    return None


class Chat:
    def __init__(self, database: Database) -> None:
        self.clock = FakeClock(NOW)
        self.tracker = FakeTracker(
            [
                issue(12, "Experiment", created=20, updated=9, now=NOW, assignees=("bob",)),
                issue(13, "on hold", created=40, now=NOW),
            ]
        )
        self.subscriptions = SqlSubscriptionStore(database)
        snoozes = SqlSnoozeStore(database)
        self.builder = DigestBuilder(tracker=self.tracker, snoozes=snoozes)
        self.commands = Commands(
            Conversations(drafts=SqlDraftStore(database), flows={}, on_submitted=_nothing)
        )
        self.digest = DigestCommands(
            commands=self.commands,
            subscriptions=self.subscriptions,
            snoozes=snoozes,
            builder=self.builder,
            clock=self.clock,
            default_zone="Europe/Berlin",
        )
        self.digest.register()
        self.changes: list[str] = []
        self.digest.listeners.append(self._changed)
        self.outbox = RecordingOutbox()
        self.runner = DigestRunner(
            builder=self.builder, runs=SqlRunStore(database), queue=self.outbox, clock=self.clock
        )

    async def _changed(self, key: str) -> None:
        self.changes.append(key)

    async def say(self, text: str, **context: str) -> list[Reply]:
        return await self.commands.run(person=PERSON, place=CHANNEL, text=text, context=context)

    async def text(self, text: str, **context: str) -> str:
        [reply] = await self.say(text, **context)
        assert isinstance(reply, Say)
        return reply.text


@pytest.fixture
def chat(database: Database) -> Chat:
    return Chat(database)


async def test_subscribe_in_the_channel_zone_and_see_the_settings(chat: Chat) -> None:
    answer = await chat.text("digest daily 09:00")
    assert answer == (
        "I'll post the digest here every weekday at 09:00 (Europe/Berlin). "
        "Next: Thu 16 May 2024 09:00."
    )
    [subscription] = await chat.subscriptions.all()
    assert subscription.schedule == Schedule(9, 0, "Europe/Berlin", Days.WEEKDAYS)
    assert subscription.place == Place("slack", "C1", "T1")  # the channel, not the thread
    assert chat.changes == ["slack:T1:C1"]
    settings = await chat.text("digest settings")
    assert settings.startswith("Digest here: every weekday at 09:00 (Europe/Berlin)")
    assert "- `inactive`: 7 days" in settings


async def test_the_platform_zone_wins_over_the_default(chat: Chat) -> None:
    answer = await chat.text("digest daily 08:30 everyday", timezone="America/New_York")
    assert "every day at 08:30 (America/New_York)" in answer


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("digest daily 25:00", "“25:00” is not a time"),
        ("digest daily 9am", "“9am” is not a time"),
        ("digest daily 09:00 Europe/Atlantis", "I don't know the timezone “Europe/Atlantis”"),
        ("digest daily 09:00 fortnightly", "I don't understand “fortnightly”"),
        ("digest weekly", "I don't know `digest weekly`"),
        ("digest threshold sleepy 3", "There is no rule “sleepy”"),
        ("digest threshold inactive soon", "“soon” is not a number of days"),
        ("digest snooze twelve", "Write `digest snooze #12`"),
        ("digest empty maybe", "Write `digest empty post`"),
    ],
)
async def test_bad_input_gets_a_clear_message(chat: Chat, text: str, needle: str) -> None:
    assert needle in await chat.text(text)
    assert await chat.subscriptions.all() == []


async def test_thresholds_and_the_empty_setting_are_per_channel(chat: Chat) -> None:
    assert "no digest" in await chat.text("digest threshold inactive 10")
    await chat.text("digest daily 09:00")
    assert (
        await chat.text("digest threshold inactive 10")
        == "`inactive` now lists items after 10 days."
    )
    await chat.text("digest empty skip")
    [subscription] = await chat.subscriptions.all()
    assert subscription.thresholds.of(Reason.INACTIVE) == 10
    assert subscription.thresholds.days == {Reason.INACTIVE: 10}
    assert not subscription.post_empty


async def test_digest_now_shows_what_the_schedule_posts(chat: Chat) -> None:
    await chat.text("digest daily 09:00")
    [shown] = await chat.say("digest now")
    assert isinstance(shown, ShowList)
    chat.clock.set(datetime(2024, 5, 16, 7, 0, tzinfo=UTC))
    [subscription] = await chat.subscriptions.all()
    assert await chat.runner.check(subscription) == "sent"
    [shown_now] = await chat.say("digest now")
    assert chat.outbox.sent == [(Place("slack", "C1", "T1"), [shown_now])]


async def test_snooze_hides_an_item_until_it_changes(chat: Chat) -> None:
    assert await chat.text("digest snooze #12") == (
        "octo/dslp#12 is left out of this channel's digest until Wed 22 May 2024 09:00, "
        "unless it changes."
    )
    [shown] = await chat.say("digest now")
    assert isinstance(shown, ShowList)
    assert [i.text.split("\n")[0] for i in shown.items if i.choices] == ["**#13 Issue 13**"]
    chat.tracker.issues[0] = issue(12, "Experiment", created=20, updated=-0.01, now=NOW)
    chat.clock.set(NOW.replace(hour=8))
    [shown] = await chat.say("digest now")
    assert isinstance(shown, ShowList)
    assert len([i for i in shown.items if i.choices]) == 2


async def test_off_stops_the_digest(chat: Chat) -> None:
    assert (
        await chat.text("digest off")
        == "This channel has no digest. Start one with `digest daily 09:00`."
    )
    await chat.text("digest daily 09:00")
    assert await chat.text("digest off") == "The digest is off for this channel."
    assert await chat.subscriptions.all() == []
    assert chat.changes == ["slack:T1:C1", "slack:T1:C1"]


async def test_digest_now_says_when_github_fails(chat: Chat) -> None:
    chat.tracker.failures = 1
    answer = await chat.text("digest now")
    assert answer.startswith("I could not build today's digest: GitHub is not answering")


async def test_help_lists_the_digest_words(chat: Chat) -> None:
    assert "`digest daily 09:00 Europe/Berlin weekdays`" in await chat.text("digest")
    assert "digest daily HH:MM" in await chat.text("help")
