"""Wiring of the insights: the history store, GitHub's events listing, the `stats` command."""

from __future__ import annotations

from adapters.app import InsightsParts
from adapters.github.history import GitHubEventSource
from bot.commands import Commands
from bot.digest.model import Clock
from bot.insights.backfill import Backfill
from bot.insights.commands import InsightsCommands
from bot.insights.service import InsightsService
from bot.insights.visibility import ShownWhere
from bot.ports import PeopleStore
from bot.repositories.ports import Trackers
from storage.database import Database
from storage.insights import SqlHistory


def build_backfill(database: Database, trackers: Trackers) -> tuple[SqlHistory, Backfill]:
    store = SqlHistory(database)
    return store, Backfill(source=GitHubEventSource(trackers), store=store)


def build_insights(
    *,
    database: Database,
    trackers: Trackers,
    people: PeopleStore,
    commands: Commands,
    clock: Clock,
) -> InsightsParts:
    store, backfill = build_backfill(database, trackers)
    service = InsightsService(store=store, backfill=backfill, clock=clock)
    visibility = ShownWhere(trackers=trackers, people=people)
    InsightsCommands(commands=commands, service=service, visibility=visibility).register()
    return InsightsParts(store=store, backfill=backfill, service=service)
