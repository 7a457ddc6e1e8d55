"""The stall rules: which issues a digest lists, and why.

Each rule is a pure function of one issue, the other issues it may depend on
(Model issues, linked work), the thresholds and the moment `now`. It returns
a `Finding` (the reason and how long the clock has run) or None. An item is
stalled when its clock has run for the threshold's number of days or more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from bot.digest.model import Reason, Thresholds
from bot.dslp import BLOCKED_NEED_ACCESS, FAILED, ON_HOLD, SUCCEEDED, IssueType, canonical_label
from bot.playbook.hold import hold_of
from bot.render.link_lists import parse_link_line
from bot.render.references import ask_reference, experiment_reference, tldr_of
from bot.types import Issue


@dataclass(frozen=True)
class Finding:
    reason: Reason
    elapsed: timedelta
    threshold_days: int
    held_until: date | None = None
    """An experiment back from `on-hold until` that day: listed with a note, at once."""

    @property
    def urgency(self) -> float:
        """How many thresholds have passed, so a 2-day rule and a 30-day rule compare fairly."""
        return self.elapsed / timedelta(days=self.threshold_days)


@dataclass(frozen=True)
class Context:
    """What rules need beyond the issue itself, computed once per digest."""

    now: datetime
    thresholds: Thresholds
    modelled: frozenset[int]
    linked_asks: frozenset[int]


Rule = Callable[[Issue, Context], Finding | None]


def labels_of(issue: Issue) -> frozenset[str]:
    """DSLP label names in their canonical spelling; other labels kept as they are."""
    return _canonical(frozenset(issue.labels))


@lru_cache(maxsize=512)
def _canonical(labels: frozenset[str]) -> frozenset[str]:
    """Thousands of issues share a handful of label sets, and every rule asks: each set is
    spelled out once (a digest's cost stays linear in its issues, with a small factor)."""
    return frozenset(canonical_label(name) or name for name in labels)


def _is(issue: Issue, label: str) -> bool:
    return label in labels_of(issue)


def _since(moment: datetime | None, now: datetime) -> timedelta:
    return now - moment if moment is not None else timedelta(0)


def _check(reason: Reason, elapsed: timedelta, context: Context) -> Finding | None:
    days = context.thresholds.of(reason)
    return Finding(reason, elapsed, days) if elapsed >= timedelta(days=days) else None


def _open(issue: Issue, label: str) -> bool:
    return issue.state == "open" and _is(issue, label)


def inactive(issue: Issue, context: Context) -> Finding | None:
    """An open Experiment nobody touched (edit, comment, label, linked PR all bump updated_at)."""
    if not _open(issue, IssueType.EXPERIMENT):
        return None
    return _check(Reason.INACTIVE, _since(issue.updated_at, context.now), context)


def no_tldr(issue: Issue, context: Context) -> Finding | None:
    """An old open Experiment with neither an outcome label nor a TLDR."""
    if not _open(issue, IssueType.EXPERIMENT) or _is(issue, SUCCEEDED) or _is(issue, FAILED):
        return None
    if tldr_of(issue.body):
        return None
    return _check(Reason.NO_TLDR, _since(issue.created_at, context.now), context)


def no_model(issue: Issue, context: Context) -> Finding | None:
    """A succeeded Experiment (open or closed) that no Model issue is based on.

    The clock starts when it was closed, or for an open one at its last
    activity: the list API does not say when the label was added.
    """
    if not (_is(issue, IssueType.EXPERIMENT) and _is(issue, SUCCEEDED)):
        return None
    if issue.number in context.modelled:
        return None
    elapsed = _since(issue.closed_at or issue.updated_at, context.now)
    return _check(Reason.NO_MODEL, elapsed, context)


def blocked(issue: Issue, context: Context) -> Finding | None:
    if not _open(issue, BLOCKED_NEED_ACCESS):
        return None
    return _check(Reason.BLOCKED, _since(issue.updated_at, context.now), context)


def on_hold(issue: Issue, context: Context) -> Finding | None:
    if not _open(issue, ON_HOLD):
        return None
    return _check(Reason.ON_HOLD, _since(issue.updated_at, context.now), context)


def explore(issue: Issue, context: Context) -> Finding | None:
    """An open Explore past its time box, counted from when it was opened."""
    if not _open(issue, IssueType.EXPLORE):
        return None
    return _check(Reason.EXPLORE, _since(issue.created_at, context.now), context)


def unlinked_ask(issue: Issue, context: Context) -> Finding | None:
    """An open Ask that no Data, Explore or Experiment issue points at, and lists none."""
    if not _open(issue, IssueType.ASK) or issue.number in context.linked_asks:
        return None
    if any(parse_link_line(line) for line in issue.body.splitlines()):
        return None
    return _check(Reason.UNLINKED_ASK, _since(issue.created_at, context.now), context)


RULES: tuple[Rule, ...] = (inactive, no_tldr, no_model, blocked, on_hold, explore, unlinked_ask)
WORK_TYPES = frozenset({IssueType.DATA, IssueType.EXPLORE, IssueType.EXPERIMENT})


def context_for(issues: Iterable[Issue], now: datetime, thresholds: Thresholds) -> Context:
    """Which Experiments have a Model issue, and which Asks have linked work."""
    modelled: set[int] = set()
    linked: set[int] = set()
    for issue in issues:
        labels = labels_of(issue)
        based_on = experiment_reference(issue.body)
        if IssueType.MODEL in labels and based_on is not None:
            modelled.add(based_on)
        ask = ask_reference(issue.body)
        if ask is not None and labels & WORK_TYPES:
            linked.add(ask)
    return Context(now, thresholds, frozenset(modelled), frozenset(linked))


def findings(issue: Issue, context: Context) -> tuple[Finding, ...]:
    """Every rule the issue breaks, most urgent first; an issue on hold until a day to come
    breaks none, and from that day on it is back, with a note, whatever its thresholds."""
    held = hold_of(issue.body) if _open(issue, ON_HOLD) else None
    if held is not None:
        if context.now.date() < held:
            return ()
        since = context.now - datetime.combine(held, time(), tzinfo=UTC)
        return (Finding(Reason.ON_HOLD, since, context.thresholds.of(Reason.ON_HOLD), held),)
    found = [finding for rule in RULES if (finding := rule(issue, context)) is not None]
    return tuple(sorted(found, key=lambda f: -f.urgency))


def stalled(
    issues: Sequence[Issue], now: datetime, thresholds: Thresholds
) -> list[tuple[Issue, tuple[Finding, ...]]]:
    context = context_for(issues, now, thresholds)
    return [(issue, found) for issue in issues if (found := findings(issue, context))]
