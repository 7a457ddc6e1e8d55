"""Model issues: `Implement [name] model`, the hand-off from data science to ML engineering."""

from __future__ import annotations

from collections.abc import Mapping

from bot.linked.render import (
    Refs,
    Section,
    assemble,
    one_line,
    ref_lines,
)
from bot.linked.render import section as part
from bot.render.ask import RenderedIssue
from bot.texts import model as t

NAME, DESCRIPTION = "name", "description"
_DESCRIPTION = Section("Description", DESCRIPTION)
_PREFIX, _SUFFIX = t.TITLE.split("{name}")


def render_model(answers: Mapping[str, str], refs: Refs) -> RenderedIssue:
    """Both references lead the Description; Steps is the DSLP's production checklist."""
    steps = "\n".join(f"- [ ] {step}" for step in t.STEPS)
    parts = [part(_DESCRIPTION, answers, lead=ref_lines(refs)), f"## Steps\n\n{steps}"]
    return assemble(t.TITLE.format(name=one_line(answers, NAME)), refs, parts)
