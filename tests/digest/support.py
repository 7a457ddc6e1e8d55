"""Digest test helpers: issues aged in days, a fake tracker (clock and outbox: tests/support)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.ports import TrackerError
from bot.types import Issue, LabelSpec
from tests.support.doubles import NOW


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def issue(
    number: int,
    *labels: str,
    created: float = 0,
    updated: float | None = None,
    closed: float | None = None,
    body: str = "",
    title: str = "",
    author: str = "alice",
    assignees: tuple[str, ...] = (),
    now: datetime = NOW,
) -> Issue:
    """An issue whose times are given in days before `now`."""
    return Issue(
        number=number,
        title=title or f"Issue {number}",
        body=body,
        url=f"https://github.com/octo/dslp/issues/{number}",
        state="closed" if closed is not None else "open",
        labels=frozenset(labels),
        author=author,
        assignees=assignees,
        created_at=now - timedelta(days=created),
        updated_at=now - timedelta(days=created if updated is None else updated),
        closed_at=None if closed is None else now - timedelta(days=closed),
    )


@dataclass
class FakeTracker:
    """The Tracker port over a list; `failures` makes the next listings raise."""

    issues: list[Issue] = field(default_factory=list)
    failures: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list)
    repository: str = "octo/dslp"

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open", since: datetime | None = None
    ) -> Sequence[Issue]:
        self.calls.append({"state": state, "since": since})
        if self.failures > 0:
            self.failures -= 1
            raise TrackerError("GitHub is not answering right now.")
        return [
            i
            for i in self.issues
            if i.state == state and (since is None or (i.updated_at or since) >= since)
        ]

    async def ensure_labels(self, *, labels: Sequence[LabelSpec]) -> Sequence[str]:
        return []


async def no_sleep(_: float) -> None:
    return None
