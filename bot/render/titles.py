"""Issue titles: one line, at most GitHub's 256 characters, and no @-mentions.

GitHub shows titles as plain text, so no HTML escaping is needed; mentions are
still neutralised because titles are copied into notifications and chat.
"""

from __future__ import annotations

from bot.render.escaping import neutralise_mentions, restore_mentions
from bot.render.user_text import clean_line

TITLE_LIMIT = 256
ELLIPSIS = "\u2026"


def clean_title(text: str) -> str:
    """A title as it will be filed: one line, shortened with `…` so the escaped title fits.

    The limit applies to what GitHub receives, including the zero width spaces
    of neutralised mentions, so the cut is measured on the escaped form.
    Idempotent: a cleaned title is returned unchanged.
    """
    title = clean_line(text)
    if len(escape_title(title)) <= TITLE_LIMIT:
        return title
    end = TITLE_LIMIT - len(ELLIPSIS)
    while len(escape_title(title[:end])) > TITLE_LIMIT - len(ELLIPSIS):
        end -= 1
    return title[:end].rstrip() + ELLIPSIS


def escape_title(title: str) -> str:
    return neutralise_mentions(title)


def unescape_title(title: str) -> str:
    return restore_mentions(" ".join(title.split()))
