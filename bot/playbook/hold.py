"""`on-hold until YYYY-MM-DD`: a date written into the experiment, read back by the digest.

The date lives in the issue (a line of the bot's own, marked like its references), so
everyone sees it in GitHub and no table has to agree with it. Only the marked line
counts: answers are escaped and can never carry the mark, so nobody can type a hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.render.references import OWNED

HOLD_LINE = "***On hold until:*** {day} " + OWNED
_HOLD = re.compile(r"^\*\*\*On hold until:\*\*\* (\d{4}-\d{2}-\d{2}) " + re.escape(OWNED) + r"\r?$")
_UNTIL = re.compile(r"until\s+(\d\S*)\s*(.*)", re.IGNORECASE | re.DOTALL)
"""`until` and something that starts like a date; `until the data arrives` is a TLDR."""


@dataclass(frozen=True)
class Hold:
    """`until ...` read from an on-hold command: the day (None: no date given), the rest
    (the TLDR), and `bad`: what was typed where a date should be, when it is not one."""

    until: date | None
    rest: str
    bad: str = ""


def read_until(text: str) -> Hold:
    """`until 2027-01-15 Waiting for Q3 data` -> that day and the TLDR; no `until` and a
    number: no day, all of it the TLDR; `until 15/01/2027`: a bad day."""
    match = _UNTIL.fullmatch(text.strip())
    if match is None:
        return Hold(None, text)
    try:
        day = date.fromisoformat(match.group(1)) if len(match.group(1)) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return Hold(None, match.group(2), bad=match.group(1))
    return Hold(day, match.group(2))


def hold_of(body: str) -> date | None:
    for line in (body or "").split("\n"):
        match = _HOLD.match(line)
        if match:
            return date.fromisoformat(match.group(1))
    return None


def with_hold(body: str, until: date | None) -> str:
    """The hold line set to `until`, or taken away (None); idempotent."""
    lines = [line for line in body.split("\n") if not _HOLD.match(line)]
    kept = "\n".join(lines)
    if until is None:
        return kept if len(lines) != len(body.split("\n")) else body
    return kept.rstrip("\n") + "\n\n" + HOLD_LINE.format(day=until.isoformat()) + "\n"
