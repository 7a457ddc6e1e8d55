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
        Step(TITLE, t.TITLE_LABEL, t.TITLE_QUESTION, t.TITLE_EXAMPLE, required=True,
             multiline=False, max_length=120),
        Step(OVERVIEW, t.OVERVIEW_LABEL, t.OVERVIEW_QUESTION, t.OVERVIEW_EXAMPLE, required=True),
        Step(GOALS, t.GOALS_LABEL, t.GOALS_QUESTION, t.GOALS_EXAMPLE, required=True),
        Step(TIMEBOX, t.TIMEBOX_LABEL, t.TIMEBOX_QUESTION, t.TIMEBOX_EXAMPLE, multiline=False,
             max_length=80),
    ),
)  # fmt: skip
