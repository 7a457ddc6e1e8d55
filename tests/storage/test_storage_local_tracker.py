"""LocalTracker against the Tracker contract, on every database kind."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from bot.ports import TrackerError
from bot.types import Issue, LabelSpec
from storage.database import Database
from storage.local_tracker import LocalTracker

BODY = "## Problem\n\nChurn rose — warum? 📉\n\n<!-- dslp:draft-1 -->"


@pytest.fixture
def issues_dir(tmp_path: Path) -> Path:
    return tmp_path / "issues"


@pytest.fixture
def tracker(database: Database, issues_dir: Path) -> LocalTracker:
    return LocalTracker(database, issues_dir)


async def create(tracker: LocalTracker, marker: str = "dslp:draft-1") -> Issue:
    return await tracker.create_issue(
        title="Ask: why did churn rise?",
        body=BODY.replace("dslp:draft-1", marker),
        labels=["Ask", "needs triage"],
        marker=marker,
    )


def page_of(issue: Issue) -> str:
    return Path(unquote(urlparse(issue.url).path)).read_text(encoding="utf-8")


async def test_create_numbers_from_one_and_writes_a_page(
    tracker: LocalTracker, issues_dir: Path
) -> None:
    issue = await create(tracker)
    assert (issue.number, issue.state, issue.labels) == (
        1,
        "open",
        frozenset({"Ask", "needs triage"}),
    )
    assert issue.url == (issues_dir / "1.md").resolve().as_uri()
    assert issue.created_at is not None and issue.created_at.tzinfo is not None
    page = page_of(issue)
    assert page.startswith("# Ask: why did churn rise?\n\nLabels: Ask, needs triage\nState: open")
    assert "Churn rose — warum? 📉" in page
    assert await tracker.get_issue(number=1) == issue


async def test_numbers_increase_like_github(tracker: LocalTracker) -> None:
    numbers = [(await create(tracker, marker=f"dslp:m{n}")).number for n in range(3)]
    assert numbers == [1, 2, 3]


async def test_concurrent_creates_get_distinct_numbers(
    database: Database, issues_dir: Path
) -> None:
    replica = Database(database.url)
    trackers = [LocalTracker(database, issues_dir), LocalTracker(replica, issues_dir)]
    issues = await asyncio.gather(*(create(trackers[n % 2], marker=f"dslp:m{n}") for n in range(8)))
    replica.dispose()
    assert sorted(issue.number for issue in issues) == list(range(1, 9))
    assert sorted(path.name for path in issues_dir.iterdir()) == sorted(
        f"{n}.md" for n in range(1, 9)
    )


async def test_create_is_idempotent_on_the_marker(tracker: LocalTracker) -> None:
    first = await create(tracker)
    again = await create(tracker)
    assert again == first
    assert len(await tracker.list_issues(state="all")) == 1
    assert await tracker.find_by_marker(marker="dslp:draft-1") == first
    assert await tracker.find_by_marker(marker="dslp:draft-%") is None
    assert await tracker.find_by_marker(marker="DSLP:DRAFT-1") is None


async def test_edit_changes_body_and_state_and_rewrites_the_page(tracker: LocalTracker) -> None:
    await create(tracker)
    closed = await tracker.edit_issue(number=1, body="Answered in #2.", state="closed")
    assert (closed.body, closed.state) == ("Answered in #2.", "closed")
    assert closed.closed_at is not None
    assert "State: closed" in page_of(closed) and "Answered in #2." in page_of(closed)
    reopened = await tracker.edit_issue(number=1, state="open")
    assert (reopened.body, reopened.state, reopened.closed_at) == ("Answered in #2.", "open", None)


async def test_labels_are_added_once_and_removed_case_insensitively(tracker: LocalTracker) -> None:
    await create(tracker)
    added = await tracker.add_labels(number=1, labels=["ask", "Stalled"])
    assert added.labels == {"Ask", "needs triage", "Stalled"}
    assert "Labels: Ask, needs triage, Stalled" in page_of(added)
    removed = await tracker.remove_label(number=1, label="NEEDS TRIAGE")
    assert removed.labels == {"Ask", "Stalled"}
    assert (await tracker.remove_label(number=1, label="absent")).labels == {"Ask", "Stalled"}


async def test_list_filters_by_every_label_and_by_state(tracker: LocalTracker) -> None:
    await create(tracker, marker="dslp:a")
    await create(tracker, marker="dslp:b")
    await tracker.add_labels(number=2, labels=["Data"])
    await create(tracker, marker="dslp:c")
    await tracker.edit_issue(number=3, state="closed")

    async def numbers(labels: list[str], state: str) -> list[int]:
        return [issue.number for issue in await tracker.list_issues(labels=labels, state=state)]

    assert await numbers([], "open") == [2, 1]
    assert await numbers(["ask", "DATA"], "open") == [2]
    assert await numbers(["ask"], "closed") == [3]
    assert await numbers(["ask"], "all") == [3, 2, 1]
    assert await numbers(["missing"], "all") == []


async def test_comments_are_kept_and_shown_on_the_page(tracker: LocalTracker) -> None:
    issue = await create(tracker)
    await tracker.comment(number=1, body="First hand-off: data ready ✅")
    await tracker.comment(number=1, body="Second comment")
    page = page_of(issue)
    assert page.index("First hand-off: data ready ✅") < page.index("Second comment")
    updated = await tracker.get_issue(number=1)
    assert updated is not None and issue.updated_at is not None
    assert updated.updated_at is not None and updated.updated_at >= issue.updated_at


async def test_ensure_labels_reports_only_what_it_changed(tracker: LocalTracker) -> None:
    specs = [LabelSpec("Ask", "0e8a16", "A question"), LabelSpec("Data", "1d76db", "Data work")]
    assert await tracker.ensure_labels(labels=specs) == ["Ask", "Data"]
    assert await tracker.ensure_labels(labels=specs) == []
    recoloured = [LabelSpec("ask", "ff0000", "A question")]
    assert await tracker.ensure_labels(labels=recoloured) == ["ask"]


async def test_labels_used_on_issues_count_as_seen(tracker: LocalTracker) -> None:
    await create(tracker)
    assert await tracker.ensure_labels(labels=[LabelSpec("Ask", "ededed", "")]) == []


async def test_unknown_issue_and_state_are_refused(tracker: LocalTracker) -> None:
    assert await tracker.get_issue(number=99) is None
    with pytest.raises(TrackerError) as missing:
        await tracker.comment(number=99, body="hello")
    assert missing.value.retryable is False
    await create(tracker)
    with pytest.raises(TrackerError):
        await tracker.edit_issue(number=1, state="merged")
    with pytest.raises(TrackerError):
        await tracker.list_issues(state="merged")


async def test_identity(tracker: LocalTracker) -> None:
    assert tracker.repository == "local"
    assert await tracker.can_label() is True
