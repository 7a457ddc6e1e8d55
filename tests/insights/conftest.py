"""Insights tests: the real app against the fake GitHub holding the hand-computed history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.insights.history import EVENTS, ISSUES
from tests.support.apps import app_settings

__all__ = ["app", "fake_github", "load_history"]


def load_history(fake: FakeGitHub) -> None:
    """The issues of history.py (numbers kept: #10 is an issue outside the DSLP) and their
    events, in the shape GitHub's issue-events API serves them."""
    by_number = {issue.number: issue for issue in ISSUES}
    for number in range(1, max(by_number) + 1):
        issue = by_number.get(number)
        if issue is None:
            fake.add_issue(title="Office plants")
            continue
        refs = [f"***Ask Reference:*** #{issue.ask}"] if issue.ask else []
        refs += [f"***Based on Experiment:*** #{issue.experiment}"] if issue.experiment else []
        labels = [issue.kind.value] if issue.kind else []
        added = fake.add_issue(title=issue.title, body="\n".join(refs), labels=labels)
        added.created_at = issue.created_at
    for event in EVENTS:
        fake.add_issue_event(
            event.number,
            event.kind.value,
            label=event.label,
            at=event.at,
            reason=event.reason or None,
        )


@pytest.fixture
async def app(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[App]:
    built = build(app_settings(tmp_path, fake_github.api_url))
    yield built
    await built.insights.service.drain()
    built.database.dispose()
