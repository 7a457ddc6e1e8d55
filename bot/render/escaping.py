"""Reversible escaping of user text placed in an issue body.

What people type must show as they typed it, but must not notify anyone
(@-mentions), inject HTML or comments, or fake the Ask's own headings. Every
escape here has exactly one inverse, so the parser returns the text as it was
cleaned, and an Ask can be edited in the bot, rendered again and compared.
It relies on `clean_user_text` having removed U+200B: the only zero width
spaces after `@` in a body are then the ones this module put there.
"""

from __future__ import annotations

import re

from bot.render.fences import close_fence, reopen_fence

ZWSP = "\u200b"

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\u2014": "&mdash;"}
_DECODE = re.compile("|".join(re.escape(entity) for entity in _ENTITIES.values()))
_CHARS = {entity: char for char, entity in _ENTITIES.items()}

# `<` opens tags and comments; `>` only matters where it could end a comment.
_BLOCK_HTML = re.compile(r"[&<]|(?<=--)>|(?<=--!)>")
# Everything in one-line text (link titles, names) that could fake our own syntax.
_INLINE_HTML = re.compile("[&<>\u2014]")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")

# Lines that would become headings: `# ...` and setext underlines (`===`, `---`) that turn the
# line above into one, also inside a list item or a quote (`- # x`, `> ---`). The escape is one
# more backslash where the heading starts; backslashes people typed there are part of what is
# escaped, so every escape has exactly one inverse. Lists, quotes, tables and code in a
# multi-line answer are the person's own formatting and stay: the blank line the renderer puts
# after an answer ends them (an unclosed fence is closed), so they cannot reach our parts.
_HEADING = r"\\*(?:#|=+[ \t]*$|-+[ \t]*$)"
_CONTAINERS = r"[ \t]*(?:(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*)*"
_HEADING_START = re.compile(rf"^({_CONTAINERS})({_HEADING})", re.MULTILINE)
_HEADING_ESCAPED = re.compile(rf"^({_CONTAINERS})\\({_HEADING})", re.MULTILINE)
# A one-line value on a line of its own (a dataset name) means no block at all: whatever
# would start one is escaped at the line's start (before the `.` or `)` of an ordered list
# marker, where a leading backslash would show). `<` is always an entity, clean lines have no
# indent, and a table needs a second line, so those need nothing here.
_BLOCK = r"\\*(?:#|=+[ \t]*$|-+[ \t]*$|>|[-+*](?=[ \t]|$)|`{3,}|~{3,}|(?:[*_][ \t]*){3,}$)"
_ORDERED = r"\\*[.)](?=[ \t]|$)"
_LINE_STARTS = (re.compile(rf"^()({_BLOCK})"), re.compile(rf"^(\d{{1,9}})({_ORDERED})"))
_LINE_ESCAPED = (re.compile(rf"^()\\({_BLOCK})"), re.compile(rf"^(\d{{1,9}})\\({_ORDERED})"))


def _entities(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda match: _ENTITIES[match.group()], text)


def _decode_entities(text: str) -> str:
    """One pass, so `&amp;lt;` (a typed `&lt;`) becomes `&lt;` again and not `<`."""
    return _DECODE.sub(lambda match: _CHARS[match.group()], text)


def neutralise_mentions(text: str) -> str:
    """`@alice` -> `@\\u200balice`: reads the same, but GitHub notifies nobody."""
    return _MENTION.sub("@" + ZWSP, text)


def restore_mentions(text: str) -> str:
    return text.replace("@" + ZWSP, "@")


def escape_block(text: str) -> str:
    """Escape multi-line cleaned user text; lists, bold, code, links and `#123` stay Markdown."""
    text = neutralise_mentions(_entities(_BLOCK_HTML, text))
    return close_fence(_HEADING_START.sub(r"\1\\\2", text))


def unescape_block(text: str) -> str:
    """The exact inverse of `escape_block`."""
    return unescape_text(reopen_fence(text))


def unescape_text(text: str) -> str:
    """Undo the character escapes of `escape_block`; also fine on text people typed on GitHub."""
    text = _HEADING_ESCAPED.sub(r"\1\2", text)
    return _decode_entities(restore_mentions(text))


def escape_inline(text: str) -> str:
    """Escape one line of cleaned text that sits inside our own syntax (a link line, the footer)."""
    return neutralise_mentions(_entities(_INLINE_HTML, text))


def escape_line(text: str) -> str:
    """Escape one cleaned line that stands on a line of its own: it starts no block."""
    text = escape_inline(text)
    for pattern in _LINE_STARTS:
        text = pattern.sub(r"\1\\\2", text, count=1)
    return text


def unescape_line(text: str) -> str:
    """The exact inverse of `escape_line` (at most one of its escapes applies)."""
    for pattern in _LINE_ESCAPED:
        text = pattern.sub(r"\1\2", text, count=1)
    return unescape_inline(text)


def unescape_inline(text: str) -> str:
    return _decode_entities(restore_mentions(text))
