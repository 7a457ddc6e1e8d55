"""The outcome flow: how an experiment ended, and its TLDR (the digest's "Add TLDR" button).

Submitting it changes the existing Experiment instead of filing an issue: the
flow names the action (`RECORD_OUTCOME`) and the Filer runs it. The preview
shows what will be written.
"""

from __future__ import annotations

from bot.dslp import FAILED, ON_HOLD, SUCCEEDED
from bot.flows.spec import Flow, Option, Step
from bot.linked.model import EXPERIMENT_KEY, context_number
from bot.linked.render import tldr_line
from bot.texts import outcome as t
from bot.types import Draft

RECORD_OUTCOME = "record-outcome"
OUTCOME, TLDR = "outcome", "tldr"
TLDR_LIMIT = 1000
EXPERIMENT_TITLE_KEY = "experiment_title"

OUTCOME_OPTIONS = (
    Option(SUCCEEDED, t.SUCCEEDED, ("success", "succeed")),
    Option(FAILED, t.FAILED, ("fail",)),
    Option(ON_HOLD, t.ON_HOLD, ("hold", "paused")),
)


def preview(draft: Draft) -> tuple[str, str]:
    outcome = draft.answers.get(OUTCOME, "")
    title = t.PREVIEW_TITLE.format(
        number=context_number(draft, EXPERIMENT_KEY) or "?",
        title=draft.context.get(EXPERIMENT_TITLE_KEY, ""),
        outcome=outcome,
    )
    return title, t.PREVIEW_BODY.format(
        outcome=outcome, tldr=tldr_line(draft.answers.get(TLDR, ""))
    )


OUTCOME_FLOW = Flow(
    name="experiment-outcome",
    title=t.FLOW_TITLE,
    issue_label="",
    render=preview,
    action=RECORD_OUTCOME,
    steps=(
        Step(
            OUTCOME,
            t.OUTCOME,
            required=True,
            multiline=False,
            max_length=40,
            options=OUTCOME_OPTIONS,
        ),
        Step(TLDR, t.TLDR, required=True, multiline=False, max_length=TLDR_LIMIT),
    ),
)
