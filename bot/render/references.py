"""Reading the DSLP cross-references and the TLDR out of any issue body.

Linked issues point at their Ask with `***Ask Reference:*** #N` and Model
issues at their Experiment with `***Based on Experiment:*** #N`; outcomes
are summarised in a `***TLDR:***` line. People write these by hand too, so
the patterns accept the usual variations (bold or not, spaces, case).

The bot acts on references (it pings people, posts in the Ask's thread, moves
phases), so a reference typed into an answer must never win over the bot's
own. Which line counts, in this order:

1. a line the bot wrote, ending in `OWNED`: user text is escaped and can never
   contain `<!--`, so nobody but the bot (or a person editing on GitHub) makes one;
2. a line in the lead of a reference section (the first lines under the
   heading, before any answer): where the DSLP's templates put
   `***Ask Reference:***` and where the bot put its lines before they were marked;
3. only in issues the bot did not file (no filing marker): the first line
   anywhere, because a person wrote the whole body.

The TLDR is read the same way, except that the last one counts (a later outcome
replaces an earlier one) and its place is not a lead but a whole section: the
Results (Experiment) or what was discovered (Explore), where the DSLP ends the
work with it and where a bot-filed issue holds no answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.render.markdown import FILED_MARKER, HeadingLine, bot_comment, heading_of

OWNED = bot_comment("ref")
"""Ends every line the bot writes and later relies on (references, branch)."""
TLDR_SECTIONS = frozenset({"results", "what was discovered during this exploration?"})
"""Headings (any level, with their subsections) where a TLDR of a bot-filed issue may stand."""
REFERENCE_SECTIONS = frozenset({"description", "overview", "reference"})
"""Headings whose lead holds the references: the DSLP's Experiment and Model templates put
them first under `## Description`; the bot does the same for Explore (`## Overview`) and Data
(`## Reference`, where the Data templates link related work)."""

_REFERENCE = r"^[ \t>*_-]*{label}[ \t*_]*:[ \t*_]*#(\d{{1,9}})\b"
_ASK = re.compile(_REFERENCE.format(label=r"ask[ \t]+reference"), re.IGNORECASE)
_EXPERIMENT = re.compile(_REFERENCE.format(label=r"based[ \t]+on[ \t]+experiment"), re.IGNORECASE)
_TLDR = re.compile(r"^[ \t>*_-]*tl;?dr[ \t*_]*:[ \t*_]*(.*)$", re.IGNORECASE)
_LABELLED = re.compile(r"^\*{1,3}[^*\n]{1,60}:\*{1,3}")

ASK_REFERENCE = "***Ask Reference:*** #{number} " + OWNED
EXPERIMENT_REFERENCE = "***Based on Experiment:*** #{number} " + OWNED
TLDR_LINE = "***TLDR:*** {text}"


def _trusted(pattern: re.Pattern[str], lines: Sequence[str]) -> tuple[int, re.Match[str]] | None:
    """(line index, match) of the line that counts for `pattern`, by the rules above."""
    found = [(i, m) for i, line in enumerate(lines) if (m := pattern.match(line))]
    owned = [(i, m) for i, m in found if lines[i].rstrip().endswith(OWNED)]
    if owned:
        return owned[0]
    lead = _lead(lines)
    in_lead = [(i, m) for i, m in found if i in lead]
    if in_lead or any(FILED_MARKER.search(line) for line in lines):
        return in_lead[0] if in_lead else None
    return found[0] if found else None


def _lead(lines: Sequence[str]) -> set[int]:
    """Indexes of labelled lines (`***X:***`, references) that open a reference section.

    Blank lines and hidden comments (template hints) may sit between them; the
    first other line is an answer and ends the lead. So does the branch line (or
    its placeholder): the bot writes it last, so what follows it was typed.
    """
    lead: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        heading = heading_of(line)
        if heading is not None:
            inside = heading.key in REFERENCE_SECTIONS
            continue
        text = line.strip()
        if not inside or not text:
            continue
        if _is_labelled(text):
            lead.add(i)
        inside = _is_labelled(text) or _is_comment(text)
        if text == BRANCH_PLACEHOLDER or _BRANCH.match(text):
            inside = False
    return lead


def _is_comment(text: str) -> bool:
    return text.startswith("<!--") and text.endswith("-->")


def _is_labelled(text: str) -> bool:
    return any(p.match(text) for p in (_LABELLED, _ASK, _EXPERIMENT, _BRANCH))


def _number(pattern: re.Pattern[str], body: str) -> int | None:
    trusted = _trusted(pattern, (body or "").split("\n"))
    return int(trusted[1].group(1)) if trusted else None


def ask_reference(body: str) -> int | None:
    return _number(_ASK, body)


def experiment_reference(body: str) -> int | None:
    return _number(_EXPERIMENT, body)


def tldr_of(body: str) -> str:
    """The last non-empty TLDR that counts: a later outcome replaces an earlier one."""
    found = _tldrs((body or "").split("\n"))
    return next((text for _, text in reversed(found) if text), "")


def _tldrs(lines: Sequence[str]) -> list[tuple[int, str]]:
    """(line index, text) of every TLDR line that counts, empty ones included, in order.

    The bot's mark may stand anywhere on its line: a person filling the empty
    line on GitHub may type after it.
    """
    anywhere = not any(FILED_MARKER.search(line) for line in lines)
    found: list[tuple[int, str]] = []
    level = 0  # the level of the TLDR section we are in, 0 outside
    for i, line in enumerate(lines):
        heading = heading_of(line)
        if heading is not None:
            level = heading.level if heading.key in TLDR_SECTIONS else _within(level, heading)
            continue
        match = _TLDR.match(line.replace(OWNED, ""))
        if match and (anywhere or level or OWNED in line):
            found.append((i, match.group(1).strip()))
    return found


def _within(level: int, heading: HeadingLine) -> int:
    """A subsection (`### Insight 1`) stays in the section; a heading as high ends it."""
    return level if heading.level > level else 0


RESULTS_HEADING = "## Results"
BRANCH_LINE = "***Branch:*** `{branch}` " + OWNED
BRANCH_PLACEHOLDER = "<!-- dslp-bot:branch -->"
"""Where a new issue's branch goes: its number, and so its branch, exists only after filing."""
_BRANCH = re.compile(
    rf"^[ \t>*_-]*branch[ \t*_]*:[ \t*_]*`([^`\n]+)`[ \t]*(?:{re.escape(OWNED)})?[ \t]*\r?$",
    re.IGNORECASE,
)


def branch_of(body: str) -> str:
    trusted = _trusted(_BRANCH, (body or "").split("\n"))
    return trusted[1].group(1) if trusted else ""


def with_branch(body: str, branch: str) -> str:
    """Write the branch line once: replace an earlier one or the placeholder, else add it on top.

    Idempotent, so filing that is retried after a crash edits nothing twice.
    """
    line = BRANCH_LINE.format(branch=branch)
    lines = body.split("\n")
    trusted = _trusted(_BRANCH, lines)
    if trusted is not None:
        i = trusted[0]
        lines[i] = line + ("\r" if lines[i].endswith("\r") else "")
        return "\n".join(lines)
    at = body.find(BRANCH_PLACEHOLDER)
    if at != -1:
        return body[:at] + line + body[at + len(BRANCH_PLACEHOLDER) :]
    return f"{line}\n\n{body}"


def owned_tldr(escaped: str) -> str:
    """The TLDR line as the bot writes it, marked as its own (empty: the line to fill later)."""
    return f"{TLDR_LINE.format(text=escaped).rstrip()} {OWNED}"


def with_tldr(body: str, text: str) -> str:
    """Put `text` on the last TLDR line that counts (an outcome replaces the earlier), or add one.

    A missing line goes at the end of the Results section (a Results section is
    added at the end when there is none): the DSLP ends the Results with the TLDR.
    A TLDR typed into an answer is left as it is: it is part of the answer.
    """
    line = owned_tldr(text)
    found = _tldrs(body.split("\n"))
    if found:
        lines = body.split("\n")
        i = found[-1][0]
        lines[i] = line + ("\r" if lines[i].endswith("\r") else "")
        return "\n".join(lines)
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = body.rstrip().split("\n") if body.strip() else []
    end = _results_end(lines)
    if end is None:
        lines += ["", RESULTS_HEADING] if lines else [RESULTS_HEADING]
        end = len(lines)
    eol = newline.removesuffix("\n")
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    added = ["", line] + ([""] if end < len(lines) and lines[end].strip() else [])
    return "\n".join([*lines[:end], *(part + eol for part in added), *lines[end:]]) + newline


def _results_end(lines: list[str]) -> int | None:
    """Index just after the Results section (the next heading as high ends it), or None."""
    start = next((i for i, text in enumerate(lines) if _is_results(heading_of(text))), None)
    if start is None:
        return None
    level = heading_of(lines[start]).level  # type: ignore[union-attr]
    for i in range(start + 1, len(lines)):
        found = heading_of(lines[i])
        if found is not None and found.level <= level:
            return i
    return len(lines)


def _is_results(found: HeadingLine | None) -> bool:
    return found is not None and found.key == "results"
