"""Line-level Markdown helpers shared by the Ask renderer, its parser and the link updater.

Lines, not a full Markdown parser: the bot only needs to find its own
headings and comment markers, and must tolerate whatever people typed around
them in GitHub's editor (other heading levels, different case, CRLF endings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class HeadingLine:
    level: int
    key: str
    """The heading text folded for comparison: case and spacing do not matter."""


def heading_key(text: str) -> str:
    """How headings are compared: people retype `## Success criteria` by hand."""
    return " ".join(text.split()).casefold()


def heading_of(line: str) -> HeadingLine | None:
    """The ATX heading on this line, if it is one (trailing `\r` from CRLF bodies ignored).

    Plain string operations rather than one regular expression: bodies come
    from anyone on GitHub, and a regex with two optional whitespace runs
    backtracks quadratically on a long line of spaces.
    """
    line = line.rstrip("\r")
    stripped = line.lstrip(" ")
    hashes = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[hashes:]
    if len(line) - len(stripped) > 3 or not 1 <= hashes <= 6 or rest[:1] not in ("", " ", "\t"):
        return None
    return HeadingLine(hashes, heading_key(_without_closing_hashes(rest.strip(" \t"))))


def _without_closing_hashes(text: str) -> str:
    """`## Impact ##` is the heading `Impact`; `## C#` is `C#` (no space before the `#`)."""
    trimmed = text.rstrip("#")
    if trimmed == text or (trimmed and trimmed[-1] not in " \t"):
        return text
    return trimmed.rstrip(" \t")


def bot_comment(tag: str) -> str:
    """A hidden marker: invisible on GitHub; user text never contains one (`<` is escaped)."""
    return f"<!-- dslp-bot:{tag} -->"


def is_line(line: str, marker: str) -> bool:
    """Whether a line is exactly this marker, give or take spaces people's editors add."""
    return line.strip() == marker


def drop_comments(text: str) -> str:
    """Remove complete HTML comments: template hints left in hand-written Asks are not answers.

    A find loop, not `<!--.*?-->`: with many unclosed `<!--` the lazy regex
    rescans to the end from each one, which a 65 KB body turns into minutes.
    """
    kept: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return "".join(kept)


FOOTER_MARKER = bot_comment("footer")
"""Starts the bot's footer; nothing after it belongs to an answer."""

DRAFT_ID = r"[A-Za-z0-9._:-]{1,128}"
FILED_MARKER = re.compile(rf"<!-- dslp-bot:([a-z][a-z-]{{0,31}}) draft=({DRAFT_ID}) v=\d+ -->")
"""The hidden line every issue the bot files starts with: (kind, draft id)."""
