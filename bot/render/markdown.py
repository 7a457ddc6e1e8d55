"""Line-level Markdown helpers shared by the Ask renderer, its parser and the link updater.

Lines, not a full Markdown parser: the bot only needs to find its own
headings and comment markers, and must tolerate whatever people typed around
them in GitHub's editor (other heading levels, different case, CRLF endings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class HeadingLine:
    level: int
    key: str
    """The heading text folded for comparison: case and spacing do not matter."""


def heading_key(text: str) -> str:
    """How headings are compared: people retype `## Success criteria` by hand."""
    return " ".join(text.split()).casefold()


def heading_of(line: str) -> HeadingLine | None:
    """The ATX heading on this line, if it is one (trailing `\\r` from CRLF bodies ignored)."""
    match = _HEADING.match(line.rstrip("\r"))
    if match is None:
        return None
    return HeadingLine(len(match.group(1)), heading_key(match.group(2) or ""))


def bot_comment(tag: str) -> str:
    """A hidden marker: invisible on GitHub; user text never contains one (`<` is escaped)."""
    return f"<!-- dslp-bot:{tag} -->"


def is_line(line: str, marker: str) -> bool:
    """Whether a line is exactly this marker, give or take spaces people's editors add."""
    return line.strip() == marker


def drop_comments(text: str) -> str:
    """Remove HTML comments: template hints people leave in hand-written Asks are not answers."""
    return _COMMENT.sub("", text)


FOOTER_MARKER = bot_comment("footer")
"""Starts the bot's footer; nothing after it belongs to an answer."""
