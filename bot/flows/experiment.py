"""The Experiment flow: one approach to an Ask, with how success will be measured."""

from __future__ import annotations

from bot import coaching
from bot.dslp import IssueType
from bot.flows.spec import Flow, Step
from bot.linked.model import renderer
from bot.render.experiment import (
    ASSUMPTIONS,
    DESCRIPTION,
    HISTORY,
    METRICS,
    TITLE,
    render_experiment,
)
from bot.texts import experiment as t

EXPERIMENT = Flow(
    name="experiment",
    title=t.FLOW_TITLE,
    issue_label=IssueType.EXPERIMENT,
    render=renderer(render_experiment),
    steps=(
        Step(TITLE, t.TITLE_LABEL, t.TITLE_QUESTION, t.TITLE_EXAMPLE, required=True,
             multiline=False, max_length=120),
        Step(DESCRIPTION, t.DESCRIPTION_LABEL, t.DESCRIPTION_QUESTION, t.DESCRIPTION_EXAMPLE,
             required=True),
        Step(METRICS, t.METRICS_LABEL, t.METRICS_QUESTION, t.METRICS_EXAMPLE, required=True,
             coach=coaching.measurable),
        Step(ASSUMPTIONS, t.ASSUMPTIONS_LABEL, t.ASSUMPTIONS_QUESTION, t.ASSUMPTIONS_EXAMPLE),
        Step(HISTORY, t.HISTORY_LABEL, t.HISTORY_QUESTION, t.HISTORY_EXAMPLE, multiline=False,
             max_length=500),
    ),
)  # fmt: skip
