"""GitHubTracker through real PyGithub against FakeGitHub.

Waits are asserted by counting requests and reading the waits a fake clock
recorded, never by wall time; the clock starts at the real time because
FakeGitHub's rate-limit resets are real epoch seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.github import GitHubTracker, RetryPolicy
from bot.config import Settings
from bot.ports import TrackerError
from bot.texts.tracker import NO_ACCESS, RATE_LIMITED, TOKEN_REFUSED, UNAVAILABLE
from bot.types import LabelSpec
from tests.fakes.github_api import FakeGitHub
from tests.support.doubles import FakeClock

FAST = RetryPolicy(
    attempts=3,
    backoff=0.01,
    max_backoff=0.05,
    max_wait=5.0,
    secondary_wait=0.05,
    timeout=2,
    request_gap=0.0,
    write_gap=0.0,
)
ISSUES = r"/repos/octo/dslp/issues"
ISSUE_1 = r"/repos/octo/dslp/issues/1"
MARKER = "<!-- dslp-draft: d-1 -->"
BODY = f"### Question\nWhy?\n\n{MARKER}"


def make_tracker(fake: FakeGitHub, *, token: str = "test-token", **policy: Any) -> GitHubTracker:
    return GitHubTracker(
        token=token,
        repository=fake.repository,
        api_url=fake.api_url,
        policy=replace(FAST, **policy),
    )


def timed_by(clock: FakeClock) -> dict[str, Any]:
    """The policy's clock and sleeps, all on the fake clock."""
    return {"clock": clock.timestamp, "sleep": clock.sleep_now, "pause": clock.sleep}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def tracker(fake_github: FakeGitHub, clock: FakeClock) -> Iterator[GitHubTracker]:
    made = make_tracker(fake_github, **timed_by(clock))
    yield made
    made.close()


async def create(tracker: GitHubTracker, labels: tuple[str, ...] = ("ask",)) -> int:
    issue = await tracker.create_issue(title="Churn?", body=BODY, labels=labels, marker=MARKER)
    return issue.number


# --- creating -------------------------------------------------------------


async def test_create_maps_the_issue_with_its_labels(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    issue = await tracker.create_issue(
        title="Churn?", body=BODY, labels=["ask", "dslp"], marker=MARKER
    )
    assert (issue.number, issue.title, issue.body, issue.state) == (1, "Churn?", BODY, "open")
    assert issue.labels == {"ask", "dslp"}
    assert issue.author == "dslp-bot"
    assert issue.url.endswith("/octo/dslp/issues/1")
    assert issue.created_at is not None and issue.created_at.tzinfo == UTC
    assert fake_github.issues()[0].labels == ["ask", "dslp"]


async def test_created_then_502_returns_the_one_issue(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("POST", ISSUES, 502, after_effect=True)
    number = await create(tracker)
    assert number == 1
    assert len(fake_github.issues()) == 1
    assert fake_github.count("POST", ISSUES) == 1
    assert fake_github.requests[-1].query["creator"] == "dslp-bot"


async def test_502_without_effect_is_sent_again(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("POST", ISSUES, 502)
    await create(tracker)
    assert len(fake_github.issues()) == 1
    assert fake_github.count("POST", ISSUES) == 2


async def test_create_that_timed_out_but_landed_is_found(fake_github: FakeGitHub) -> None:
    slow = make_tracker(fake_github, timeout=1, backoff=0.6, max_backoff=1.0)
    fake_github.delay_next("POST", ISSUES, 1.3)
    try:
        assert await create(slow) == 1
    finally:
        slow.close()
    assert len(fake_github.issues()) == 1
    assert fake_github.count("POST", ISSUES) == 1


async def test_create_gives_up_after_bounded_attempts(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("POST", ISSUES, 503, times=10)
    with pytest.raises(TrackerError) as caught:
        await create(tracker)
    assert (caught.value.message, caught.value.retryable) == (UNAVAILABLE, True)
    assert fake_github.count("POST", ISSUES) == FAST.attempts
    assert fake_github.issues() == []


async def test_marker_lookup_ignores_issues_by_others(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.add_issue(title="copy", body=BODY, user="someone-else")
    assert await tracker.find_by_marker(marker=MARKER) is None
    await create(tracker)
    found = await tracker.find_by_marker(marker=MARKER)
    assert found is not None and found.number == 2


# --- retries and rate limits ---------------------------------------------------


async def test_502_on_get_is_retried(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    fake_github.add_issue(title="t")
    fake_github.fail_next("GET", ISSUE_1, 502, times=2)
    issue = await tracker.get_issue(number=1)
    assert issue is not None and issue.title == "t"
    assert fake_github.count("GET", ISSUE_1) == 3


async def test_get_gives_up_with_a_retryable_error(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.fail_next("GET", ISSUE_1, 500, times=10)
    with pytest.raises(TrackerError) as caught:
        await tracker.get_issue(number=1)
    assert (caught.value.message, caught.value.retryable) == (UNAVAILABLE, True)
    assert fake_github.count("GET", ISSUE_1) == FAST.attempts


async def test_secondary_limit_waits_for_retry_after(
    tracker: GitHubTracker, fake_github: FakeGitHub, clock: FakeClock
) -> None:
    fake_github.add_issue(title="t")
    fake_github.rate_limit_next("GET", ISSUE_1, retry_after=1)
    assert await tracker.get_issue(number=1) is not None
    assert fake_github.count("GET", ISSUE_1) == 2
    assert clock.slept == [1.0]


async def test_secondary_limit_on_create_is_waited_not_duplicated(
    tracker: GitHubTracker, fake_github: FakeGitHub, clock: FakeClock
) -> None:
    fake_github.rate_limit_next("POST", ISSUES, retry_after=1, status=429)
    await create(tracker)
    assert clock.slept == [1.0]
    assert fake_github.count("POST", ISSUES) == 2
    assert fake_github.count("GET", ISSUES) == 0
    assert len(fake_github.issues()) == 1


@pytest.mark.parametrize("status", [403, 429])
async def test_primary_limit_waits_for_the_reset(
    tracker: GitHubTracker, fake_github: FakeGitHub, clock: FakeClock, status: int
) -> None:
    fake_github.add_issue(title="t")
    fake_github.rate_limit_next("GET", ISSUE_1, reset_in=1, status=status)
    assert await tracker.get_issue(number=1) is not None
    assert fake_github.count("GET", ISSUE_1) == 2
    [waited] = clock.slept
    assert 0 < waited <= 2, "until the reset, a second away"


async def test_a_wait_beyond_the_cap_fails_at_once(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.rate_limit_next("GET", ISSUE_1, retry_after=3600)
    with pytest.raises(TrackerError) as caught:
        await tracker.get_issue(number=1)
    assert (caught.value.message, caught.value.retryable) == (RATE_LIMITED, True)
    assert fake_github.count("GET", ISSUE_1) == 1


# --- refusals -----------------------------------------------------------------


async def test_bad_token_is_not_retryable(fake_github: FakeGitHub) -> None:
    wrong = make_tracker(fake_github, token="not-the-token")
    try:
        with pytest.raises(TrackerError) as caught:
            await wrong.get_issue(number=1)
    finally:
        wrong.close()
    assert (caught.value.message, caught.value.retryable) == (TOKEN_REFUSED, False)
    assert "not-the-token" not in str(caught.value)
    assert fake_github.count("GET", ISSUE_1) == 1


async def test_forbidden_is_no_access(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    body = {"message": "Resource not accessible by personal access token"}
    fake_github.fail_next("GET", ISSUES, 403, body=body)
    with pytest.raises(TrackerError) as caught:
        await tracker.list_issues()
    assert caught.value.message == NO_ACCESS.format(repository="octo/dslp")
    assert not caught.value.retryable
    assert fake_github.count("GET", ISSUES) == 1


async def test_missing_issue_is_none(tracker: GitHubTracker) -> None:
    assert await tracker.get_issue(number=42) is None


async def test_editing_a_missing_issue_names_it(tracker: GitHubTracker) -> None:
    with pytest.raises(TrackerError, match="#42") as caught:
        await tracker.edit_issue(number=42, state="closed")
    assert not caught.value.retryable


# --- labels ---------------------------------------------------------------------


async def test_labels_dropped_without_push(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    fake_github.set_permissions(push=False, triage=False)
    issue = await tracker.create_issue(title="t", body=BODY, labels=["ask"], marker=MARKER)
    assert issue.labels == frozenset()
    assert await tracker.can_label() is False
    assert await tracker.can_label() is False
    assert fake_github.count("GET", r"/repos/octo/dslp") == 1


async def test_triage_only_labels_are_added_after_create(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.set_permissions(push=False, triage=True)
    issue = await tracker.create_issue(title="t", body=BODY, labels=["ask"], marker=MARKER)
    assert issue.labels == {"ask"}
    assert await tracker.can_label() is True


async def test_ensure_labels_is_idempotent_and_recolours(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.state.add_label(fake_github.repo(), "DSLP:Ask", "000000", "old")
    specs = [
        LabelSpec("dslp:ask", "#1D76DB", "An Ask"),
        LabelSpec("dslp:data", "0e8a16", "Data work"),
    ]
    assert await tracker.ensure_labels(labels=specs) == ["dslp:ask", "dslp:data"]
    assert await tracker.ensure_labels(labels=specs) == []
    ask = fake_github.repo().label("dslp:ask")
    assert ask is not None and (ask.color, ask.description) == ("1d76db", "An Ask")
    assert len(fake_github.repo().labels) == 2


async def test_add_and_remove_labels(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    number = await create(tracker)
    added = await tracker.add_labels(number=number, labels=["stage:data"])
    assert added.labels == {"ask", "stage:data"}
    removed = await tracker.remove_label(number=number, label="ask")
    assert removed.labels == {"stage:data"}
    again = await tracker.remove_label(number=number, label="ask")
    assert again.labels == {"stage:data"}


# --- editing, comments, lists -------------------------------------------------


async def test_edit_body_and_state(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    number = await create(tracker)
    edited = await tracker.edit_issue(number=number, body="new body")
    assert (edited.body, edited.state) == ("new body", "open")
    closed = await tracker.edit_issue(number=number, state="closed")
    assert closed.state == "closed" and closed.closed_at is not None
    assert fake_github.requests[-1].body == {"state": "closed"}


async def test_comment(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    number = await create(tracker)
    await tracker.comment(number=number, body="Handed over to data.")
    assert [c.body for c in fake_github.issues()[0].comments] == ["Handed over to data."]


async def test_comment_is_not_resent_after_a_lost_answer(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    fake_github.add_issue(title="t")
    fake_github.fail_next("POST", ISSUE_1 + "/comments", 502, after_effect=True)
    with pytest.raises(TrackerError) as caught:
        await tracker.comment(number=1, body="once")
    assert caught.value.retryable
    assert len(fake_github.issues()[0].comments) == 1


async def test_list_by_label_and_state_reads_every_page(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    for n in range(150):
        fake_github.add_issue(title=f"ask {n}", labels=["ask"])
    fake_github.add_issue(title="other", labels=["chore"])
    fake_github.add_issue(title="a pull request", labels=["ask"], pull_request=True)
    fake_github.state.set_state(fake_github.repo().issues[1], "closed", None)
    open_asks = await tracker.list_issues(labels=["ask"])
    assert len(open_asks) == 149
    assert fake_github.count("GET", ISSUES) == 2
    closed = await tracker.list_issues(labels=["ask"], state="closed")
    assert [issue.number for issue in closed] == [1]


async def test_search_issues(tracker: GitHubTracker, fake_github: FakeGitHub) -> None:
    fake_github.add_issue(title="churn model", labels=["ask"])
    fake_github.add_issue(title="unrelated", labels=["chore"])
    found = await tracker.search_issues("repo:octo/dslp is:issue is:open label:ask")
    assert [issue.title for issue in found] == ["churn model"]


# --- deployment details ---------------------------------------------------------


async def test_enterprise_server_base_path(ghes_github: FakeGitHub) -> None:
    ghes = make_tracker(ghes_github)
    try:
        number = await create(ghes)
        assert await ghes.get_issue(number=number) is not None
    finally:
        ghes.close()
    assert ghes_github.api_url.endswith("/api/v3")
    assert ghes_github.count("POST", ISSUES) == 1


async def test_the_token_is_never_logged(
    fake_github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "ghp_supersecret123"
    fake_github.tokens.add(secret)
    chatty = make_tracker(fake_github, token=secret)
    fake_github.fail_next("POST", ISSUES, 502)
    with caplog.at_level(logging.DEBUG):
        try:
            await create(chatty)
        finally:
            chatty.close()
    assert secret not in caplog.text
    assert secret not in repr(chatty)


async def test_built_from_settings_with_their_retry_policy(fake_github: FakeGitHub) -> None:
    settings = Settings(
        github_token=SecretStr("test-token"),
        github_repository="octo/dslp",
        github_api_url=fake_github.api_url,
        dslp_github_retry_backoff=0.01,
        dslp_github_request_gap=0,
        dslp_github_write_gap=0,
    )
    built = GitHubTracker.from_settings(settings)
    fake_github.fail_next("GET", r"/repos/octo/dslp/issues/\d+", 502)
    try:
        issue = await built.create_issue(title="T", body="b m1", labels=["Ask"], marker="m1")
        fetched = await built.get_issue(number=issue.number)
    finally:
        await built.aclose()
    assert built.repository == "octo/dslp"
    assert fetched is not None and fetched.number == issue.number


async def test_whether_the_repository_is_private_is_asked_of_github_each_time(
    tracker: GitHubTracker, fake_github: FakeGitHub
) -> None:
    assert not await tracker.is_private()
    fake_github.repo().private = True
    assert await tracker.is_private()
