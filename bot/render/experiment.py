"""Experiment issues: one approach to an Ask, ending succeeded or failed with a TLDR."""

from __future__ import annotations

from collections.abc import Mapping

from bot.linked.render import (
    HISTORY_LINE,
    RELATED_PR_LINE,
    Refs,
    Section,
    assemble,
    inline,
    one_line,
    read_sections,
    read_title,
    read_tldr,
    ref_lines,
)
from bot.linked.render import section as part
from bot.render.ask import RenderedIssue
from bot.render.escaping import unescape_inline
from bot.render.references import owned_tldr
from bot.texts import experiment as t

TITLE, DESCRIPTION, METRICS, ASSUMPTIONS, HISTORY = (
    "title", "description", "metrics", "assumptions", "history",
)  # fmt: skip
TLDR = "tldr"
_DESCRIPTION = Section("Description", DESCRIPTION)
_METRICS = Section("Metrics", METRICS)
_ASSUMPTIONS = Section("Assumptions", ASSUMPTIONS, t.HINT_ASSUMPTIONS)
_HEADINGS = {"Description": DESCRIPTION, "Metrics": METRICS, "Assumptions": ASSUMPTIONS}


def render_experiment(answers: Mapping[str, str], refs: Refs) -> RenderedIssue:
    """`## Description` starts with the Ask reference; Results end with an empty TLDR to fill."""
    results = [
        "## Results",
        "",
        f"<!-- {t.HINT_RESULTS} -->",
        "",
        HISTORY_LINE.format(text=inline(one_line(answers, HISTORY))).rstrip(),
        "",
        RELATED_PR_LINE.format(text="").rstrip(),
        "",
        owned_tldr(""),
    ]
    parts = [
        part(_DESCRIPTION, answers, lead=ref_lines(refs)),
        part(_METRICS, answers),
        part(_ASSUMPTIONS, answers),
        "\n".join(results),
    ]
    return assemble(one_line(answers, TITLE), refs, parts)


def parse_experiment(title: str, body: str) -> dict[str, str]:
    """What a Model issue is prefilled from: the answers, the history link and the TLDR."""
    answers = {TITLE: read_title(title), **read_sections(body, _HEADINGS)}
    history = _history(body)
    if history:
        answers[HISTORY] = history
    tldr = read_tldr(body)
    if tldr:
        answers[TLDR] = tldr
    return answers


def _history(body: str) -> str:
    prefix = HISTORY_LINE.format(text="").strip()
    for line in body.split("\n"):
        if line.strip().startswith(prefix):
            return unescape_inline(line.strip()[len(prefix) :].strip())
    return ""
