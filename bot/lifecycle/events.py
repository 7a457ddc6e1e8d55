"""A tracker event in neutral form: what happened to which issue, whatever reported it.

The webhook and the poller both turn GitHub's payloads into this one type,
so the rules that decide who is told never see a platform's JSON. Labels are
canonical DSLP names where they are DSLP labels (`Succeeded` is `succeeded`),
because people type them in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.dslp import IssueType, canonical_label
from bot.types import Issue

_TYPES = {kind.value.casefold(): kind for kind in IssueType}
_MODEL_BRANCH = re.compile(r"^model/(\d{1,9})(?:-|$)")


class EventKind(StrEnum):
    OPENED = "opened"
    LABELED = "labeled"
    UNLABELED = "unlabeled"
    CLOSED = "closed"
    REOPENED = "reopened"
    MERGED = "merged"


@dataclass(frozen=True)
class TrackerEvent:
    """One transition. `delivery` is unique per event: the key that makes it count once.

    For a merged pull request `issue` is the pull request itself and
    `head_branch` its branch (a `model/<n>-...` branch names the Model issue).
    """

    delivery: str
    kind: EventKind
    repository: str
    issue: Issue
    label: str = ""
    actor: str = ""
    is_pull_request: bool = False
    head_branch: str = ""
    merged: bool = False
    reason: str = ""
    """Why a closed issue was closed: GitHub's `state_reason` (`completed`, `not_planned`)."""
    from_project: bool = False
    """A Project field a person changed, read as the label of the same name (`label`)."""


def normal_label(name: str) -> str:
    """The DSLP spelling of a label, or the name as given when it is not a DSLP label."""
    return canonical_label(name) or name.strip()


def issue_type(issue: Issue) -> IssueType | None:
    """The DSLP type an issue's labels give it (the first type label found)."""
    for name in sorted(issue.labels):
        found = _TYPES.get(normal_label(name).casefold())
        if found is not None:
            return found
    return None


def has_label(issue: Issue, label: str) -> bool:
    wanted = normal_label(label).casefold()
    return any(normal_label(name).casefold() == wanted for name in issue.labels)


def model_issue_number(branch: str) -> int | None:
    """`model/45-churn-gbm` names Model issue #45 (the DSLP branch convention)."""
    match = _MODEL_BRANCH.match(branch or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class KnownIssue:
    """What the journal remembers of an issue from the last event about it."""

    number: int
    title: str
    url: str
    kind: str
    ask_number: int | None
    author: str = ""
