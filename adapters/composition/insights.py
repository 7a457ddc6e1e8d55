"""Wiring of the insights: the history store, GitHub's events listing, the `stats` command."""

from __future__ import annotations

from datetime import timedelta

from adapters.app import InsightsParts
from adapters.github.history import GitHubEventSource
from bot.commands import Commands
from bot.config import Settings
from bot.digest.model import Clock
from bot.digest.service import DigestRunner, RunPolicy
from bot.filing import Queue
from bot.insights.backfill import Backfill
from bot.insights.commands import InsightsCommands
from bot.insights.service import InsightsService
from bot.insights.weekly import Home, WeeklyPost
from bot.repositories.ports import Trackers
from bot.repositories.showing import Showing
from storage.database import Database
from storage.digest import SqlRunStore, SqlSubscriptionStore
from storage.insights import SqlHistory


def build_backfill(database: Database, trackers: Trackers) -> tuple[SqlHistory, Backfill]:
    store = SqlHistory(database)
    return store, Backfill(source=GitHubEventSource(trackers), store=store)


def build_insights(
    settings: Settings,
    *,
    database: Database,
    trackers: Trackers,
    showing: Showing,
    commands: Commands,
    queue: Queue,
    home: Home,
    clock: Clock,
) -> InsightsParts:
    """`stats`, and the weekly post on the digest's schedules, run claims and outbox."""
    store, backfill = build_backfill(database, trackers)
    service = InsightsService(store=store, backfill=backfill, clock=clock)
    visibility = showing
    insights_commands = InsightsCommands(
        commands=commands,
        service=service,
        visibility=visibility,
        subscriptions=SqlSubscriptionStore(database),
        clock=clock,
        default_zone=settings.dslp_timezone,
    )
    insights_commands.register()
    runner = DigestRunner(
        builder=WeeklyPost(service=service, home=home, visibility=visibility),
        runs=SqlRunStore(database),
        queue=queue,
        clock=clock,
        policy=RunPolicy(grace=timedelta(minutes=settings.dslp_digest_grace_minutes)),
    )
    return InsightsParts(
        store=store, backfill=backfill, service=service, runner=runner, commands=insights_commands
    )
