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
        Step(NAME, t.NAME_LABEL, t.NAME_QUESTION, t.NAME_EXAMPLE, required=True,
             multiline=False, max_length=100),
        Step(DESCRIPTION, t.DESCRIPTION_LABEL, t.DESCRIPTION_QUESTION, t.DESCRIPTION_EXAMPLE,
             required=True),
    ),
)  # fmt: skip
