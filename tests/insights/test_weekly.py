"""`insights weekly monday 09:00`: a weekly post, once per week across restarts and replicas,
on the digest's schedules, claims and outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.app import App
from adapters.composition.insights import build_backfill
from bot.digest import schedule as s
from bot.digest.model import Days
from bot.digest.service import DigestRunner
from bot.insights import texts as t
from bot.insights.service import InsightsService
from bot.insights.weekly import INSIGHTS, WeeklyPost
from bot.repositories.showing import Showing
from bot.types import Person, Place, Say, ShowChart
from storage.digest import SqlRunStore, SqlSubscriptionStore
from tests.fakes.github_api import FakeGitHub
from tests.insights.conftest import load_history
from tests.support.doubles import FakeClock, RecordingOutbox
from tests.support.identities import grant

ANA = Person(platform="slack", user_id="UANA", team_id="T1", name="Ana")
CHANNEL = Place(platform="slack", channel_id="C1", team_id="T1")
MONDAY_9_BERLIN = datetime(2026, 1, 26, 8, 0, tzinfo=UTC)  # the Monday after the history


async def say(app: App, text: str, person: Person = ANA) -> Say:
    [reply] = await app.commands.run(person=person, place=CHANNEL, text=text)
    assert isinstance(reply, Say)
    return reply


def replica(app: App, clock: FakeClock, outbox: RecordingOutbox) -> DigestRunner:
    """One bot process's runner of the weekly post over the shared database."""
    store, backfill = build_backfill(app.database, app.trackers)
    service = InsightsService(store=store, backfill=backfill, clock=clock)
    visibility = Showing(trackers=app.trackers, subscribed=app.notifications.people)
    post = WeeklyPost(service=service, home=lambda _place: _octo(), visibility=visibility)
    return DigestRunner(builder=post, runs=SqlRunStore(app.database), queue=outbox, clock=clock)


async def _octo() -> str:
    return "octo/dslp"


async def test_the_weekly_post_goes_out_once_across_replicas_and_restarts(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    await app.insights.backfill.run("octo/dslp")
    await grant(app, fake_github, ANA.key, "ana-gh", "write")
    answer = await say(app, "insights weekly Monday 09:00 Europe/Berlin")
    assert answer.text.startswith("Insights here every Monday at 09:00 (Europe/Berlin)")
    [subscription] = await SqlSubscriptionStore(app.database).all()
    assert (subscription.kind, subscription.schedule.days) == (INSIGHTS, Days.MONDAY)
    subscription = subscription.changed(schedule_since=MONDAY_9_BERLIN - timedelta(days=3))

    clock, outbox = FakeClock(MONDAY_9_BERLIN + timedelta(minutes=1)), RecordingOutbox()
    first, second = replica(app, clock, outbox), replica(app, clock, outbox)
    assert [await first.check(subscription), await second.check(subscription)] == [
        "sent",
        "taken",
    ]
    restarted = replica(app, clock, outbox)
    assert await restarted.check(subscription) == "taken"
    [(place, [post])] = outbox.sent
    assert place == CHANNEL and isinstance(post, ShowChart)
    # Monday is day 21 of history.py: the week before (days 7-14) holds #3's success on day 8.
    assert post.text.startswith(
        "**This week:** 0 experiments concluded (the week before: 1); "
        "success rate n/a (the week before: 100 %)"
    )

    clock.now += timedelta(days=2)  # Wednesday: nothing due until next Monday
    assert await first.check(subscription) == "idle"
    upcoming = s.next_after(subscription.schedule, clock.now).at
    assert upcoming == MONDAY_9_BERLIN + timedelta(weeks=1)


async def test_insights_off_and_who_may_change_it(app: App, fake_github: FakeGitHub) -> None:
    ben = Person(platform="slack", user_id="UBEN", team_id="T1", name="Ben")
    await grant(app, fake_github, ben.key, "ben-gh", "read")
    refused = await say(app, "insights weekly monday 09:00", person=ben)
    assert refused.text.startswith("This needs write access to octo/dslp")
    await grant(app, fake_github, ANA.key, "ana-gh", "write")
    assert (await say(app, "insights off")).text == t.INSIGHTS_NOT_SUBSCRIBED
    assert (await say(app, "insights weekly 09:00")).text == t.INSIGHTS_NEED_DAY
    assert "25:00" in (await say(app, "insights weekly friday 25:00")).text
    await say(app, "insights weekly friday 16:30")
    await say(app, "digest daily 09:00")
    kinds = sorted(sub.kind for sub in await SqlSubscriptionStore(app.database).all())
    assert kinds == ["digest", INSIGHTS], "a channel's digest and its insights live side by side"
    assert (await say(app, "insights off")).text == t.INSIGHTS_UNSUBSCRIBED
    kinds = [sub.kind for sub in await SqlSubscriptionStore(app.database).all()]
    assert kinds == ["digest"]
