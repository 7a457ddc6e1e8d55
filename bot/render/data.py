"""Data issues: `Get [name] Dataset` (acquisition) and `Create [name] Dataset` (creation)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.render.ask import RenderedIssue
from bot.render.linked import (
    Refs,
    Section,
    assemble,
    one_line,
    read_sections,
    read_title,
    ref_lines,
)
from bot.render.linked import section as part
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
_HEADINGS = {s.heading: s.key for s in (_NAME, _DESCRIPTION, _SOURCE, _PARENTS, _REFERENCE, _KNOWN)}


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


def parse_data(title: str, body: str) -> dict[str, str]:
    """Answers read back from a Data issue (the kind from its title)."""
    answers = read_sections(body, _HEADINGS, one_line=(NAME,))
    creating = title.casefold().startswith("create ")
    prefix = "Create " if creating else "Get "
    answers.setdefault(NAME, read_title(title, prefix=prefix, suffix=" Dataset"))
    return {KIND: CREATE if creating else GET, **answers}
