"""APScheduler 3 wakes each subscription's digest at its local time.

Jobs live in memory and are rebuilt from our own tables: at start-up, when
a `digest` command changes a subscription here, and by a periodic resync
that picks up changes made on another replica. APScheduler's job stores are
not used (SQLAlchemyJobStore pickles callables, and does not coordinate
replicas). A job only wakes the runner; whether a run is due, late beyond the
grace window, or already sent elsewhere is decided by the pure due
computation and the database claim, so a missed or doubled wake-up is
harmless and restarts catch up on the day's run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from adapters.app import App, Mount
from adapters.periodic import Periodic
from bot.digest import schedule as s
from bot.digest.model import WEEKLY, Days, Schedule, Subscription
from bot.digest.ports import SubscriptionStore
from bot.digest.service import DigestRunner
from bot.insights.weekly import INSIGHTS

log = logging.getLogger(__name__)
MISFIRE_SECONDS = 300
CRON_DAYS = {Days.WEEKDAYS: "mon-fri", **{day: day.value[:3] for day in WEEKLY}}


def trigger_for(schedule: Schedule) -> CronTrigger:
    days = CRON_DAYS.get(schedule.days, "*")
    return CronTrigger(
        hour=schedule.hour,
        minute=schedule.minute,
        day_of_week=days,
        timezone=s.zone(schedule.timezone) or UTC,
    )


class DigestScheduler:
    """One cron job per subscription, keyed by its channel."""

    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        runner: DigestRunner,
        resync_seconds: float = 60.0,
        runners: Mapping[str, DigestRunner] | None = None,
    ) -> None:
        """`runners` run the subscriptions of other kinds (the weekly insights post) on the
        same schedules and run claims; `runner` runs digests."""
        self._subscriptions = subscriptions
        self._runner = runner
        self._runners = dict(runners or {})
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._jobs: dict[str, Schedule] = {}
        self._resync = Periodic("digest resync", self.resync, resync_seconds)

    async def start(self) -> None:
        """Jobs first, then the resync loop, whose first round catches up missed runs."""
        self._scheduler.start()
        self._resync.start()

    async def stop(self) -> None:
        await self._resync.stop()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def resync(self) -> None:
        """Match the jobs to the table, then run what is due (missed wake-ups, restarts)."""
        subscriptions = await self._subscriptions.all()
        wanted = {sub.key: sub.schedule for sub in subscriptions}
        for key in set(self._jobs) - set(wanted):
            self._remove(key)
        for key, schedule in wanted.items():
            self._put(key, schedule)
        for subscription in subscriptions:
            await self._check(subscription)

    async def changed(self, key: str) -> None:
        """A `digest` command changed this channel: update its job now, not at the next resync."""
        subscription = await self._subscriptions.get(key=key)
        if subscription is None:
            self._remove(key)
        else:
            self._put(key, subscription.schedule)

    @property
    def jobs(self) -> dict[str, Schedule]:
        return dict(self._jobs)

    def next_fire(self, key: str, now: datetime) -> datetime | None:
        schedule = self._jobs.get(key)
        if schedule is None:
            return None
        fire: datetime | None = trigger_for(schedule).get_next_fire_time(None, now)
        return fire

    async def wake(self, key: str) -> str:
        """What a job runs: the runner decides whether anything is due."""
        subscription = await self._subscriptions.get(key=key)
        return "gone" if subscription is None else await self._check(subscription)

    async def _check(self, subscription: Subscription) -> str:
        try:
            runner = self._runners.get(subscription.kind, self._runner)
            return await runner.check(subscription)
        except Exception:
            log.exception(
                "digest check for %s failed; the next resync tries again", subscription.key
            )
            return "error"

    def _put(self, key: str, schedule: Schedule) -> None:
        if self._jobs.get(key) == schedule:
            return
        self._scheduler.add_job(
            self.wake,
            trigger_for(schedule),
            args=[key],
            id=_job_id(key),
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=MISFIRE_SECONDS,
        )
        self._jobs[key] = schedule
        log.info(
            "digest for %s: %s %s %s", key, schedule.time_text, schedule.timezone, schedule.days
        )

    def _remove(self, key: str) -> None:
        if self._jobs.pop(key, None) is not None and self._scheduler.get_job(_job_id(key)):
            self._scheduler.remove_job(_job_id(key))


def _job_id(key: str) -> str:
    return f"digest:{key}"


def scheduler_mount(app: App) -> Mount:
    """Always on: with no subscriptions it only runs a cheap resync now and then."""
    parts = app.digest
    scheduler = DigestScheduler(
        subscriptions=parts.subscriptions,
        runner=parts.runner,
        resync_seconds=parts.resync_seconds,
        runners={INSIGHTS: app.insights.runner},
    )
    parts.commands.listeners.append(scheduler.changed)
    app.insights.commands.listeners.append(scheduler.changed)
    return Mount(
        "scheduler", routes=(), on_startup=(scheduler.start,), on_cleanup=(scheduler.stop,)
    )
