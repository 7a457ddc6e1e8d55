"""GitHub cost: requests grow with pages of matching issues, never with the repository's size.

A repository of 10,000 issues with 1,000 open Experiments costs 12 requests
(11 pages of open issues, 1 page of recently closed ones), counted on the fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.github import GitHubTracker, RetryPolicy
from bot.digest.model import Days, Schedule, Subscription, Thresholds
from bot.digest.service import DigestBuilder, DigestRunner, RunPolicy
from bot.types import Place, Say, ShowList
from storage.database import Database
from storage.digest import SqlRunStore, SqlSnoozeStore, SqlSubscriptionStore
from tests.digest.support import no_sleep
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_state import FakeIssue
from tests.support.doubles import FakeClock, RecordingOutbox

NOW = datetime(2024, 5, 15, 7, 0, tzinfo=UTC)
ISSUES = r"/repos/octo/dslp/issues"
FAST = RetryPolicy(
    attempts=2, backoff=0.01, max_backoff=0.02, max_wait=1.0, secondary_wait=0.01,
    timeout=5, request_gap=0.0, write_gap=0.0,
)  # fmt: skip


def seed(fake: FakeGitHub, number: int, labels: list[str], *, age: int, closed: int | None = None,
         body: str = "") -> None:  # fmt: skip
    """Straight into the fake's state: 10,000 issues through the API would take minutes."""
    moment = NOW - timedelta(days=age)
    ended = None if closed is None else NOW - timedelta(days=closed)
    fake.repo().issues[number] = FakeIssue(
        number=number, title=f"Issue {number}", body=body, user="alice",
        created_at=moment, updated_at=ended or moment, labels=labels,
        state="open" if ended is None else "closed", closed_at=ended,
    )  # fmt: skip


def large_repository(fake: FakeGitHub) -> None:
    number = 0
    for _ in range(1_000):  # open, stale Experiments
        number += 1
        seed(fake, number, ["Experiment"], age=30, body="***Ask Reference:*** #9000")
    for kind in ("Ask", "Explore", "Data", "blocked - need access", "on hold") * 10:
        number += 1
        seed(fake, number, [kind], age=40)
    for _ in range(8_900):  # long closed
        number += 1
        seed(fake, number, ["Experiment", "failed"], age=400, closed=300)
    for index in range(50):  # recently closed: succeeded Experiments and their Models
        number += 1
        labels = ["Experiment", "succeeded"] if index % 2 == 0 else ["Model"]
        based_on = number - 1 if index < 49 else 1  # the last succeeded one has no Model
        body = "" if index % 2 == 0 else f"***Based on Experiment:*** #{based_on}"
        seed(fake, number, labels, age=60, closed=5 + index % 3, body=body)
    assert number == 10_000


@pytest.fixture
def tracker(fake_github: FakeGitHub) -> Iterator[GitHubTracker]:
    made = GitHubTracker(
        token=fake_github.token, repository=fake_github.repository,
        api_url=fake_github.api_url, policy=FAST,
    )  # fmt: skip
    yield made
    made.close()


@pytest.mark.slow
async def test_ten_thousand_issues_cost_twelve_requests(
    fake_github: FakeGitHub, tracker: GitHubTracker, database: Database
) -> None:
    large_repository(fake_github)
    builder = DigestBuilder(tracker=tracker, snoozes=SqlSnoozeStore(database))
    [digest] = await builder.build(
        place=Place("slack", "C1", "T1"), thresholds=Thresholds(), now=NOW
    )
    assert isinstance(digest, ShowList)
    assert digest.header.startswith("Stalled work in octo/dslp: 1041 items")
    assert "1 no Model issue" in digest.header
    assert len(fake_github.requests) == 12
    assert {(r.method, r.path) for r in fake_github.requests} == {
        ("GET", "/repos/octo/dslp/issues")
    }
    assert {r.query["per_page"] for r in fake_github.requests} == {"100"}


async def test_github_failing_retries_then_says_it_could_not_build(
    fake_github: FakeGitHub, tracker: GitHubTracker, database: Database
) -> None:
    fake_github.fail_next("GET", ISSUES, 502, times=100)
    subscriptions = SqlSubscriptionStore(database)
    saved = await subscriptions.save(
        subscription=Subscription(
            Place("teams", "19:x@thread", "tenant"),
            Schedule(9, 0, "UTC", Days.EVERYDAY),
            schedule_since=NOW - timedelta(days=30),
        )
    )
    outbox = RecordingOutbox()
    runner = DigestRunner(
        builder=DigestBuilder(tracker=tracker, snoozes=SqlSnoozeStore(database)),
        runs=SqlRunStore(database), queue=outbox, clock=FakeClock(NOW.replace(hour=9)),
        policy=RunPolicy(attempts=3), sleep=no_sleep,
    )  # fmt: skip
    assert await runner.check(saved) == "failed"
    [(_, [reply])] = outbox.sent
    assert isinstance(reply, Say)
    assert reply.text.startswith("I could not build today's digest:")
    assert fake_github.count("GET", ISSUES) == 3 * FAST.attempts
