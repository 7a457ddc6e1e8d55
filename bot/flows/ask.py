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


def render(draft: Draft) -> tuple[str, str]:
    rendered = render_ask(
        draft.answers,
        skipped=draft.skipped,
        requester_name=draft.owner_name or draft.owner,
        origin=draft.context.get("origin", draft.origin.platform),
        draft_id=draft.id,
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
            t.TITLE_LABEL,
            t.TITLE_QUESTION,
            t.TITLE_EXAMPLE,
            required=True,
            max_length=120,
            multiline=False,
        ),
        Step(
            "problem",
            t.PROBLEM_LABEL,
            t.PROBLEM_QUESTION,
            t.PROBLEM_EXAMPLE,
            required=True,
            coach=coaching.problem_statement,
        ),
        Step(
            "outcome",
            t.OUTCOME_LABEL,
            t.OUTCOME_QUESTION,
            t.OUTCOME_EXAMPLE,
            required=True,
            coach=coaching.desired_outcome,
        ),
        Step(
            "current_state",
            t.CURRENT_STATE_LABEL,
            t.CURRENT_STATE_QUESTION,
            t.CURRENT_STATE_EXAMPLE,
        ),
        Step(
            "success",
            t.SUCCESS_LABEL,
            t.SUCCESS_QUESTION,
            t.SUCCESS_EXAMPLE,
            coach=coaching.measurable,
        ),
        Step("impact", t.IMPACT_LABEL, t.IMPACT_QUESTION, t.IMPACT_EXAMPLE),
        Step(
            "metrics",
            t.METRICS_LABEL,
            t.METRICS_QUESTION,
            t.METRICS_EXAMPLE,
            coach=coaching.metrics,
        ),
        Step("constraints", t.CONSTRAINTS_LABEL, t.CONSTRAINTS_QUESTION, t.CONSTRAINTS_EXAMPLE),
        Step("data", t.DATA_LABEL, t.DATA_QUESTION, t.DATA_EXAMPLE),
        Step("stakeholders", t.STAKEHOLDERS_LABEL, t.STAKEHOLDERS_QUESTION, t.STAKEHOLDERS_EXAMPLE),
    ),
)
