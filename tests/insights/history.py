"""A small history with hand-computed answers (see test_measures.py for the arithmetic).

T0 is a Monday; the window is the four weeks [T0, T0 + 28 days).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dslp import IssueType
from bot.insights.model import History, HistoryEvent, HistoryIssue, Kind, Window

T0 = datetime(2026, 1, 5, tzinfo=UTC)
WINDOW = Window(T0, T0 + timedelta(days=28), "4 weeks")
REPOSITORY = "octo/dslp"


def day(days: float) -> datetime:
    return T0 + timedelta(days=days)


ISSUES = [
    HistoryIssue(1, "Churn", day(-2), IssueType.ASK),
    HistoryIssue(2, "Pricing (no work yet)", day(1), IssueType.ASK),
    HistoryIssue(3, "GBM baseline", day(1), IssueType.EXPERIMENT, ask=1),
    HistoryIssue(4, "Logistic regression", day(2), IssueType.EXPERIMENT, ask=1),
    HistoryIssue(5, "Deep net", day(3), IssueType.EXPERIMENT, ask=1),
    HistoryIssue(6, "Get CRM Dataset", day(0.5), IssueType.DATA, ask=1),
    HistoryIssue(7, "Implement GBM model", day(9), IssueType.MODEL, ask=1, experiment=3),
    HistoryIssue(8, "Recent idea", day(25), IssueType.EXPERIMENT, ask=1),
    HistoryIssue(9, "Older idea", day(23), IssueType.EXPERIMENT, ask=1),
    HistoryIssue(11, "Look at seasonality", day(6), IssueType.EXPLORE, ask=1),
]

_EVENTS = [
    (3, Kind.LABELED, 5, "Succeeded", ""),  # any spelling of the DSLP label
    (3, Kind.UNLABELED, 6, "succeeded", ""),  # removed ...
    (3, Kind.LABELED, 8, "succeeded", ""),  # ... and added again: counts from here
    (3, Kind.CLOSED, 9, "", "completed"),
    (3, Kind.REOPENED, 10, "", ""),
    (3, Kind.CLOSED, 12, "", "completed"),
    (4, Kind.LABELED, 4, "failed", ""),
    (4, Kind.CLOSED, 4, "", "completed"),
    (5, Kind.LABELED, 10, "on hold", ""),
    (5, Kind.UNLABELED, 30, "on hold", ""),  # after the window: not seen
    (5, Kind.LABELED, 30, "succeeded", ""),
    (6, Kind.LABELED, 2, "blocked - need access", ""),
    (6, Kind.UNLABELED, 5, "blocked - need access", ""),
    (6, Kind.LABELED, 20, "blocked - need access", ""),
    (7, Kind.LABELED, 15, "Deploy", ""),
    (7, Kind.CLOSED, 20, "", "completed"),
    (11, Kind.CLOSED, 8, "", "not_planned"),
]
_OPENED = [  # GitHub records the labels an issue is opened with as `labeled` events
    (issue.number, Kind.LABELED, (issue.created_at - T0) / timedelta(days=1), issue.kind, "")
    for issue in ISSUES
    if issue.kind is not None
]
EVENTS = [
    HistoryEvent(str(100 + i), number, kind, day(at), label, reason)
    for i, (number, kind, at, label, reason) in enumerate([*_OPENED, *_EVENTS])
]
HISTORY = History.of(REPOSITORY, ISSUES, EVENTS)
