"""Every measure of the hand-computed history in history.py.

Worked answers (days after T0; window [0, 28)):
- Concluded in the window: #4 failed at 4, #3 succeeded at 8 (its label was removed at 6 and
  added again at 8, so 8 counts), #5 on hold at 10 (its later success at 30 is outside).
- Iteration speed: 2 concluded / 1 Ask / 4 weeks = 0.5; opened -> outcome: #3 7d, #4 2d:
  median 4.5d, p85 (nearest rank ceil(0.85*2) = 2nd) 7d.
- Success rate 1 / (1 + 1) = 50 %, on hold 1; Asks 2 (#1, #2), with a Model 1.
- Open time: Experiment #3 8d + 2d (closed, reopened, closed), #4 2d, #5 25d, #8 3d, #9 5d
  = 45d; Data #6 27.5d; Explore #11 2d; Model #7 11d; total 85.5d.
- Hand-offs: Ask #1 (opened -2) -> Data #6 (0.5) 2.5d; #3 succeeded (8) -> Model #7 (9) 1d;
  Model #7 (9) -> Deploy (15) 6d; blocked spell of #6 from 2 to 5: 3d.
- Aging at 28: #6 blocked since 20 (8d > p85 3d), #9 opened 23 (5d > median 4.5d, < p85 7d),
  #8 opened 25 (3d, under the median).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dslp import IssueType
from bot.insights.measures import measure, spread
from bot.insights.model import (
    Handoff,
    History,
    HistoryEvent,
    HistoryIssue,
    Insights,
    Kind,
    Outcome,
    Rate,
    Spread,
)
from tests.insights.history import HISTORY, T0, WINDOW, day

D = timedelta(days=1)


@pytest.fixture(scope="module")
def insights() -> Insights:
    return measure(HISTORY, WINDOW)


def test_iteration_speed(insights: Insights) -> None:
    assert (insights.concluded, insights.asks_iterating) == (2, 1)
    assert insights.per_ask_week == pytest.approx(0.5)
    assert insights.to_outcome == Spread(2, 4.5 * D, 7 * D)


def test_success_rates_keep_on_hold_apart(insights: Insights) -> None:
    assert insights.rate == Rate(succeeded=1, failed=1, on_hold=1)
    assert insights.rate.share == pytest.approx(0.5)
    assert dict(insights.rate_per_ask) == {1: Rate(1, 1, 1)}


def test_share_of_asks_that_reached_a_model_counts_the_ask_without_work(insights: Insights) -> None:
    assert (insights.asks, insights.asks_with_model) == (2, 1)
    assert insights.model_share == pytest.approx(0.5)


def test_time_by_work_type_counts_both_stretches_of_a_reopened_issue(insights: Insights) -> None:
    assert dict(insights.open_time) == {
        IssueType.DATA: 27.5 * D,
        IssueType.EXPLORE: 2 * D,
        IssueType.EXPERIMENT: 45 * D,
        IssueType.MODEL: 11 * D,
    }
    assert insights.time_share(IssueType.EXPERIMENT) == pytest.approx(45 / 85.5)


def test_handoffs(insights: Insights) -> None:
    assert dict(insights.handoffs) == {
        Handoff.ASK_TO_WORK: Spread(1, 2.5 * D, 2.5 * D),
        Handoff.SUCCESS_TO_MODEL: Spread(1, D, D),
        Handoff.MODEL_TO_DEPLOY: Spread(1, 6 * D, 6 * D),
        Handoff.BLOCKED: Spread(1, 3 * D, 3 * D),
    }


def test_aging_work_against_the_history(insights: Insights) -> None:
    seen = [(a.number, a.what, a.age, a.over) for a in insights.aging]
    assert seen == [
        (6, Handoff.BLOCKED, 8 * D, "p85"),
        (9, IssueType.EXPERIMENT, 5 * D, "median"),
        (8, IssueType.EXPERIMENT, 3 * D, ""),
    ]


def test_weekly_outcomes_list_every_week(insights: Insights) -> None:
    weeks = [(week, dict(counts)) for week, counts in insights.weekly]
    empty = {Outcome.SUCCEEDED: 0, Outcome.FAILED: 0, Outcome.ON_HOLD: 0}
    assert weeks == [
        (T0, {**empty, Outcome.FAILED: 1}),
        (day(7), {**empty, Outcome.SUCCEEDED: 1, Outcome.ON_HOLD: 1}),
        (day(14), empty),
        (day(21), empty),
    ]


def test_how_far_back_the_data_goes(insights: Insights) -> None:
    assert insights.earliest == day(-2)


def test_an_event_replayed_twice_changes_nothing() -> None:

    doubled = History.of(HISTORY.repository, list(HISTORY.issues.values()), HISTORY.events * 2)
    assert measure(doubled, WINDOW) == measure(HISTORY, WINDOW)


def test_an_empty_history_has_no_numbers() -> None:

    empty = measure(History.of("octo/empty", [], []), WINDOW)
    assert (empty.per_ask_week, empty.rate.share, empty.model_share) == (None, None, None)
    assert empty.handoffs[Handoff.BLOCKED] == Spread(0, None, None)
    assert empty.time_share(IssueType.DATA) is None


def test_p85_is_the_nearest_rank() -> None:
    values = [timedelta(days=n) for n in range(1, 21)]
    assert spread(values) == Spread(20, 10.5 * D, 17 * D)


def test_an_issue_closed_while_blocked_is_not_aging() -> None:
    data = HistoryIssue(1, "Get logs", day(0), IssueType.DATA)
    blocked = HistoryEvent("1", 1, Kind.LABELED, day(1), "blocked - need access")
    closed = HistoryEvent("2", 1, Kind.CLOSED, day(2), reason="not_planned")
    history = History.of("octo/dslp", [data], [blocked, closed])
    assert measure(history, WINDOW).aging == ()
    assert measure(History.of("octo/dslp", [data], [blocked]), WINDOW).aging[0].number == 1
