"""Cleaning what people type before it is stored, shown or rendered.

Chat clients deliver invisible characters that do harm later: bidi overrides
can make text read differently from what it says (the "Trojan Source" trick),
control characters break terminals and JSON consumers, and zero width spaces
are what the renderer itself uses to neutralise @-mentions, so they must not
arrive from outside or escaping would stop being reversible.
"""

from __future__ import annotations

import re
import unicodedata

_UNWANTED = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls except \t and \n
    "\u200b"  # zero width space: reserved for mention escaping
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\ufeff"  # byte order mark
    "\ue000\ue001"  # private-use delimiters of mention tokens (bot/mentions.py)
    "\ud800-\udfff"  # lone surrogates cannot be encoded as UTF-8 for any API
    "]"
)


def clean_user_text(text: str) -> str:
    """Normalise an answer so that the same words always give the same stored text.

    Line ends become `\\n` (a lone `\\r` too: old clients still send it), unwanted
    invisible characters go, then NFC so that composed and decomposed accents
    compare equal. Emoji (ZWJ sequences, flags) and right-to-left letters stay.
    Idempotent: cleaning twice changes nothing more.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def clean_line(text: str) -> str:
    """Clean text that must fit on one line (titles, names): whitespace runs become one space."""
    return " ".join(clean_user_text(text).split())


ECHO_LIMIT = 60
ELLIPSIS = "\u2026"


def shown(word: str, limit: int = ECHO_LIMIT) -> str:
    """A word someone typed, as a reply repeats it: a forty-thousand-character "command"
    needs to be named, not sent back whole (and rendered and posted) for every message."""
    return word if len(word) <= limit else word[:limit] + ELLIPSIS
