"""Digest build for a repository of 10,000 issues with 1,000 open Experiments: requests and time."""

from __future__ import annotations

import time
from pathlib import Path

from adapters.github import GitHubTracker, RetryPolicy
from bot.digest.model import Thresholds
from bot.digest.service import DigestBuilder
from bot.types import Place
from storage.database import Database
from storage.digest import SqlSnoozeStore
from tests.digest.test_github_cost import NOW, large_repository
from tests.fakes.github_api import FakeGitHub

NO_PAUSES = RetryPolicy(request_gap=0.0, write_gap=0.0)


async def bench_digest(tmp: Path) -> dict[str, float]:
    database = Database(f"sqlite:///{tmp / 'digest.sqlite3'}")
    database.migrate()
    with FakeGitHub() as fake:
        large_repository(fake)
        tracker = GitHubTracker(
            token=fake.token, repository=fake.repository, api_url=fake.api_url, policy=NO_PAUSES
        )
        builder = DigestBuilder(tracker=tracker, snoozes=SqlSnoozeStore(database))
        before = len(fake.requests)
        started = time.perf_counter()
        await builder.build(place=Place("slack", "C1", "T1"), thresholds=Thresholds(), now=NOW)
        seconds = time.perf_counter() - started
        requests = len(fake.requests) - before
        await tracker.aclose()
    database.dispose()
    return {"requests": requests, "seconds": seconds}
