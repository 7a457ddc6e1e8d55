"""The DSLP's own vocabulary: issue types, labels and their colours, branch names.

Names, colours and descriptions are the process's, because teams that already follow the
DSLP have these labels in their repositories and the bot must match them.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.types import LabelSpec


class IssueType(StrEnum):
    ASK = "Ask"
    DATA = "Data"
    EXPLORE = "Explore"
    EXPERIMENT = "Experiment"
    MODEL = "Model"


SUCCEEDED = "succeeded"
FAILED = "failed"
ON_HOLD = "on hold"
BLOCKED_NEED_ACCESS = "blocked - need access"
DEPLOY = "Deploy"
COMMUNICATE = "Communicate"

LABELS: tuple[LabelSpec, ...] = (
    LabelSpec("Ask", "c9ecff", "Define and scope problem and solution"),
    LabelSpec("Explore", "f0f29b", "Explore and document data to increase understanding"),
    LabelSpec("Experiment", "8569c6", "Build features and train models"),
    LabelSpec("Data", "1c587c", "Get and transform data"),
    LabelSpec("Model", "0b4e82", "Prepare model for deployment"),
    LabelSpec(DEPLOY, "f79499", "Register, package, and deploy model"),
    LabelSpec(COMMUNICATE, "f9f345", "Write reports, create dashboards, summarize findings, etc."),
    LabelSpec(SUCCEEDED, "67d157", "This was successful"),
    LabelSpec(FAILED, "c2021c", "This didn't go as hoped"),
    LabelSpec(ON_HOLD, "ffd04f", "Still seems promising, but let's revisit later"),
    LabelSpec(
        BLOCKED_NEED_ACCESS,
        "ed9a53",
        "Blocked due to lack of access to data, resources, environment, etc.",
    ),
)
"""As the DSLP's `.github/labels.yaml` has them (only its `revist` corrected to `revisit`)."""

_BRANCH_PREFIX = {
    IssueType.DATA: "data/",
    IssueType.EXPLORE: "explore/",
    IssueType.EXPERIMENT: "experiment/",
    IssueType.MODEL: "model/",
}


_BY_FOLDED_NAME = {label.name.casefold(): label.name for label in LABELS}


def canonical_label(name: str) -> str | None:
    """The DSLP label a name means, ignoring case and spacing (`Succeeded` is `succeeded`)."""
    return _BY_FOLDED_NAME.get(" ".join(name.split()).casefold())


def slug(text: str, *, max_words: int = 5) -> str:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return "-".join(words[:max_words]) or "work"


def branch_name(kind: IssueType | None, number: int, description: str) -> str:
    """The DSLP branch for an issue, e.g. `experiment/45-churn-gbm-baseline`."""
    prefix = _BRANCH_PREFIX.get(kind, "") if kind else ""
    return f"{prefix}{number}-{slug(description)}"
