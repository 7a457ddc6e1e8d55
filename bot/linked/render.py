"""Data, Explore, Experiment and Model issue bodies in the DSLP's own layouts, and back.

The same rules as the Ask: what people typed is cleaned and escaped (no
mentions, no HTML, no fake headings), headings are the process's own, and the
cross-references use the formats of `references.py` so every reader of an
issue (the events pipeline, the digest) finds them. Sections a person left
empty get a hidden template hint, as the DSLP's own issue templates do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.render.ask import RenderedIssue, marker_for
from bot.render.errors import check_body
from bot.render.escaping import (
    escape_block,
    escape_inline,
    escape_line,
    unescape_inline,
    unescape_line,
    unescape_text,
)
from bot.render.fences import reopen_fence
from bot.render.markdown import drop_comments, heading_key, heading_of
from bot.render.references import (
    ASK_REFERENCE,
    BRANCH_PLACEHOLDER,
    EXPERIMENT_REFERENCE,
    TLDR_LINE,
    tldr_of,
)
from bot.render.titles import clean_title, escape_title, unescape_title
from bot.render.user_text import clean_line, clean_user_text

HISTORY_LINE = "***Experiment History:*** {text}"
RELATED_PR_LINE = "***Related PR:*** {text}"
TIMEBOX_LINE = "***Time box:*** {text}"
_CHECKBOX = ("- [ ] ", "- [x] ", "- [X] ", "* [ ] ", "* [x] ")
_BULLETS = ("- ", "* ", "+ ")


@dataclass(frozen=True)
class Section:
    """One part of a body: its heading, the answer under it, and a hint when empty.

    `one_line` answers (a name) are plain values: nothing in them may start a block.
    """

    heading: str
    key: str = ""
    hint: str = ""
    level: int = 2
    one_line: bool = False


@dataclass(frozen=True)
class Refs:
    """Whom the issue points back to; `draft_id` and `kind` make its filing marker."""

    draft_id: str
    kind: str
    ask: int
    experiment: int | None = None


def answer_text(answers: Mapping[str, str], key: str) -> str:
    return clean_user_text(answers.get(key, ""))


def one_line(answers: Mapping[str, str], key: str) -> str:
    return clean_line(answers.get(key, ""))


def ref_lines(refs: Refs) -> list[str]:
    """The links back, then the place the branch goes once the issue has its number."""
    lines = [ASK_REFERENCE.format(number=refs.ask)]
    if refs.experiment is not None:
        lines.append(EXPERIMENT_REFERENCE.format(number=refs.experiment))
    return [*lines, BRANCH_PLACEHOLDER]


def section(part: Section, answers: Mapping[str, str], *, lead: Sequence[str] = ()) -> str:
    """Heading, any lines of ours first (references), then the escaped answer or the hint.

    Every answer placed on lines of its own goes through here, so none misses its escaping.
    """
    heading = f"{'#' * part.level} {part.heading}"
    if part.one_line:
        text = escape_line(one_line(answers, part.key))
    else:
        text = escape_block(answer_text(answers, part.key)) if part.key else ""
    body = text or (f"<!-- {part.hint} -->" if part.hint else "")
    lines = "\n\n".join([*lead, body] if body else lead)
    return f"{heading}\n\n{lines}" if lines else heading


def assemble(title: str, refs: Refs, parts: Sequence[str]) -> RenderedIssue:
    """Marker first (so a retried create finds the issue), then the parts; never too long."""
    body = "\n\n".join([marker_for(refs.draft_id, refs.kind), *parts]) + "\n"
    return RenderedIssue(escape_title(clean_title(title)), check_body(body))


def checklist(text: str) -> str:
    """One goal or step per line as an unticked box; list markers people typed are dropped."""
    items = [_unbullet(line) for line in clean_user_text(text).split("\n")]
    return "\n".join(f"- [ ] {escape_inline(item)}" for item in items if item)


def _unbullet(line: str) -> str:
    line = line.strip()
    for prefix in (*_CHECKBOX, *_BULLETS):
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return line


def read_sections(
    body: str, headings: Mapping[str, str], *, one_line: Collection[str] = ()
) -> dict[str, str]:
    """Text under each known heading (`heading text -> key`), our own lines taken out.

    Reads hand-edited issues as well: any level, any case, any order; a
    section ends at the next heading that is ours or at least as high.
    `one_line` keys were written with `escape_line`, and are read back with its inverse.
    """
    wanted = {heading_key(text): key for text, key in headings.items()}
    found: dict[str, list[str]] = {}
    current, level = "", 0
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = heading_of(line)
        if heading is not None and (heading.key in wanted or heading.level <= level):
            current, level = wanted.get(heading.key, ""), heading.level
        elif current and not _ours(line):
            found.setdefault(current, []).append(line)
    texts = {key: _text(lines, key in one_line) for key, lines in found.items()}
    return {key: text for key, text in texts.items() if text}


def _ours(line: str) -> bool:
    """Reference, branch, history and TLDR lines are the bot's, not part of an answer."""
    text = line.strip()
    return (text.startswith("***") and ":***" in text) or text == BRANCH_PLACEHOLDER


def _text(lines: list[str], line: bool) -> str:
    text = drop_comments(reopen_fence("\n".join(lines).strip())).strip()
    return unescape_line(text) if line else unescape_text(text)


def read_title(title: str, *, prefix: str = "", suffix: str = "") -> str:
    """`Implement Churn model` -> `Churn`: the name inside a DSLP title pattern."""
    text = unescape_title(title)
    if prefix and text.casefold().startswith(prefix.casefold()):
        text = text[len(prefix) :]
    if suffix and text.casefold().endswith(suffix.casefold()):
        text = text[: -len(suffix)]
    return text.strip()


def tldr_line(text: str) -> str:
    """A TLDR as it is filed: one line of escaped text (empty keeps the line to fill later)."""
    return TLDR_LINE.format(text=escape_inline(clean_line(text))).rstrip()


def read_tldr(body: str) -> str:
    return unescape_inline(tldr_of(body))


def inline(text: str) -> str:
    return escape_inline(clean_line(text))
