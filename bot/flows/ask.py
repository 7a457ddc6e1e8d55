"""The Ask flow: every part of the DSLP Ask template, in the order people think.

Diagram of the conversation: `ask.mmd` beside this file.
Required parts are the ones without which a data scientist cannot start:
title, problem statement and desired outcome. The rest may be skipped and is
listed in the issue as "still to define".
"""

from __future__ import annotations

from bot import coaching
from bot.dslp import IssueType
from bot.flows.spec import Flow, Step
from bot.render import render_ask
from bot.texts import ask as t
from bot.types import Draft

COACHING_CONTEXT = "coaching"
"""A draft's context key for advice nobody answered (one note a line): filed as checklist items."""


def render(draft: Draft) -> tuple[str, str]:
    coaching = draft.context.get(COACHING_CONTEXT, "")
    rendered = render_ask(
        draft.answers,
        skipped=draft.skipped,
        requester_name=draft.owner_name or draft.owner,
        origin=draft.context.get("origin", draft.origin.platform),
        draft_id=draft.id,
        coaching=tuple(line for line in coaching.split("\n") if line),
    )
    return rendered.title, rendered.body


ASK = Flow(
    name="ask",
    title=t.FLOW_TITLE,
    issue_label=IssueType.ASK,
    render=render,
    steps=(
        Step(
            "title",
            t.TITLE,
            required=True,
            max_length=120,
            multiline=False,
        ),
        Step(
            "problem",
            t.PROBLEM,
            required=True,
            coach=coaching.problem_statement,
        ),
        Step(
            "outcome",
            t.OUTCOME,
            required=True,
            coach=coaching.desired_outcome,
        ),
        Step(
            "current_state",
            t.CURRENT_STATE,
        ),
        Step(
            "success",
            t.SUCCESS,
            coach=coaching.measurable,
        ),
        Step("impact", t.IMPACT),
        Step(
            "metrics",
            t.METRICS,
            coach=coaching.metrics,
        ),
        Step("constraints", t.CONSTRAINTS),
        Step("data", t.DATA),
        Step("stakeholders", t.STAKEHOLDERS),
    ),
)
