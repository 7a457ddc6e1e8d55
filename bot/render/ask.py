"""An Ask's answers <-> a GitHub issue in the DSLP's own Ask layout.

Rendering and parsing are each other's inverse for everything the bot wrote,
so the bot can read an Ask back (to update it, or to show it in chat) without
keeping a copy; parsing also accepts Asks edited or written by hand, because
in the DSLP the Ask is a living document that people keep editing on GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from bot.render.ask_sections import (
    ASK_KEYS,
    ASK_LABELS,
    ASK_OUTLINE,
    LEGACY_HEADINGS,
    TITLE,
    Heading,
    LinkSection,
)
from bot.render.errors import check_body
from bot.render.escaping import escape_block, escape_inline, unescape_inline, unescape_text
from bot.render.fences import reopen_fence
from bot.render.link_lists import Link, block_lines, block_span, parse_link_line
from bot.render.markdown import (
    DRAFT_ID,
    FILED_MARKER,
    FOOTER_MARKER,
    drop_comments,
    heading_key,
    heading_of,
    is_line,
)
from bot.render.titles import clean_title, escape_title, unescape_title
from bot.render.user_text import clean_line, clean_user_text
from bot.texts import render as texts

MARKER_VERSION = 1
_KIND = re.compile(r"[a-z][a-z-]{0,31}")
_DRAFT_ID = re.compile(DRAFT_ID)
_BY_KEY = {heading_key(h.text): h for h in (*ASK_OUTLINE, *LEGACY_HEADINGS)}
_LINE_LABELS = {key: f"***{ASK_LABELS[key]}:***" for h in ASK_OUTLINE if (key := h.line)}


@dataclass(frozen=True)
class RenderedIssue:
    title: str
    body: str


@dataclass(frozen=True)
class ParsedAsk:
    """What could be read back from an Ask; anything missing is simply absent."""

    answers: dict[str, str]
    draft_id: str | None = None
    links: dict[LinkSection, list[Link]] = field(default_factory=dict)


def marker_for(draft_id: str, kind: str = "ask") -> str:
    """The hidden line that ties an issue to its draft, exactly as the body contains it.

    Trackers search for it before retrying a create, so one draft is filed once.
    `kind` is the flow that filed it (`experiment`, `data`, ...), so only an Ask's
    marker reads as an Ask's; the Ask's marker is the same as it always was.
    """
    if not _DRAFT_ID.fullmatch(draft_id):
        raise ValueError(f"draft id {draft_id!r} cannot be put in a marker")
    if not _KIND.fullmatch(kind):
        raise ValueError(f"kind {kind!r} cannot be put in a marker")
    return f"<!-- dslp-bot:{kind} draft={draft_id} v={MARKER_VERSION} -->"


def clean_answers(answers: Mapping[str, str]) -> dict[str, str]:
    """Answers as the bot files them: known keys only, cleaned, empty ones dropped."""
    cleaned = {key: clean_user_text(answers[key]) for key in ASK_KEYS if key in answers}
    if TITLE in cleaned:
        cleaned[TITLE] = clean_title(cleaned[TITLE])
    for key in _LINE_LABELS.keys() & cleaned.keys():
        cleaned[key] = _one_line(cleaned[key])
    return {key: value for key, value in cleaned.items() if value}


def _one_line(text: str) -> str:
    """An answer that goes on one labelled line: its lines (a list of names) joined by `; `."""
    return "; ".join(line for line in map(clean_line, text.split("\n")) if line)


def render_ask(
    answers: Mapping[str, str],
    *,
    skipped: Collection[str],
    requester_name: str,
    origin: str,
    draft_id: str,
    coaching: Sequence[str] = (),
) -> RenderedIssue:
    """The issue to file for an Ask; raises `BodyTooLong` instead of cutting answers short.

    `coaching` is advice nobody was there to take (an Ask filed by a workflow): it joins
    the checklist, so the team sees what would make the Ask stronger."""
    clean = clean_answers(answers)
    parts = [
        marker_for(draft_id),
        _checklist(clean, skipped, coaching),
        *(_section(heading, clean) for heading in ASK_OUTLINE),
        _footer(requester_name, origin),
    ]
    body = "\n\n".join(part for part in parts if part) + "\n"
    return RenderedIssue(escape_title(clean.get(TITLE, texts.UNTITLED)), check_body(body))


def _checklist(
    clean: Mapping[str, str], skipped: Collection[str], coaching: Sequence[str] = ()
) -> str:
    """What is still open: the DSLP expects an Ask to be filled in as the team learns."""
    items = [
        f"- [ ] {ASK_LABELS[key]}{texts.SKIPPED_NOTE if key in skipped else ''}"
        for key in ASK_KEYS
        if key != TITLE and key not in clean
    ]
    items += [f"- [ ] {escape_inline(clean_line(note))}" for note in coaching if clean_line(note)]
    return "\n".join([texts.STILL_TO_DEFINE, "", *items]) if items else ""


def _section(heading: Heading, clean: Mapping[str, str]) -> str:
    parts = [heading.markdown]
    if heading.line is not None and heading.line in clean:
        parts.append(f"{_LINE_LABELS[heading.line]} {escape_inline(clean[heading.line])}")
    if heading.key is not None and heading.key in clean:
        parts.append(escape_block(clean[heading.key]))
    if heading.links is not None:
        parts.append("\n".join(block_lines(heading.links, ())))
    return "\n\n".join(parts)


def _footer(requester_name: str, origin: str) -> str:
    """Who asked and from where, so readers on GitHub know whom to talk to."""
    name, place = escape_inline(clean_line(requester_name)), escape_inline(clean_line(origin))
    line = texts.FRAMED_WITH
    line += texts.FRAMED_BY.format(name=name) if name else ""
    line += texts.FRAMED_FROM.format(origin=place) if place else ""
    return f"{FOOTER_MARKER}\n---\n<sub>{line}</sub>"


def parse_ask(title: str, body: str) -> ParsedAsk:
    """Read an Ask back; never raises, whatever people did to the body.

    Headings are matched by text whatever their level or case, in any order,
    so Asks filed from the DSLP's own issue template are read as well.
    """
    lines = body.replace("\r\n", "\n").split("\n")
    links, covered = _links(lines)
    answers = {TITLE: unescape_title(title)}
    answers.update((key, _answer(content)) for key, content in _collect(lines, covered).items())
    for key, value in _labelled(lines).items():
        answers.setdefault(key, value)
    found = FILED_MARKER.search(body)
    return ParsedAsk(
        {key: text for key, text in answers.items() if text},
        found.group(2) if found and found.group(1) == "ask" else None,
        links,
    )


def _answer(lines: list[str]) -> str:
    """Section lines -> the text as it was typed (template comments dropped, escapes undone)."""
    text = reopen_fence("\n".join(lines).strip())
    return unescape_text(drop_comments(text).strip())


def _labelled(lines: list[str]) -> dict[str, str]:
    """Answers on a labelled line leading their section (`***Stakeholders:*** ...`).

    Only the lines before the section's first answer line count, so a person's
    answer elsewhere that starts with the same label is not read as this one.
    """
    found: dict[str, str] = {}
    current: str | None = None
    for line in lines:
        heading = heading_of(line)
        if heading is not None:
            owner = _BY_KEY.get(heading.key)
            current = owner.line if owner is not None and owner.line not in found else None
        elif current is not None and line.strip():
            label = _LINE_LABELS[current]
            text = line.strip()
            if text.startswith(label):
                found[current] = unescape_inline(text[len(label) :].strip())
            current = None
    return found


def _links(lines: list[str]) -> tuple[dict[LinkSection, list[Link]], set[int]]:
    """Links in every complete bot block, and which line numbers the blocks cover."""
    links: dict[LinkSection, list[Link]] = {}
    covered: set[int] = set()
    for section in LinkSection:
        span = block_span(lines, section)
        if span is None:
            continue
        inside = range(span[0], span[1] + 1)
        covered.update(inside)
        found = (parse_link_line(lines[i]) for i in inside)
        links[section] = [link for link in found if link is not None]
    return links, covered


def _collect(lines: list[str], covered: set[int]) -> dict[str, list[str]]:
    """Lines under each answer heading, until the next heading of ours or one as high."""
    sections: dict[str, list[str]] = {}
    current: Heading | None = None
    level = 0
    for number, line in enumerate(lines):
        if number in covered:
            continue
        if is_line(line, FOOTER_MARKER):
            current, level = None, 0
            continue
        found = heading_of(line)
        if found is not None and (found.key in _BY_KEY or found.level <= level):
            current, level = _BY_KEY.get(found.key), found.level
        elif current is not None and current.key is not None:
            sections.setdefault(current.key, []).append(line)
    return sections
