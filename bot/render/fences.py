"""Closing a code fence that a person opened and never closed.

An unclosed ``` in one answer would turn every heading after it into code.
The renderer closes it, and marks the closing with a hidden comment so the
parser can take exactly that closing away again: without the mark, "a fence
closed by the person" and "a fence closed by us" would look the same.
"""

from __future__ import annotations

import re

from bot.render.markdown import bot_comment

CLOSED_BY_BOT = bot_comment("closed-fence")

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def _opens(fence: str, rest: str) -> bool:
    """A backtick fence's info string may not contain backticks (then it is inline code)."""
    return not (fence[0] == "`" and "`" in rest)


def _closes(opener: str, fence: str, rest: str) -> bool:
    return fence[0] == opener[0] and len(fence) >= len(opener) and not rest.strip()


def open_fence(text: str) -> tuple[str, str] | None:
    """(indent, fence) of a top-level fence still open at the end of `text`, if any."""
    current: tuple[str, str] | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if match is None:
            continue
        indent, fence, rest = match.groups()
        if current is None and _opens(fence, rest):
            current = (indent, fence)
        elif current is not None and _closes(current[1], fence, rest):
            current = None
    return current


def close_fence(text: str) -> str:
    """Append a marked closing fence if `text` leaves one open; the indent keeps list fences."""
    still_open = open_fence(text)
    if still_open is None:
        return text
    indent, fence = still_open
    return f"{text}\n{indent}{fence}\n{CLOSED_BY_BOT}"


def reopen_fence(text: str) -> str:
    """Undo `close_fence`: drop the closing fence we added and its mark, nothing else."""
    lines = text.split("\n")
    if len(lines) >= 3 and lines[-1] == CLOSED_BY_BOT:
        return "\n".join(lines[:-2])
    return text
