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
        Step(TITLE, t.TITLE, required=True, multiline=False, max_length=120),
        Step(DESCRIPTION, t.DESCRIPTION, required=True),
        Step(METRICS, t.METRICS, required=True, coach=coaching.measurable),
        Step(ASSUMPTIONS, t.ASSUMPTIONS),
        Step(HISTORY, t.HISTORY, multiline=False, max_length=500),
    ),
)
