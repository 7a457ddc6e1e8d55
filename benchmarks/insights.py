"""Insights at scale: the measures and the chart for 10,000 issues and 100,000 events, and a
backfill of that history from the fake GitHub (its requests against GitHub's hourly budget)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.github import GitHubTracker, RetryPolicy
from adapters.github.history import GitHubEventSource, event_of
from bot.dslp import BLOCKED_NEED_ACCESS, DEPLOY, IssueType
from bot.insights.backfill import Backfill
from bot.insights.chart import draw
from bot.insights.measures import measure
from bot.insights.model import History, HistoryIssue, Kind, Window
from bot.repositories.service import FixedRegistry, RegistryTrackers
from storage.database import Database
from storage.insights import SqlHistory
from tests.fakes.github_api import FakeGitHub

NOW = datetime(2026, 12, 1, tzinfo=UTC)
START = NOW - timedelta(days=730)
NO_PAUSES = RetryPolicy(request_gap=0.0, write_gap=0.0)
MIX = (
    [IssueType.ASK] * 10
    + [IssueType.EXPERIMENT] * 50
    + [IssueType.DATA] * 20
    + [IssueType.EXPLORE] * 10
    + [IssueType.MODEL] * 10
)
GITHUB_HOURLY = 5000


def synthetic(issues: int, events: int, seed: int = 14) -> History:
    """Issues spread over two years, each with its type label, then outcomes, blocks,
    closes and reopens until `events` events exist."""
    rng = random.Random(seed)
    made = [_issue(rng, number) for number in range(1, issues + 1)]
    found = [event_of(i.number, Kind.LABELED, i.created_at, i.kind or "", "") for i in made]
    while len(found) < events:
        issue = rng.choice(made)
        at = issue.created_at + timedelta(hours=rng.uniform(1, 24 * 60))
        kind, label, reason = rng.choice(_CHANGES)
        found.append(event_of(issue.number, kind, at, label, reason))
    return History.of("octo/dslp", made, found[:events])


_CHANGES = (
    (Kind.LABELED, "succeeded", ""),
    (Kind.LABELED, "failed", ""),
    (Kind.LABELED, "on hold", ""),
    (Kind.UNLABELED, "on hold", ""),
    (Kind.LABELED, BLOCKED_NEED_ACCESS, ""),
    (Kind.UNLABELED, BLOCKED_NEED_ACCESS, ""),
    (Kind.LABELED, DEPLOY, ""),
    (Kind.CLOSED, "", "completed"),
    (Kind.REOPENED, "", ""),
)


def _issue(rng: random.Random, number: int) -> HistoryIssue:
    kind = rng.choice(MIX)
    created = START + timedelta(minutes=rng.uniform(0, 730 * 24 * 60))
    ask = rng.randint(1, number) if kind is not IssueType.ASK else None
    experiment = rng.randint(1, number) if kind is IssueType.MODEL else None
    return HistoryIssue(number, f"Issue {number}", created, kind, ask, experiment)


def bench_measures(issues: int, events: int) -> dict[str, float]:
    """CPU seconds (the process's own, so other load on a shared machine counts less) and wall
    seconds of the measures, then of the chart (matplotlib already imported: a server pays
    the import once)."""
    history = synthetic(issues, events)
    draw(measure(history, Window(NOW - timedelta(days=7), NOW, "7d")))  # the import, once
    cpu, wall = time.process_time(), time.perf_counter()
    insights = measure(history, Window(NOW - timedelta(days=90), NOW, "90d"))
    measured = time.process_time() - cpu, time.perf_counter() - wall
    image = draw(insights)
    drawn = time.process_time() - cpu - measured[0], time.perf_counter() - wall - measured[1]
    return {
        "measure_cpu": measured[0],
        "measure_wall": measured[1],
        "chart_cpu": drawn[0],
        "chart_wall": drawn[1],
        "bytes": len(image),
    }


async def bench_backfill(tmp: Path, issues: int, events: int) -> dict[str, float]:
    """The synthetic history served by the fake GitHub's events API, read into SQLite."""
    history = synthetic(issues, events)
    database = Database(f"sqlite:///{tmp / 'insights.sqlite3'}")
    database.migrate()
    with FakeGitHub() as fake:
        _serve(fake, history)
        tracker = GitHubTracker(
            token=fake.token, repository=fake.repository, api_url=fake.api_url, policy=NO_PAUSES
        )
        registry = FixedRegistry(fake.repository, ())
        trackers = RegistryTrackers(registry, lambda _name: tracker)
        store = SqlHistory(database)
        backfill = Backfill(source=GitHubEventSource(trackers), store=store)
        before = len(fake.requests)
        started = time.perf_counter()
        done = await backfill.run(fake.repository)
        seconds = time.perf_counter() - started
        requests = len(fake.requests) - before
        loaded = time.perf_counter()
        await store.history(repository=fake.repository)
        load_seconds = time.perf_counter() - loaded
        await tracker.aclose()
    database.dispose()
    return {
        "requests": requests,
        "seconds": seconds,
        "stored": done.added,
        "load_seconds": load_seconds,
    }


def _serve(fake: FakeGitHub, history: History) -> None:
    for issue in sorted(history.issues.values(), key=lambda i: i.number):
        body = f"***Ask Reference:*** #{issue.ask}" if issue.ask else ""
        labels = [issue.kind.value] if issue.kind else []
        fake.add_issue(title=issue.title, body=body, labels=labels).created_at = issue.created_at
    for event in history.events:
        fake.add_issue_event(
            event.number,
            event.kind.value,
            label=event.label,
            at=event.at,
            reason=event.reason or None,
        )
