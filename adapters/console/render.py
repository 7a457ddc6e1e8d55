"""Core replies as terminal text."""

from __future__ import annotations

import re

from bot.conversation.readiness import describe
from bot.types import ListItem, Reply, Say, ShowFiled, ShowList, ShowPreview

_BOLD = re.compile(r"\*\*(.+?)\*\*")
RULE = "-" * 72


def plain(text: str) -> str:
    """The core's small Markdown subset reads fine in a terminal without the asterisks."""
    return _BOLD.sub(r"\1", text)


def choices_hint(reply: Say | ShowPreview | ListItem) -> str:
    if not reply.choices:
        return ""
    words = ", ".join(f"`{c.value}`" for c in reply.choices if c.value)
    links = " ".join(c.url for c in reply.choices if c.url)
    hint = f"\n(you can type: {words})" if words else ""
    return hint + (f"\n{links}" if links else "")


def format_reply(reply: Reply) -> str:
    if isinstance(reply, Say):
        return plain(reply.text) + choices_hint(reply)
    if isinstance(reply, ShowPreview):
        framed = "\n".join([RULE, f"# {reply.title}", "", reply.body, RULE])
        return framed + "\n" + describe(reply.readiness) + choices_hint(reply)
    if isinstance(reply, ShowList):
        return format_list(reply)
    return format_filed(reply)


def format_list(reply: ShowList) -> str:
    items = [f"- {plain(item.text)}{choices_hint(item)}" for item in reply.items]
    return "\n".join(filter(None, [plain(reply.header), *items, plain(reply.footer)]))


def format_filed(reply: ShowFiled) -> str:
    lines = [f"Filed #{reply.number} “{reply.title}”", reply.url, reply.summary, *reply.warnings]
    return "\n".join(lines)
