"""The Explore flow: a time-boxed look at the data with stated questions."""

from __future__ import annotations

from bot.dslp import IssueType
from bot.flows.spec import Flow, Step
from bot.linked.model import renderer
from bot.render.explore import GOALS, OVERVIEW, TIMEBOX, TITLE, render_explore
from bot.texts import explore as t

EXPLORE = Flow(
    name="explore",
    title=t.FLOW_TITLE,
    issue_label=IssueType.EXPLORE,
    render=renderer(render_explore),
    steps=(
        Step(TITLE, t.TITLE, required=True, multiline=False, max_length=120),
        Step(OVERVIEW, t.OVERVIEW, required=True),
        Step(GOALS, t.GOALS, required=True),
        Step(TIMEBOX, t.TIMEBOX, multiline=False, max_length=80),
    ),
)
