"""Explore issues: overview, a checklist of goals, and room for the insights to come."""

from __future__ import annotations

from collections.abc import Mapping

from bot.linked.render import (
    TIMEBOX_LINE,
    Refs,
    Section,
    assemble,
    checklist,
    inline,
    one_line,
    ref_lines,
)
from bot.linked.render import section as part
from bot.render.ask import RenderedIssue
from bot.texts import explore as t

TITLE, OVERVIEW, GOALS, TIMEBOX = "title", "overview", "goals", "timebox"
DISCOVERED = "What was discovered during this exploration?"
_OVERVIEW = Section("Overview", OVERVIEW, t.HINT_OVERVIEW)
_NEXT = Section("Next Steps", hint=t.HINT_NEXT_STEPS)


def render_explore(answers: Mapping[str, str], refs: Refs) -> RenderedIssue:
    timebox = one_line(answers, TIMEBOX)
    lead = ref_lines(refs) + ([TIMEBOX_LINE.format(text=inline(timebox))] if timebox else [])
    parts = [
        part(_OVERVIEW, answers, lead=lead),
        f"## Goals\n\n{checklist(answers.get(GOALS, ''))}".rstrip(),
        f"## {DISCOVERED}\n\n<!-- {t.HINT_DISCOVERED} -->\n\n"
        f"### {t.FIRST_INSIGHT}\n\n### {t.SECOND_INSIGHT}",
        part(_NEXT, answers),
    ]
    return assemble(one_line(answers, TITLE), refs, parts)
