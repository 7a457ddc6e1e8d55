"""Issue bodies in DSLP form, from what people typed in chat, and back again.

Pure functions only: no I/O and no platform imports, so every escape and
every round trip is tested without a network. Everything people type is
treated as untrusted: it may not notify anyone, inject HTML or fake the bot's
own headings and markers.
"""

from bot.render.ask import (
    ParsedAsk,
    RenderedIssue,
    clean_answers,
    marker_for,
    parse_ask,
    render_ask,
)
from bot.render.ask_sections import (
    ASK_KEYS,
    ASK_LABELS,
    ASK_OUTLINE,
    LINK_SECTION_FOR,
    Heading,
    LinkSection,
)
from bot.render.errors import BODY_LIMIT, BodyTooLong
from bot.render.titles import TITLE_LIMIT, clean_title
from bot.render.user_text import clean_user_text

__all__ = [
    "ASK_KEYS",
    "ASK_LABELS",
    "ASK_OUTLINE",
    "BODY_LIMIT",
    "LINK_SECTION_FOR",
    "TITLE_LIMIT",
    "BodyTooLong",
    "Heading",
    "LinkSection",
    "ParsedAsk",
    "RenderedIssue",
    "clean_answers",
    "clean_title",
    "clean_user_text",
    "marker_for",
    "parse_ask",
    "render_ask",
]
