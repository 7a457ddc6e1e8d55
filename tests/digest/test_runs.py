"""Scheduled runs with a fake clock: local times across DST, restarts, replicas, failures."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from adapters.outbox import RoutingOutbox
from bot.digest.model import Days, Schedule, Subscription
from bot.digest.service import DigestBuilder, DigestRunner, RunPolicy
from bot.types import Place, Say, ShowList
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore
from tests.digest.support import FakeTracker, issue, utc
from tests.support.doubles import FakeClock, RecordingOutbox

CHANNEL = Place("slack", "C1", "T1")
TEAMS_CHANNEL = Place("teams", "19:abc@thread.tacv2", "tenant-1")
BERLIN_9 = Schedule(9, 0, "Europe/Berlin", Days.WEEKDAYS)
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Replica:
    """One bot process: its own runner (and memory) over a shared database."""

    database: Database
    clock: FakeClock
    tracker: FakeTracker
    outbox: RecordingOutbox = field(default_factory=RecordingOutbox)
    sleeps: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.subscriptions = SqlSubscriptionStore(self.database)
        self.runs = SqlRunStore(self.database)
        self.builder = DigestBuilder(tracker=self.tracker, snoozes=SqlSnoozeStore(self.database))
        self.runner = DigestRunner(
            builder=self.builder,
            runs=self.runs,
            outbox=self.outbox,
            clock=self.clock,
            policy=RunPolicy(attempts=3, backoff_seconds=10, lease_seconds=600),
            sleep=self._sleep,
        )

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def restart(self) -> Replica:
        return Replica(self.database, self.clock, self.tracker, self.outbox)

    async def check(self) -> str:
        return await self.runner.check(await self.only())

    async def only(self) -> Subscription:
        [subscription] = await self.subscriptions.all()
        return subscription


def stalled_tracker() -> FakeTracker:
    return FakeTracker([issue(7, "on hold", created=60, now=utc(2024, 3, 1))])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc(2024, 5, 15, 6))


@pytest.fixture
async def replica(database: Database, clock: FakeClock) -> Replica:
    made = Replica(database, clock, stalled_tracker())
    await made.subscriptions.save(
        subscription=Subscription(CHANNEL, BERLIN_9, schedule_since=LONG_AGO)
    )
    return made


@pytest.mark.parametrize(
    ("first", "days", "expected"),
    [
        (
            utc(2024, 3, 27),
            8,
            [
                "03-27 08:00",
                "03-28 08:00",
                "03-29 08:00",
                "04-01 07:00",
                "04-02 07:00",
                "04-03 07:00",
            ],
        ),
        (
            utc(2024, 10, 23),
            8,
            [
                "10-23 07:00",
                "10-24 07:00",
                "10-25 07:00",
                "10-28 08:00",
                "10-29 08:00",
                "10-30 08:00",
            ],
        ),
    ],
)
async def test_fires_at_nine_berlin_time_on_weekdays_across_dst(
    replica: Replica, clock: FakeClock, first: datetime, days: int, expected: list[str]
) -> None:
    sent_at: list[str] = []
    clock.set(first)
    while clock.now < first + timedelta(days=days):
        before = len(replica.outbox.sent)
        await replica.check()
        if len(replica.outbox.sent) > before:
            sent_at.append(clock.now.strftime("%m-%d %H:%M"))
        clock.advance(minutes=15)
    assert sent_at == expected


async def test_a_restart_after_sending_does_not_send_again(
    replica: Replica, clock: FakeClock
) -> None:
    clock.set(utc(2024, 5, 15, 7))
    assert await replica.check() == "sent"
    clock.advance(minutes=30)
    assert await replica.restart().check() == "taken"
    assert len(replica.outbox.sent) == 1


async def test_down_at_nine_sends_on_start_up_within_the_grace_window(
    replica: Replica, clock: FakeClock
) -> None:
    clock.set(utc(2024, 5, 15, 8, 59))  # 10:59 in Berlin, 1 h 59 late
    assert await replica.restart().check() == "sent"
    assert await replica.restart().check() == "taken"
    assert len(replica.outbox.sent) == 1


async def test_beyond_the_grace_window_the_day_is_skipped_with_one_log_line(
    replica: Replica, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.set(utc(2024, 5, 15, 9, 1))  # 2 h 1 min late
    with caplog.at_level(logging.WARNING):
        assert await replica.check() == "skipped"
        assert await replica.restart().check() == "known"
    assert replica.outbox.sent == []
    assert [r.message for r in caplog.records if "skipped" in r.message] == [
        "digest for slack:T1:C1 on 2024-05-15 skipped: the bot was down at "
        "2024-05-15T07:00:00+00:00, beyond the grace window"
    ]
    clock.set(utc(2024, 5, 16, 7))
    assert await replica.check() == "sent"


async def test_two_replicas_on_one_database_send_once(replica: Replica, clock: FakeClock) -> None:
    other_db = Database(replica.database.url)
    try:
        replicas = [replica, Replica(other_db, clock, replica.tracker, replica.outbox)]
        replicas += [r.restart() for r in replicas]
        clock.set(utc(2024, 5, 15, 7))
        outcomes = await asyncio.gather(*(r.check() for r in replicas))
    finally:
        other_db.dispose()
    assert sorted(outcomes) == ["sent", "taken", "taken", "taken"]
    assert len(replica.outbox.sent) == 1


async def test_a_claim_left_by_a_dead_replica_is_taken_over_after_its_lease(
    replica: Replica, clock: FakeClock
) -> None:
    clock.set(utc(2024, 5, 15, 7))
    sub = await replica.only()
    assert sub.id is not None
    await replica.runs.claim(
        subscription_id=sub.id, day=clock.now.date(), now=clock.now, lease_seconds=600
    )
    assert await replica.check() == "taken"
    clock.advance(minutes=11)
    assert await replica.check() == "sent"
    assert await replica.runs.status(subscription_id=sub.id, day=clock.now.date()) == "sent"


async def test_github_errors_retry_then_post_a_could_not_build_line(
    replica: Replica, clock: FakeClock
) -> None:
    clock.set(utc(2024, 5, 15, 7))
    replica.tracker.failures = 3
    assert await replica.check() == "failed"
    assert replica.sleeps == [10, 20]
    [(place, [reply])] = replica.outbox.sent
    assert place == CHANNEL
    assert isinstance(reply, Say)
    assert reply.text.startswith("I could not build today's digest: GitHub is not answering")
    sub = await replica.only()
    assert sub.id is not None
    assert await replica.runs.status(subscription_id=sub.id, day=clock.now.date()) == "failed"


async def test_a_failure_that_clears_within_the_retries_sends_the_digest(
    replica: Replica, clock: FakeClock
) -> None:
    clock.set(utc(2024, 5, 15, 7))
    replica.tracker.failures = 2
    assert await replica.check() == "sent"
    assert isinstance(replica.outbox.sent[0][1][0], ShowList)


async def test_an_empty_digest_says_so_or_nothing(replica: Replica, clock: FakeClock) -> None:
    replica.tracker.issues = []
    clock.set(utc(2024, 5, 15, 7))
    assert await replica.check() == "sent"
    assert replica.outbox.sent[0][1] == [Say("Nothing stalled in octo/dslp today.")]
    sub = await replica.only()
    await replica.subscriptions.save(subscription=sub.changed(post_empty=False))
    clock.set(utc(2024, 5, 16, 7))
    assert await replica.check() == "empty"
    assert len(replica.outbox.sent) == 1


async def test_slack_and_teams_channels_get_their_digest_through_the_app_outbox(
    database: Database, clock: FakeClock
) -> None:
    slack, teams = RecordingOutbox(), RecordingOutbox()
    outbox = RoutingOutbox()
    outbox.register("slack", slack)
    outbox.register("teams", teams)
    replica = Replica(database, clock, stalled_tracker())
    replica.runner.outbox = outbox
    for place in (CHANNEL, TEAMS_CHANNEL):
        await replica.subscriptions.save(
            subscription=Subscription(place, BERLIN_9, schedule_since=LONG_AGO)
        )
    clock.set(utc(2024, 5, 15, 7))
    outcomes = [await replica.runner.check(s) for s in await replica.subscriptions.all()]
    assert outcomes == ["sent", "sent"]
    assert [place for place, _ in slack.sent] == [CHANNEL]
    assert [place for place, _ in teams.sent] == [TEAMS_CHANNEL]
    assert slack.sent[0][1] == teams.sent[0][1]
    assert isinstance(teams.sent[0][1][0], ShowList)
