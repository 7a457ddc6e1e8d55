"""Errors the renderer raises, with messages that are safe to show the person who typed."""

from __future__ import annotations

from bot.texts import render as texts

BODY_LIMIT = 65_536
"""GitHub refuses issue bodies longer than this many characters."""


class BodyTooLong(ValueError):
    """The issue would exceed GitHub's body limit.

    Raised instead of truncating: silently cutting someone's problem statement
    would file an Ask that says less than they wrote, and nobody would notice.
    """

    def __init__(self, length: int, limit: int = BODY_LIMIT) -> None:
        self.length = length
        self.limit = limit
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return texts.BODY_TOO_LONG.format(length=self.length, limit=self.limit)


def check_body(body: str) -> str:
    """Return the body unchanged, or raise `BodyTooLong` before GitHub does (with a 422)."""
    if len(body) > BODY_LIMIT:
        raise BodyTooLong(len(body))
    return body
