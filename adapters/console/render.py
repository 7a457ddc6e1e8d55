"""Core replies as terminal text."""

from __future__ import annotations

import re

from bot.conversation.readiness import describe
from bot.types import ListItem, Reply, Say, ShowChart, ShowFiled, ShowList, ShowPreview

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
    if isinstance(reply, ShowChart):
        return format_table(reply.text)
    return format_filed(reply)


def format_list(reply: ShowList) -> str:
    items = [f"- {plain(item.text)}{choices_hint(item)}" for item in reply.items]
    return "\n".join(filter(None, [plain(reply.header), *items, plain(reply.footer)]))


def format_filed(reply: ShowFiled) -> str:
    lines = [f"Filed #{reply.number} “{reply.title}”", reply.url, reply.summary, *reply.warnings]
    return "\n".join(lines)


def format_table(text: str) -> str:
    """`**Label:** value` lines as a two-column table; other lines as they are."""
    rows = [_row(line) for line in text.splitlines() if line.strip()]
    width = max((len(label) for label, _ in rows if label), default=0)
    return "\n".join(f"{label.ljust(width)} | {value}" if label else value for label, value in rows)


def _row(line: str) -> tuple[str, str]:
    label, found, value = line.partition(":** ")
    if not found or not label.startswith("**"):
        return "", plain(line)
    return label.removeprefix("**"), plain(value)


def format_chart_path(path: str) -> str:
    return f"Chart: {path}"
