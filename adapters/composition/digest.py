"""Wiring of the daily digest: stores, builder, runner and the `digest` command.

The scheduler Mount (adapters/scheduler.py) picks these parts up from `App.digest`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.app import DigestParts
from bot.commands import Commands
from bot.config import Settings
from bot.digest.commands import DigestCommands
from bot.digest.model import Clock, MentionLookup
from bot.digest.ports import Sources
from bot.digest.service import DigestBuilder, DigestRunner, RunPolicy
from bot.filing import Queue
from bot.ports import Tracker
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_digest(
    settings: Settings,
    *,
    database: Database,
    tracker: Tracker,
    commands: Commands,
    queue: Queue,
    sources: Sources | None = None,
    clock: Clock = utc_now,
    lookup: MentionLookup | None = None,
) -> DigestParts:
    """`queue` is the durable outbox (DurableReplies); `sources` the repositories each place
    follows (bot.digest.follows); `lookup` (GitHub login -> member key) is wired once
    GitHub-login links exist."""
    subscriptions, snoozes, runs = (
        SqlSubscriptionStore(database),
        SqlSnoozeStore(database),
        SqlRunStore(database),
    )
    builder = DigestBuilder(
        tracker=tracker,
        snoozes=snoozes,
        sources=sources,
        lookup=lookup,
        lookback_days=settings.dslp_digest_lookback_days,
    )
    policy = RunPolicy(grace=timedelta(minutes=settings.dslp_digest_grace_minutes))
    runner = DigestRunner(builder=builder, runs=runs, queue=queue, clock=clock, policy=policy)
    digest_commands = DigestCommands(
        commands=commands,
        subscriptions=subscriptions,
        snoozes=snoozes,
        builder=builder,
        clock=clock,
        default_zone=settings.dslp_timezone,
    )
    digest_commands.register()
    return DigestParts(
        subscriptions=subscriptions,
        snoozes=snoozes,
        runs=runs,
        builder=builder,
        runner=runner,
        commands=digest_commands,
        resync_seconds=settings.dslp_digest_resync_seconds,
    )
