"""The Project field's values and the DSLP's transitions, both ways.

Out: a transition the lifecycle recorded gives the issue's new value (a type's phase when its
work opens, an experiment's outcome, `Deploy`, `Done` for a closed Ask). In: a value a person
chose in GitHub is read as the DSLP label of the same name, so it is a label change with the
same hand-off pings (and an option that is no DSLP label means nothing).
"""

from __future__ import annotations

from bot.dslp import canonical_label
from bot.lifecycle.events import TrackerEvent, issue_type
from bot.lifecycle.rules import (
    ASK_CLOSED,
    DATA_OPENED,
    EXPERIMENT_FAILED,
    EXPERIMENT_SUCCEEDED,
    MODEL_DEPLOY,
    MODEL_OPENED,
    WORK_STARTED,
    rule_for,
)

DONE = "Done"
_OUTCOMES = {
    EXPERIMENT_SUCCEEDED: "Succeeded",
    EXPERIMENT_FAILED: "Failed",
    MODEL_DEPLOY: "Deploy",
    ASK_CLOSED: DONE,
}
_OPENINGS = frozenset({DATA_OPENED, WORK_STARTED, MODEL_OPENED})


def phase_after(event: TrackerEvent) -> str | None:
    """The value the event's issue takes on the Project, or None: most events move nothing."""
    rule = rule_for(event)
    if rule in _OPENINGS:
        kind = issue_type(event.issue)
        return kind.value if kind else None
    return _OUTCOMES.get(rule or "")


def label_for(option: str) -> str | None:
    """The DSLP label an option chosen in GitHub stands for, or None."""
    return canonical_label(option) if option.strip() else None
