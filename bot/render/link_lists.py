"""The bot-managed link lists of an Ask: its Data, Explore and Experiment issues.

The DSLP keeps an Ask as a living document that lists the work done for it.
People edit the same body by hand, so the bot owns only what lies between its
two hidden markers, rewrites exactly that, and leaves every other line alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.dslp import FAILED, SUCCEEDED
from bot.render.ask_sections import ASK_OUTLINE, LINK_HEADINGS, LinkSection
from bot.render.errors import check_body
from bot.render.escaping import escape_inline, unescape_inline
from bot.render.markdown import FOOTER_MARKER, bot_comment, heading_key, heading_of, is_line
from bot.render.user_text import clean_line

DONE_STATUSES = frozenset({SUCCEEDED, FAILED, "closed", "done"})
_SEPARATOR = " \u2014 "
_TLDR_SEPARATOR = ": "
_LINK_LINE = re.compile(r"^\s*[-*+] \[[ xX]\] #(\d+)(.*)$")
_OUTLINE_KEYS = frozenset(heading_key(h.text) for h in ASK_OUTLINE)


@dataclass(frozen=True)
class Link:
    """One issue listed in an Ask; `status` is a DSLP outcome or the issue's state.

    `tldr`: an experiment's result in a sentence, so the Ask is its experiment log."""

    number: int
    title: str = ""
    status: str = ""
    tldr: str = ""

    @property
    def done(self) -> bool:
        return self.status.casefold() in DONE_STATUSES


def start_marker(section: LinkSection) -> str:
    return bot_comment(f"links:{section}")


def end_marker(section: LinkSection) -> str:
    return f"<!-- /dslp-bot:links:{section} -->"


def link_line(link: Link) -> str:
    """`- [x] #45 Churn GBM baseline — succeeded`; titles come from GitHub, so escaped too."""
    box = "x" if link.done else " "
    title = escape_inline(clean_line(link.title))
    status = escape_inline(clean_line(link.status))
    line = f"- [{box}] #{link.number}"
    line += f" {title}" if title else ""
    line += f"{_SEPARATOR}{status}" if status else ""
    tldr = escape_inline(clean_line(link.tldr))
    return line + (f"{_TLDR_SEPARATOR}{tldr}" if status and tldr else "")


def parse_link_line(line: str) -> Link | None:
    """A link line back to a `Link`; people's own list items (no `#N`) give None."""
    match = _LINK_LINE.match(line.rstrip("\r"))
    if match is None:
        return None
    rest = match.group(2)
    title, separator, status = rest.rpartition(_SEPARATOR.rstrip())
    if not separator:
        title, status = rest, ""
    status, _, tldr = status.partition(_TLDR_SEPARATOR.rstrip())
    return Link(
        int(match.group(1)),
        unescape_inline(title.strip()),
        unescape_inline(status.strip()),
        unescape_inline(tldr.strip()),
    )


def ordered(section: LinkSection, links: Iterable[Link]) -> list[Link]:
    """One line per issue (first wins); experiments that succeeded first, as the DSLP asks."""
    first: dict[int, Link] = {}
    for link in links:
        first.setdefault(link.number, link)
    unique = list(first.values())
    if section is LinkSection.EXPERIMENTS:
        unique.sort(key=lambda link: link.status.casefold() != SUCCEEDED)
    return unique


def block_lines(section: LinkSection, links: Iterable[Link]) -> list[str]:
    lines = [link_line(link) for link in ordered(section, links)]
    return [start_marker(section), *lines, end_marker(section)]


def block_span(lines: Sequence[str], section: LinkSection) -> tuple[int, int] | None:
    """Indexes of this section's start and end marker lines, if both are there in order."""
    start = next((i for i, line in enumerate(lines) if is_line(line, start_marker(section))), None)
    if start is None:
        return None
    end = next(
        (i for i in range(start + 1, len(lines)) if is_line(lines[i], end_marker(section))), None
    )
    return None if end is None else (start, end)


def _section_end(lines: Sequence[str], at: int, level: int) -> int:
    """Where the section headed at `at` ends: a heading as high, one of ours, or the footer."""
    for i in range(at + 1, len(lines)):
        found = heading_of(lines[i])
        if found is not None and (found.level <= level or found.key in _OUTLINE_KEYS):
            return i
        if is_line(lines[i], FOOTER_MARKER):
            return i
    return len(lines)


def _append(text: str, new: Sequence[str], newline: str) -> str:
    """Add lines after everything, after one blank line, without touching what is there."""
    if not text:
        return newline.join(new) + newline
    trailing = text.count("\n", len(text.rstrip("\r\n")))
    return text + newline * max(0, 2 - trailing) + newline.join(new) + newline


def _insert(lines: list[str], section: LinkSection, block: list[str], newline: str) -> str:
    """Put a missing block back at the end of its section, or the section at the end of all."""
    heading = LINK_HEADINGS[section]
    found = _find_heading(lines, heading_key(heading.text))
    if found is None:
        return _append("\n".join(lines), [heading.markdown, "", *block], newline)
    end = _section_end(lines, *found)
    if end == len(lines):
        return _append("\n".join(lines), block, newline)
    eol = newline.removesuffix("\n")
    gap = [eol] if lines[end - 1].strip() else []
    middle = [*gap, *(line + eol for line in block), eol]
    return "\n".join([*lines[:end], *middle, *lines[end:]])


def _find_heading(lines: Sequence[str], key: str) -> tuple[int, int] | None:
    """(line index, level) of the first heading with this text, at whatever level."""
    for i, line in enumerate(lines):
        found = heading_of(line)
        if found is not None and found.key == key:
            return i, found.level
    return None


def update_links(body: str, section: LinkSection, links: Sequence[Link]) -> str:
    """Rewrite one link list of an Ask body; everything outside the list stays byte for byte.

    Idempotent, so a webhook delivered twice changes nothing the second time.
    If a person deleted the list (or a marker of it), it is put back at the end
    of its section; if the heading is gone too, heading and list go at the end.
    Raises `BodyTooLong` rather than produce a body GitHub would refuse.
    """
    newline = "\r\n" if "\r\n" in body else "\n"
    lines = body.split("\n")
    block = block_lines(section, links)
    span = block_span(lines, section)
    if span is None:
        markers = {start_marker(section), end_marker(section)}
        kept = [line for line in lines if line.strip() not in markers]
        return check_body(_insert(kept, section, block, newline))
    start, end = span
    eol = newline.removesuffix("\n")
    fresh = [line + eol for line in block[:-1]]
    fresh.append(block[-1] + ("\r" if lines[end].endswith("\r") else ""))
    return check_body("\n".join([*lines[:start], *fresh, *lines[end + 1 :]]))
