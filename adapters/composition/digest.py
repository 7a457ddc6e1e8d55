"""Wiring of the daily digest: stores, builder, runner and the `digest` command.

Kept out of composition.py so the composition root gains only a couple of
lines; the scheduler Mount (adapters/scheduler.py) picks these parts up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.commands import Commands
from bot.config import Settings
from bot.digest.commands import DigestCommands
from bot.digest.model import Clock, MentionLookup
from bot.digest.service import DigestBuilder, DigestRunner, RunPolicy
from bot.ports import Outbox, Tracker
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DigestParts:
    subscriptions: SqlSubscriptionStore
    snoozes: SqlSnoozeStore
    runs: SqlRunStore
    builder: DigestBuilder
    runner: DigestRunner
    commands: DigestCommands
    resync_seconds: float


def build_digest(
    settings: Settings,
    *,
    database: Database,
    tracker: Tracker,
    commands: Commands,
    outbox: Outbox,
    clock: Clock = utc_now,
    lookup: MentionLookup | None = None,
) -> DigestParts:
    """`lookup` (GitHub login -> member key) is wired once GitHub-login links exist."""
    subscriptions, snoozes, runs = (
        SqlSubscriptionStore(database),
        SqlSnoozeStore(database),
        SqlRunStore(database),
    )
    builder = DigestBuilder(
        tracker=tracker,
        snoozes=snoozes,
        lookup=lookup,
        lookback_days=settings.dslp_digest_lookback_days,
    )
    policy = RunPolicy(grace=timedelta(minutes=settings.dslp_digest_grace_minutes))
    runner = DigestRunner(builder=builder, runs=runs, outbox=outbox, clock=clock, policy=policy)
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
        subscriptions,
        snoozes,
        runs,
        builder,
        runner,
        digest_commands,
        settings.dslp_digest_resync_seconds,
    )
