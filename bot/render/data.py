"""Data issues: `Get [name] Dataset` (acquisition) and `Create [name] Dataset` (creation)."""

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
from bot.texts import data as t

KIND, NAME, DESCRIPTION, SOURCES, REFERENCE, KNOWN_ISSUES = (
    "kind", "name", "description", "sources", "reference", "known_issues",
)  # fmt: skip
GET, CREATE = "get", "create"

_NAME = Section("Dataset Name", NAME, level=1, one_line=True)
_DESCRIPTION = Section("Dataset Description", DESCRIPTION, t.HINT_DESCRIPTION)
_SOURCE = Section("Source system", SOURCES, t.HINT_SOURCE)
_PARENTS = Section("Parent Sources", SOURCES, t.HINT_PARENTS)
_REFERENCE = Section("Reference", REFERENCE, t.HINT_REFERENCE)
_KNOWN = Section("Known Issues", KNOWN_ISSUES, t.HINT_KNOWN_ISSUES)


def render_data(answers: Mapping[str, str], refs: Refs) -> RenderedIssue:
    """The Ask reference sits in `## Reference`, where the DSLP's template links related work."""
    name = one_line(answers, NAME)
    creating = answers.get(KIND) == CREATE
    parts = [part(_NAME, answers)] if creating else []
    parts += [
        part(_DESCRIPTION, answers),
        part(_PARENTS if creating else _SOURCE, answers),
        part(_REFERENCE, answers, lead=ref_lines(refs)),
        part(_KNOWN, answers),
    ]
    title = (t.TITLE_CREATE if creating else t.TITLE_GET).format(name=name)
    return assemble(title, refs, parts)
