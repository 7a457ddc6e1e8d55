"""The Model flow: productionise a succeeded experiment (prefilled from it by the command)."""

from __future__ import annotations

from bot.dslp import IssueType
from bot.flows.spec import Flow, Step
from bot.linked.model import renderer
from bot.render.model import DESCRIPTION, NAME, render_model
from bot.texts import model as t

MODEL = Flow(
    name="model",
    title=t.FLOW_TITLE,
    issue_label=IssueType.MODEL,
    render=renderer(render_model),
    steps=(
        Step(NAME, t.NAME, required=True, multiline=False, max_length=100),
        Step(DESCRIPTION, t.DESCRIPTION, required=True),
    ),
)
