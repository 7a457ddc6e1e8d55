"""Core replies as Block Kit, within Slack's limits.

Everything that is not a mention token is escaped (`&`, `<`, `>`), so no
answer, title or issue text can become `<!channel>` or a fake user mention;
only the core's own tokens (bot/mentions.py) turn into `<@U…>` and
`<!subteam^S…>`. The core's `**bold**` becomes Slack's `*bold*`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.slack import texts as t
from bot.conversation.readiness import describe
from bot.mentions import Mention, split_mentions
from bot.types import Choice, ListItem, Reply, Say, ShowChart, ShowFiled, ShowList, ShowPreview

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_MODAL_BLOCKS = 100
MAX_SECTION = 3000
MAX_BUTTONS = 25
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_HEADER = 150
MAX_FALLBACK = 3000
PREVIEW_SECTIONS = 6
CHOICE_ACTION = "dslp_choice"
LINK_ACTION = "dslp_link"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SLACK_ID = re.compile(r"[A-Z0-9]{2,40}")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Message:
    """One chat.postMessage: `text` is the notification fallback, `blocks` what is shown."""

    text: str
    blocks: tuple[Block, ...]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack sends typed `&`, `<`, `>` as entities; the core wants what the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mrkdwn(text: str) -> str:
    """Core text -> Slack mrkdwn: escaped, with mention tokens made real and **bold** as *bold*."""
    parts = [_mention(p) if isinstance(p, Mention) else escape(p) for p in split_mentions(text)]
    return _BOLD.sub(r"*\1*", "".join(parts))


def _mention(mention: Mention) -> str:
    """Only well-formed Slack ids become mentions; anything else is shown as text."""
    member = mention.member_id
    if mention.platform != "slack" or not _SLACK_ID.fullmatch(member):
        return escape(member)
    return f"<!subteam^{member}>" if mention.is_group else f"<@{member}>"


def chunks(text: str, limit: int = MAX_SECTION) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where there is one."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*pieces, text] if text.strip() else pieces


def plain(text: str, limit: int) -> Block:
    clipped = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": clipped or " ", "emoji": True}


def sections(slack_text: str) -> list[Block]:
    """Sections for text already in mrkdwn; long text spreads over several."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks(slack_text)]


def context(slack_text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": chunks(slack_text)[0]}]}


def button(choice: Choice) -> Block:
    element: Block = {"type": "button", "text": plain(choice.label, MAX_BUTTON_TEXT)}
    if choice.url:
        return {**element, "action_id": LINK_ACTION, "url": choice.url}
    return {**element, "action_id": CHOICE_ACTION, "value": choice.value[:MAX_VALUE]}


def buttons(choices: Sequence[Choice]) -> list[Block]:
    rows = [choices[i : i + MAX_BUTTONS] for i in range(0, len(choices), MAX_BUTTONS)]
    return [{"type": "actions", "elements": [button(c) for c in row]} for row in rows]


def reply_blocks(reply: Reply) -> list[Block]:
    if isinstance(reply, Say):
        return sections(mrkdwn(reply.text)) + buttons(reply.choices)
    if isinstance(reply, ShowPreview):
        return preview_blocks(reply)
    if isinstance(reply, ShowFiled):
        return filed_blocks(reply)
    if isinstance(reply, ShowChart):  # the picture itself is uploaded (adapters/slack/files.py)
        return sections(mrkdwn(reply.text))
    return list_blocks(reply)


def preview_blocks(reply: ShowPreview) -> list[Block]:
    """The issue body as Slack shows it, shortened: the full text is in the issue itself."""
    header = {"type": "header", "text": plain(reply.title, MAX_HEADER)}
    body = _HEADING.sub(r"**\1**", reply.body)
    shown = sections(mrkdwn(body))
    if len(shown) > PREVIEW_SECTIONS:
        shown = [*shown[:PREVIEW_SECTIONS], context("…")]
    summary = sections(mrkdwn(describe(reply.readiness)))
    return [header, *shown, {"type": "divider"}, *summary, *buttons(reply.choices)]


def link_url(url: str) -> str:
    """A URL safe inside `<url|label>`: the three characters that would end or split it, encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def filed_blocks(reply: ShowFiled) -> list[Block]:
    line = t.FILED_LINE.format(
        url=link_url(reply.url), number=reply.number, title=escape(reply.title)
    )
    text = "\n".join([line, mrkdwn(reply.summary)])
    warnings = [block for w in reply.warnings for block in sections(":warning: " + mrkdwn(w))]
    return [*sections(text), *warnings, *buttons([Choice(t.CHOICE_OPEN, url=reply.url)])]


def list_blocks(reply: ShowList) -> list[Block]:
    footer = [context(mrkdwn(reply.footer))] if reply.footer.strip() else []
    if reply.folded:  # a summary: one compact bullet per item, no buttons, few blocks
        bullets = "\n".join(f"- {item.text}" for item in reply.items)
        return [*sections(mrkdwn(reply.header)), *sections(mrkdwn(bullets)), *footer]
    items = [block for item in reply.items for block in _item_blocks(item)]
    return [*sections(mrkdwn(reply.header)), *items, *footer]


def _item_blocks(item: ListItem) -> list[Block]:
    return sections(mrkdwn(item.text)) + buttons(item.choices)


def fallback(replies: Sequence[Reply]) -> str:
    """Notification text: the first words of the first reply."""
    for reply in replies:
        text = reply.text if isinstance(reply, Say) else _reply_title(reply)
        if text.strip():
            return chunks(mrkdwn(text), MAX_FALLBACK)[0]
    return " "


def _reply_title(reply: Reply) -> str:
    if isinstance(reply, ShowList):
        return reply.header
    if isinstance(reply, ShowChart):
        return reply.text
    if isinstance(reply, (ShowPreview, ShowFiled)):
        return reply.title
    return ""


def messages(replies: Sequence[Reply], limit: int = MAX_BLOCKS) -> list[Message]:
    """All replies as few messages as fit: at most `limit` blocks each, action ids unique."""
    blocks = [block for reply in replies for block in reply_blocks(reply)]
    text = fallback(replies)
    packed = [blocks[i : i + limit] for i in range(0, len(blocks), limit)]
    return [Message(text, tuple(number_actions(page))) for page in packed]


def number_actions(blocks: Iterable[Block]) -> list[Block]:
    """Slack rejects a message whose buttons share an action_id; handlers match on the prefix."""
    numbered: list[Block] = []
    count = 0
    for block in blocks:
        if block["type"] == "actions":
            elements = []
            for element in block["elements"]:
                elements.append({**element, "action_id": f"{element['action_id']}:{count}"})
                count += 1
            block = {**block, "elements": elements}
        numbered.append(block)
    return numbered
