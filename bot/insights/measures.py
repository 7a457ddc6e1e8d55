"""The measures, as pure functions of a replayed history and a window.

Each formula is written out in the README's *Measures* section; the names
here follow it. Durations count in the window when the moment that ends
them (the outcome, the Model opened, the deployment, the unblocking) falls
inside it.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.dslp import IssueType
from bot.insights.model import (
    Aging,
    Handoff,
    History,
    Insights,
    Outcome,
    Rate,
    Spread,
    Window,
)
from bot.insights.timeline import Stretch, Timeline, replay

WORK = frozenset({IssueType.DATA, IssueType.EXPLORE, IssueType.EXPERIMENT, IssueType.MODEL})
NO_ASK = 0
"""The group of Experiments that name no Ask, in the per-Ask numbers."""


def spread(durations: Iterable[timedelta]) -> Spread:
    """Median (the middle, or the mean of the two middle values) and the 85th percentile by
    nearest rank (the value at position ceil(0.85 * n) in ascending order)."""
    ordered = sorted(durations)
    if not ordered:
        return Spread(0, None, None)
    middle = statistics.median(d / timedelta(seconds=1) for d in ordered)
    p85 = ordered[math.ceil(0.85 * len(ordered)) - 1]
    return Spread(len(ordered), timedelta(seconds=middle), p85)


def of_kind(lines: Mapping[int, Timeline], kind: IssueType) -> list[Timeline]:
    return [line for line in lines.values() if line.issue.kind is kind]


def concluded(lines: Mapping[int, Timeline], window: Window) -> list[tuple[Timeline, Outcome]]:
    """Experiments whose outcome label (any of the three) was last added inside the window."""
    found = []
    for line in of_kind(lines, IssueType.EXPERIMENT):
        outcome = line.outcome
        if outcome is not None and window.holds(outcome[1]):
            found.append((line, outcome[0]))
    return found


def rate(outcomes: Iterable[Outcome]) -> Rate:
    counted = Counter(outcomes)
    return Rate(counted[Outcome.SUCCEEDED], counted[Outcome.FAILED], counted[Outcome.ON_HOLD])


def rates_per_ask(done: Sequence[tuple[Timeline, Outcome]]) -> dict[int, Rate]:
    grouped: dict[int, list[Outcome]] = defaultdict(list)
    for line, outcome in done:
        grouped[line.issue.ask or NO_ASK].append(outcome)
    return {ask: rate(outcomes) for ask, outcomes in sorted(grouped.items())}


def to_outcome(done: Sequence[tuple[Timeline, Outcome]]) -> Spread:
    """Experiment opened -> its succeeded or failed label (on hold is no conclusion)."""
    return spread(
        outcome_at - line.issue.created_at
        for line, outcome in done
        if outcome is not Outcome.ON_HOLD and (outcome_at := _outcome_at(line)) is not None
    )


def _outcome_at(line: Timeline) -> datetime | None:
    outcome = line.outcome
    return outcome[1] if outcome is not None else None


def overlap(stretches: Iterable[Stretch], window: Window) -> timedelta:
    total = timedelta()
    for start, end in stretches:
        clipped = min(end or window.end, window.end) - max(start, window.start)
        total += max(clipped, timedelta())
    return total


def open_time(lines: Mapping[int, Timeline], window: Window) -> dict[IssueType, timedelta]:
    """Time each work type's issues spent open inside the window (Asks are not work)."""
    totals = {kind: timedelta() for kind in sorted(WORK, key=list(IssueType).index)}
    for line in lines.values():
        if line.issue.kind in WORK:
            totals[line.issue.kind] += overlap(line.open, window)
    return totals


def linked_work(lines: Mapping[int, Timeline]) -> dict[int, list[Timeline]]:
    work: dict[int, list[Timeline]] = defaultdict(list)
    for line in lines.values():
        if line.issue.kind in WORK and line.issue.ask is not None:
            work[line.issue.ask].append(line)
    return work


def ask_to_work(lines: Mapping[int, Timeline], window: Window) -> list[timedelta]:
    """Ask opened -> its first linked Data, Explore, Experiment or Model issue opened."""
    found = []
    for ask, work in linked_work(lines).items():
        first = min(line.issue.created_at for line in work)
        ask_line = lines.get(ask)
        if ask_line is not None and ask_line.issue.kind is IssueType.ASK and window.holds(first):
            found.append(max(first - ask_line.issue.created_at, timedelta()))
    return found


def success_to_model(lines: Mapping[int, Timeline], window: Window) -> list[timedelta]:
    """Experiment labelled succeeded -> the first Model issue based on it opened."""
    models: dict[int, datetime] = {}
    for line in of_kind(lines, IssueType.MODEL):
        based_on, at = line.issue.experiment, line.issue.created_at
        if based_on is not None and (based_on not in models or at < models[based_on]):
            models[based_on] = at
    found = []
    for number, opened in models.items():
        experiment = lines.get(number)
        outcome = experiment.outcome if experiment is not None else None
        if outcome and outcome[0] is Outcome.SUCCEEDED and window.holds(opened):
            found.append(max(opened - outcome[1], timedelta()))
    return found


def model_to_deploy(lines: Mapping[int, Timeline], window: Window) -> list[timedelta]:
    """Model opened -> first `Deploy` label or first close as completed."""
    return [
        line.deployed_at - line.issue.created_at
        for line in of_kind(lines, IssueType.MODEL)
        if line.deployed_at is not None and window.holds(line.deployed_at)
    ]


def blocked_spells(lines: Mapping[int, Timeline], window: Window) -> list[timedelta]:
    """`blocked - need access` added -> removed, for each spell that ended in the window."""
    return [
        end - start
        for line in lines.values()
        for start, end in line.blocked
        if end is not None and window.holds(end)
    ]


def handoffs(lines: Mapping[int, Timeline], window: Window) -> dict[Handoff, Spread]:
    return {
        Handoff.ASK_TO_WORK: spread(ask_to_work(lines, window)),
        Handoff.SUCCESS_TO_MODEL: spread(success_to_model(lines, window)),
        Handoff.MODEL_TO_DEPLOY: spread(model_to_deploy(lines, window)),
        Handoff.BLOCKED: spread(blocked_spells(lines, window)),
    }


def over(age: timedelta, usual: Spread) -> str:
    if usual.p85 is not None and age > usual.p85:
        return "p85"
    return "median" if usual.median is not None and age > usual.median else ""


def aging(lines: Mapping[int, Timeline], history: Window, now: datetime) -> tuple[Aging, ...]:
    """Open Experiments without an outcome, and open issues blocked now, oldest first, against
    the whole history's opened -> outcome and blocked spells."""
    usual_outcome = to_outcome(concluded(lines, history))
    usual_blocked = spread(blocked_spells(lines, history))
    found = []
    for line in of_kind(lines, IssueType.EXPERIMENT):
        if line.is_open and line.outcome is None:
            age = now - line.issue.created_at
            kind = IssueType.EXPERIMENT
            found.append(
                Aging(line.issue.number, line.issue.title, kind, age, over(age, usual_outcome))
            )
    for line in lines.values():
        if line.is_open and line.blocked and line.blocked[-1][1] is None:
            age = now - line.blocked[-1][0]
            found.append(
                Aging(
                    line.issue.number,
                    line.issue.title,
                    Handoff.BLOCKED,
                    age,
                    over(age, usual_blocked),
                )
            )
    return tuple(sorted(found, key=lambda a: (-a.age, a.number)))


def week_of(moment: datetime) -> datetime:
    """The Monday 00:00 (in the moment's zone) that starts its week."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def weekly(
    done: Sequence[tuple[Timeline, Outcome]], window: Window
) -> tuple[tuple[datetime, Mapping[Outcome, int]], ...]:
    """Outcomes per week, every week of the window listed (empty ones too)."""
    counts: dict[datetime, Counter[Outcome]] = defaultdict(Counter)
    for line, outcome in done:
        at = _outcome_at(line)
        if at is not None:
            counts[week_of(at)][outcome] += 1
    first = week_of(max(window.start, min(counts, default=window.start)))
    weeks, week = [], first
    while week < window.end:
        weeks.append((week, {o: counts[week][o] for o in Outcome}))
        week += timedelta(weeks=1)
    return tuple(weeks)


def asks_reaching_model(lines: Mapping[int, Timeline]) -> tuple[int, int]:
    """(Asks opened by the window's end, those of them some Model issue names)."""
    asks = {line.issue.number for line in of_kind(lines, IssueType.ASK)}
    modelled = {line.issue.ask for line in of_kind(lines, IssueType.MODEL)}
    return len(asks), len(asks & modelled)


def measure(history: History, window: Window) -> Insights:
    lines = replay(history.issues.values(), history.events, window.end)
    done = concluded(lines, window)
    resolved = [pair for pair in done if pair[1] is not Outcome.ON_HOLD]
    asks_iterating = len({line.issue.ask or NO_ASK for line, _ in resolved})
    per_ask_week = len(resolved) / asks_iterating / window.weeks if asks_iterating else None
    asks, with_model = asks_reaching_model(lines)
    everything = Window(history.earliest or window.start, window.end)
    return Insights(
        repository=history.repository,
        window=window,
        earliest=history.earliest,
        concluded=len(resolved),
        asks_iterating=asks_iterating,
        per_ask_week=per_ask_week,
        to_outcome=to_outcome(done),
        rate=rate(outcome for _, outcome in done),
        rate_per_ask=rates_per_ask(done),
        asks=asks,
        asks_with_model=with_model,
        open_time=open_time(lines, window),
        handoffs=handoffs(lines, window),
        aging=aging(lines, everything, window.end),
        weekly=weekly(done, window),
    )
