"""The APScheduler wrapper: jobs follow the table, commands take effect at once, start and stop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from adapters.app import Mount
from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.scheduler import DigestScheduler, scheduler_mount
from bot.digest.model import Days, Schedule, Subscription
from bot.digest.service import DigestBuilder, DigestRunner
from bot.types import Person, Place
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore
from tests.digest.support import FakeTracker, issue
from tests.support.apps import app_settings
from tests.support.doubles import FakeClock, RecordingOutbox

CHANNEL = Place("slack", "C1", "T1")
OTHER = Place("teams", "19:x@thread", "tenant")
BERLIN_9 = Schedule(9, 0, "Europe/Berlin", Days.WEEKDAYS)
MONDAY_EARLY = datetime(2024, 4, 1, 5, 0, tzinfo=UTC)


def make(database: Database, clock: FakeClock, outbox: RecordingOutbox) -> DigestScheduler:
    tracker = FakeTracker([issue(3, "on hold", created=40, now=MONDAY_EARLY)])
    builder = DigestBuilder(tracker=tracker, snoozes=SqlSnoozeStore(database))
    runner = DigestRunner(builder=builder, runs=SqlRunStore(database), outbox=outbox, clock=clock)
    return DigestScheduler(subscriptions=SqlSubscriptionStore(database), runner=runner)


async def test_jobs_follow_the_table_and_a_change_here_applies_at_once(database: Database) -> None:
    clock, outbox = FakeClock(MONDAY_EARLY), RecordingOutbox()
    scheduler, store = make(database, clock, outbox), SqlSubscriptionStore(database)
    await store.save(subscription=Subscription(CHANNEL, BERLIN_9, schedule_since=MONDAY_EARLY))
    await scheduler.resync()
    assert scheduler.jobs == {"slack:T1:C1": BERLIN_9}
    assert scheduler.next_fire("slack:T1:C1", MONDAY_EARLY) == datetime(2024, 4, 1, 7, tzinfo=UTC)
    later = Schedule(10, 30, "UTC", Days.EVERYDAY)
    saved = await store.save(subscription=Subscription(CHANNEL, later))
    await scheduler.changed(saved.key)
    assert scheduler.jobs == {"slack:T1:C1": later}
    await store.delete(key=saved.key)
    await scheduler.changed(saved.key)
    assert scheduler.jobs == {}


async def test_a_resync_picks_up_another_replica_and_catches_up(database: Database) -> None:
    clock, outbox = FakeClock(MONDAY_EARLY), RecordingOutbox()
    here = make(database, clock, outbox)
    since = datetime(2024, 3, 1, tzinfo=UTC)
    await SqlSubscriptionStore(database).save(
        subscription=Subscription(OTHER, BERLIN_9, schedule_since=since)
    )  # written by another replica
    clock.set(datetime(2024, 4, 1, 7, 30, tzinfo=UTC))
    await here.resync()
    assert here.jobs == {"teams:tenant:19:x@thread": BERLIN_9}
    assert [place for place, _ in outbox.sent] == [OTHER]
    assert await here.wake("teams:tenant:19:x@thread") == "idle"
    assert await here.wake("slack:T1:gone") == "gone"


async def test_started_and_stopped_by_its_mount(tmp_path: Path) -> None:
    app = build(app_settings(tmp_path, dslp_timezone="Europe/Berlin"))
    try:
        assert ("scheduler", scheduler_mount) in MOUNTS
        mount = scheduler_mount(app)
        assert isinstance(mount, Mount)
        for hook in mount.on_startup:
            await hook()
        person = Person("slack", "U1", "T1")
        await app.commands.run(person=person, place=CHANNEL, text="digest daily 09:00")
        await asyncio.sleep(0)
        [listener] = app.digest.commands.listeners
        scheduler = listener.__self__  # type: ignore[attr-defined]
        assert scheduler.jobs == {"slack:T1:C1": Schedule(9, 0, "Europe/Berlin", Days.WEEKDAYS)}
        for hook in mount.on_cleanup:
            await hook()
    finally:
        app.database.dispose()
