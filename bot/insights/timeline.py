"""One issue's events replayed: when it was open, which labels it carried and when.

A label removed and added again counts from its last addition; an issue
closed and reopened is open in both stretches. Labels compare by their DSLP
spelling (`Succeeded` is `succeeded`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from bot.dslp import BLOCKED_NEED_ACCESS, DEPLOY, canonical_label
from bot.insights.model import COMPLETED, HistoryEvent, HistoryIssue, Kind, Outcome

Stretch = tuple[datetime, datetime | None]
"""[from, to): `to` is None while it lasts."""


@lru_cache(maxsize=4096)
def label_key(name: str) -> str:
    """Cached: a repository has a few dozen label names and a history 100,000 events."""
    return (canonical_label(name) or name.strip()).casefold()


OUTCOMES = {label_key(o.value): o for o in Outcome}
BLOCKED = label_key(BLOCKED_NEED_ACCESS)
DEPLOYED = label_key(DEPLOY)


@dataclass
class Timeline:
    issue: HistoryIssue
    open: list[Stretch] = field(default_factory=list)
    labels: dict[str, datetime] = field(default_factory=dict)
    blocked: list[Stretch] = field(default_factory=list)
    deployed_at: datetime | None = None

    @property
    def outcome(self) -> tuple[Outcome, datetime] | None:
        """The outcome label it carries now, from when it was (last) added; latest wins."""
        carried = [(at, OUTCOMES[key]) for key, at in self.labels.items() if key in OUTCOMES]
        if not carried:
            return None
        at, outcome = max(carried)
        return outcome, at

    @property
    def is_open(self) -> bool:
        return bool(self.open) and self.open[-1][1] is None


def _labeled(line: Timeline, event: HistoryEvent) -> None:
    key = label_key(event.label)
    if key in line.labels:
        return
    line.labels[key] = event.at
    if key == BLOCKED:
        line.blocked.append((event.at, None))
    if key == DEPLOYED:
        _deployed(line, event.at)


def _unlabeled(line: Timeline, event: HistoryEvent) -> None:
    key = label_key(event.label)
    if line.labels.pop(key, None) is not None and key == BLOCKED:
        line.blocked[-1] = (line.blocked[-1][0], event.at)


def _closed(line: Timeline, event: HistoryEvent) -> None:
    if line.is_open:
        line.open[-1] = (line.open[-1][0], event.at)
    if event.reason == COMPLETED:
        _deployed(line, event.at)


def _reopened(line: Timeline, event: HistoryEvent) -> None:
    if not line.is_open:
        line.open.append((event.at, None))


def _deployed(line: Timeline, at: datetime) -> None:
    if line.deployed_at is None:
        line.deployed_at = at


_HANDLERS = {
    Kind.LABELED: _labeled,
    Kind.UNLABELED: _unlabeled,
    Kind.CLOSED: _closed,
    Kind.REOPENED: _reopened,
}


def replay(
    issues: Iterable[HistoryIssue], events: Sequence[HistoryEvent], until: datetime
) -> dict[int, Timeline]:
    """Every issue's timeline from its events before `until` (`events` in time order)."""
    lines = {
        issue.number: Timeline(issue, [(issue.created_at, None)])
        for issue in issues
        if issue.created_at < until
    }
    for event in events[: bisect_left(events, until, key=_moment)]:
        line = lines.get(event.number)
        if line is not None:
            _HANDLERS[event.kind](line, event)
    return lines


def _moment(event: HistoryEvent) -> datetime:
    return event.at
