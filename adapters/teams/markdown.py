"""Text for Teams Markdown (messages and Adaptive Card TextBlocks): words, never links.

Core text mixes the bot's own formatting with words from outside (issue
titles, answers, TLDRs, names) and cannot tell the adapter which is which;
so, as Slack's `escape` does for mrkdwn, every plain part goes through
`escape`. It keeps the small vocabulary the core writes in (`**bold**`,
`_examples_`, `` `code` ``, `- ` lists, bare links) and escapes the rest with
backslashes: link and image brackets, parentheses, autolinks and HTML (`<`,
`>`), `~`, a lone `*`, backslashes, and a `#` that would start a heading. So
`[Sign in again](https://evil.example)` shows as typed, not as a link.

Bare URLs stay whole: they show their own address, so they never carry
someone's words. Inside code spans backslashes would show, and renderers
without code spans would read links there, so link openings are broken with
an invisible word joiner instead. Every step is one linear pass.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

WORD_JOINER = "\u2060"

_TICKS = re.compile(r"`+")
_URL = re.compile(r"https?://[^\s<>\[\]()\\`*~\"]+")
_SPECIAL = re.compile(r"[\\\[\]()~<>]|(?<!\*)\*(?!\*)")
_HEADING = re.compile(r"^( {0,3})#", re.MULTILINE)
_LINK_IN_CODE = re.compile(r"\](?=[(\[:])|<(?=[A-Za-z/!?])")


def escape(text: str, *, html_text: bool = False) -> str:
    """`html_text`: a message's text, where Teams also reads HTML (so `<` becomes `&lt;`)."""
    parts: list[str] = []
    for start, end, code in _code_spans(text):
        piece = html.escape(text[start:end], quote=False) if html_text else text[start:end]
        if code:
            parts.append(_LINK_IN_CODE.sub(lambda m: m.group() + WORD_JOINER, piece))
        else:
            parts.append(_escape_prose(piece, line_start=start == 0 or text[start - 1] == "\n"))
    return "".join(parts)


def _escape_prose(text: str, *, line_start: bool) -> str:
    parts: list[str] = []
    position = 0
    for url in _URL.finditer(text):
        parts += [_escape_words(text[position : url.start()]), url.group()]
        position = url.end()
    parts.append(_escape_words(text[position:]))
    escaped = "".join(parts)
    return _HEADING.sub(lambda m: _heading(m, line_start), escaped)


def _escape_words(text: str) -> str:
    return _SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _heading(match: re.Match[str], line_start: bool) -> str:
    """A `#` that starts a line (the text's first one only if the text starts a line)."""
    if match.start() == 0 and not line_start:
        return match.group()
    return match.group(1) + "\\#"


def _code_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_code) covering the text; a run of N backticks pairs with the next run of N.

    Linear: each run's next run of the same length is found in one backward pass.
    """
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    position = index = 0
    while index < len(runs):
        closer = following[index]
        if closer is None:
            index += 1
            continue
        start, end = runs[index][0], runs[closer][1]
        if start > position:
            yield position, start, False
        yield start, end, True
        position, index = end, closer + 1
    if position < len(text):
        yield position, len(text), False
