"""The history the measures read: DSLP issues and their events, with GitHub's timestamps.

Frozen and free of storage types, so every measure is a pure function of a
`History` and a `Window`, and a hand-written history pins each number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from bot.dslp import IssueType


class Kind(StrEnum):
    """The issue events the measures read (GitHub's issue-event names)."""

    LABELED = "labeled"
    UNLABELED = "unlabeled"
    CLOSED = "closed"
    REOPENED = "reopened"


COMPLETED = "completed"
"""GitHub's `state_reason` of an issue closed as done (the other is `not_planned`)."""


@dataclass(frozen=True)
class HistoryIssue:
    """What the measures need of an issue: when it was opened and what it points at."""

    number: int
    title: str
    created_at: datetime
    kind: IssueType | None = None
    ask: int | None = None
    experiment: int | None = None


@dataclass(frozen=True)
class HistoryEvent:
    """One event; `key` is GitHub's event id (or the webhook delivery), unique per repository."""

    key: str
    number: int
    kind: Kind
    at: datetime
    label: str = ""
    reason: str = ""


@dataclass(frozen=True)
class History:
    repository: str
    issues: Mapping[int, HistoryIssue] = field(default_factory=lambda: MappingProxyType({}))
    events: tuple[HistoryEvent, ...] = ()

    @classmethod
    def of(
        cls, repository: str, issues: Sequence[HistoryIssue], events: Sequence[HistoryEvent]
    ) -> History:
        """Events in time order, each key once (a webhook and a backfill may both bring it)."""
        unique = {event.key: event for event in events}
        ordered = tuple(sorted(unique.values(), key=lambda e: (e.at, e.key)))
        return cls(repository, MappingProxyType({i.number: i for i in issues}), ordered)

    @property
    def earliest(self) -> datetime | None:
        """How far back the data goes: the first issue opened or event seen."""
        moments = [i.created_at for i in self.issues.values()] + [e.at for e in self.events[:1]]
        return min(moments) if moments else None


@dataclass(frozen=True)
class Window:
    """The period the numbers are about: [start, end)."""

    start: datetime
    end: datetime
    name: str = ""

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    @property
    def weeks(self) -> float:
        return max((self.end - self.start) / timedelta(weeks=1), 1 / 7)


@dataclass(frozen=True)
class Spread:
    """Durations' count, median and 85th percentile (None when there are none)."""

    count: int
    median: timedelta | None
    p85: timedelta | None


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ON_HOLD = "on hold"


class Handoff(StrEnum):
    ASK_TO_WORK = "ask-to-work"
    SUCCESS_TO_MODEL = "success-to-model"
    MODEL_TO_DEPLOY = "model-to-deploy"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Rate:
    succeeded: int
    failed: int
    on_hold: int

    @property
    def share(self) -> float | None:
        concluded = self.succeeded + self.failed
        return self.succeeded / concluded if concluded else None


@dataclass(frozen=True)
class Aging:
    """An open Experiment, or an issue blocked on access, with its age and how it compares."""

    number: int
    title: str
    what: Handoff | IssueType
    age: timedelta
    over: str
    """"p85" when older than the history's 85th percentile, "median" when older than its
    median, "" otherwise (or when the history has no such durations yet)."""


@dataclass(frozen=True)
class Insights:
    """Every measure for one repository and window (see the README's *Measures*)."""

    repository: str
    window: Window
    earliest: datetime | None
    concluded: int
    asks_iterating: int
    per_ask_week: float | None
    to_outcome: Spread
    rate: Rate
    rate_per_ask: Mapping[int, Rate]
    asks: int
    asks_with_model: int
    open_time: Mapping[IssueType, timedelta]
    handoffs: Mapping[Handoff, Spread]
    aging: tuple[Aging, ...]
    weekly: tuple[tuple[datetime, Mapping[Outcome, int]], ...]

    @property
    def model_share(self) -> float | None:
        return self.asks_with_model / self.asks if self.asks else None

    def time_share(self, kind: IssueType) -> float | None:
        total = sum(self.open_time.values(), timedelta())
        return self.open_time.get(kind, timedelta()) / total if total else None
