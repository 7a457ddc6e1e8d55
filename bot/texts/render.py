"""Every sentence the renderer writes into an issue or says to a person, in one place."""

from __future__ import annotations

BODY_TOO_LONG = (
    "This Ask would be {length:,} characters long, but GitHub allows at most {limit:,}. "
    "Please shorten the longest answers (a link to a document works well for long material)."
)
UNTITLED = "Untitled Ask"
STILL_TO_DEFINE = (
    "**Still to define** (the DSLP says: fill in what you can now and refine it as you learn more):"
)
SKIPPED_NOTE = " (skipped while framing)"
FRAMED_WITH = "Framed with dslp-bot"
FRAMED_BY = " by {name}"
FRAMED_FROM = " from {origin}"
