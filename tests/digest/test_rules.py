"""Each stall rule at its boundary: listed on the threshold's day, not the day before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.digest.model import Reason, Thresholds
from bot.digest.rules import stalled
from bot.types import Issue
from tests.digest.support import issue
from tests.support.doubles import NOW

EXPERIMENT, EXPLORE, ASK, MODEL, DATA = "Experiment", "Explore", "Ask", "Model", "Data"
JUST = 1 / 24 / 60  # a minute, in days


def reasons(*issues: Issue, thresholds: Thresholds | None = None) -> dict[int, set[Reason]]:
    found = stalled(list(issues), NOW, thresholds or Thresholds())
    return {i.number: {f.reason for f in findings} for i, findings in found}


@pytest.mark.parametrize(
    ("made", "days", "reason"),
    [
        (lambda d: issue(1, EXPERIMENT, created=d, updated=d, body="TLDR: x"), 7, Reason.INACTIVE),
        (lambda d: issue(1, EXPERIMENT, created=d, updated=0), 14, Reason.NO_TLDR),
        (lambda d: issue(1, EXPERIMENT, "succeeded", created=99, closed=d), 3, Reason.NO_MODEL),
        (lambda d: issue(1, "blocked - need access", created=d), 2, Reason.BLOCKED),
        (lambda d: issue(1, "on hold", created=d), 30, Reason.ON_HOLD),
        (lambda d: issue(1, EXPLORE, created=d, updated=0), 10, Reason.EXPLORE),
        (lambda d: issue(1, ASK, created=d, updated=0), 14, Reason.UNLINKED_ASK),
    ],
)
def test_each_rule_lists_from_its_threshold_day(
    made: Callable[[float], Issue], days: int, reason: Reason
) -> None:
    assert reason in reasons(made(days)).get(1, set())
    assert reason not in reasons(made(days - JUST)).get(1, set())


def test_thresholds_are_per_subscription() -> None:
    blocked = issue(1, "blocked - need access", created=3)
    assert reasons(blocked) == {1: {Reason.BLOCKED}}
    assert reasons(blocked, thresholds=Thresholds().with_days(Reason.BLOCKED, 5)) == {}


def test_closed_issues_only_count_for_the_missing_model() -> None:
    old = issue(1, EXPERIMENT, "blocked - need access", created=60, closed=40)
    assert reasons(old) == {}


def test_an_outcome_label_or_a_tldr_ends_the_no_tldr_rule() -> None:
    labelled = issue(1, EXPERIMENT, "Failed", created=20, updated=0)
    written = issue(2, EXPERIMENT, created=20, updated=0, body="***TLDR:*** GBM beats baseline")
    empty_tldr = issue(3, EXPERIMENT, created=20, updated=0, body="TLDR:")
    assert reasons(labelled, written, empty_tldr) == {3: {Reason.NO_TLDR}}


def test_a_model_issue_based_on_the_experiment_is_the_hand_off() -> None:
    succeeded = issue(5, EXPERIMENT, "succeeded", created=30, closed=10, body="TLDR: ok")
    model = issue(6, MODEL, created=1, body="***Based on Experiment:*** #5")
    assert reasons(succeeded) == {5: {Reason.NO_MODEL}}
    assert reasons(succeeded, model) == {}


def test_an_ask_with_linked_work_or_listed_links_is_not_unlinked() -> None:
    ask = issue(3, ASK, created=30)
    listed = issue(4, ASK, created=30, body="## Experiments\n- [ ] #9 GBM baseline")
    work = issue(9, DATA, created=1, body="***Ask Reference:*** #3")
    assert reasons(ask, listed, work) == {}
    assert reasons(ask) == {3: {Reason.UNLINKED_ASK}}


def test_label_spelling_does_not_matter_and_findings_are_most_urgent_first() -> None:
    old = issue(1, "experiment", created=40, updated=10)
    found = stalled([old], NOW, Thresholds())
    assert [f.reason for f in found[0][1]] == [Reason.NO_TLDR, Reason.INACTIVE]
    assert found[0][1][0].elapsed == timedelta(days=40)
