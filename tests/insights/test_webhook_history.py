"""Webhooks keep the history current, with GitHub's timestamps; a backfill of the same
events afterwards adds nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.github.poller import IssuePoller
from adapters.github.tracker import GitHubTracker
from bot.dslp import IssueType
from bot.insights.model import HistoryIssue, Kind
from storage.events import SqlPollCursors
from tests.fakes.github_api import FakeGitHub
from tests.lifecycle.conftest import Bot, start_bot, stop_bot
from tests.support.webhooks import issue_payload

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LABELED = datetime(2026, 3, 9, 10, 30, tzinfo=UTC)
CLOSED = datetime(2026, 3, 9, 11, 0, tzinfo=UTC)
REF = "***Ask Reference:*** #1"


@pytest.fixture
async def bot(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[Bot]:
    running = await start_bot(tmp_path, fake_github)
    yield running
    await stop_bot(running)


def stamped(
    action: str,
    *,
    updated: datetime,
    closed: datetime | None = None,
    labels: tuple[str, ...] = (),
    label: str = "",
) -> dict[str, Any]:
    """An `issues` delivery for Experiment #5 with GitHub's timestamps set."""
    payload = issue_payload(action, number=5, title="GBM", body=REF, labels=labels, label=label)
    payload["issue"].update(
        created_at=f"{OPENED:%Y-%m-%dT%H:%M:%SZ}",
        updated_at=f"{updated:%Y-%m-%dT%H:%M:%SZ}",
        closed_at=f"{closed:%Y-%m-%dT%H:%M:%SZ}" if closed else None,
        state_reason="completed" if closed else None,
    )
    return payload


async def test_issue_webhooks_are_kept_with_githubs_times(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    labels = ("Experiment", "succeeded")
    await bot.post("issues", stamped("opened", updated=OPENED, labels=labels[:1]))
    await bot.post("issues", stamped("labeled", updated=LABELED, labels=labels, label="succeeded"))
    await bot.post("issues", stamped("closed", updated=CLOSED, closed=CLOSED, labels=labels))
    history = await bot.app.insights.store.history(repository="octo/dslp")
    assert history.issues[5] == HistoryIssue(5, "GBM", OPENED, IssueType.EXPERIMENT, ask=1)
    seen = [(e.kind, e.label, e.at, e.reason) for e in history.events]
    assert seen == [
        (Kind.LABELED, "succeeded", LABELED, ""),
        (Kind.CLOSED, "", CLOSED, "completed"),
    ]

    for _ in range(5):  # numbers 1..5: the events API's issue is #5
        fake_github.add_issue(title="GBM", body=REF, labels=list(labels)).created_at = OPENED
    fake_github.add_issue_event(5, "labeled", label="succeeded", at=LABELED)
    fake_github.add_issue_event(5, "closed", at=CLOSED, reason="completed")
    done = await bot.app.insights.backfill.run("octo/dslp")
    assert done.added == 0, "the same events, heard first by the webhook"


async def test_the_poller_keeps_events_with_their_own_time(
    bot: Bot, fake_github: FakeGitHub
) -> None:
    assert isinstance(bot.app.tracker, GitHubTracker)
    poller = IssuePoller(
        source=bot.app.tracker,
        inbox=bot.notifications.inbox,
        cursors=SqlPollCursors(bot.app.database),
        worker=bot.notifications.ingest,
    )
    for _ in range(5):
        fake_github.add_issue(title="GBM", body=REF, labels=["Experiment"]).created_at = OPENED
    await poller.run_once()  # the first round only notes where things stand
    fake_github.add_issue_event(5, "labeled", label="succeeded", at=LABELED)
    await poller.run_once()
    await bot.settle()
    history = await bot.app.insights.store.history(repository="octo/dslp")
    assert [(e.kind, e.label, e.at) for e in history.events] == [
        (Kind.LABELED, "succeeded", LABELED)
    ]
    assert (await bot.app.insights.backfill.run("octo/dslp")).added == 0
