"""Core replies as Teams messages: Adaptive Cards (schema 1.5, 1.2-safe elements) and text.

Pure functions from core types to JSON, so every widget can be checked
without a server. Each returned `Outgoing` is one Teams message; lists are
split so no message comes near Teams' ~100 KB limit.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.teams import texts as t
from adapters.teams.markdown import escape
from adapters.teams.mentions import Mentions
from bot.conversation.forms import FormField, FormSpec
from bot.conversation.readiness import describe
from bot.render.escaping import unescape_text
from bot.types import Choice, ListItem, Reply, Say, ShowChart, ShowFiled, ShowList, ShowPreview

Json = dict[str, Any]

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_SCHEMA_VERSION = "1.5"
CARD_VERSION = 1
"""Bumped when the data our buttons carry changes; older cards are then recognised."""
ACTION_KEY = "dslp"
FIELD_PREFIX = "field:"
MAX_MESSAGE_BYTES = 28_000
MAX_ACTIONS = 6
PREVIEW_LIMIT = 16_000
ITEM_LIMIT = 4_000
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class Outgoing:
    """One Teams message: markdown text, or an Adaptive Card, with its mention entities."""

    text: str = ""
    card: Json | None = None
    entities: tuple[Json, ...] = ()


def render(replies: Sequence[Reply], names: Mapping[str, str] | None = None) -> list[Outgoing]:
    messages: list[Outgoing] = []
    for reply in replies:
        messages += render_one(reply, names or {})
    return messages


def render_one(reply: Reply, names: Mapping[str, str]) -> list[Outgoing]:
    if isinstance(reply, Say):
        return [say(reply, names)]
    if isinstance(reply, ShowPreview):
        return [preview(reply, names)]
    if isinstance(reply, ShowFiled):
        return [filed(reply, names)]
    if isinstance(reply, ShowChart):
        return [chart(reply, names)]
    return list_cards(reply, names)


def say(reply: Say, names: Mapping[str, str]) -> Outgoing:
    """Plain text unless there are buttons: text reads best in chat and in notifications."""
    if not reply.choices:
        mentions = Mentions(names, escape=True)
        return Outgoing(text=mentions.render(reply.text), entities=tuple(mentions.entities))
    mentions = Mentions(names)
    return adaptive(text_blocks(reply.text, mentions), choice_actions(reply.choices), mentions)


def preview(reply: ShowPreview, names: Mapping[str, str]) -> Outgoing:
    mentions = Mentions(names)
    body = [heading(mentions.render(reply.title)), *markdown_blocks(reply.body, mentions)]
    body += text_blocks(describe(reply.readiness), mentions, separator=True)
    return adaptive(body, choice_actions(reply.choices), mentions)


def chart(reply: ShowChart, names: Mapping[str, str]) -> Outgoing:
    """The numbers, then the picture inside the card (a data URI: no public URL to host)."""
    mentions = Mentions(names)
    image = base64.b64encode(reply.image).decode("ascii")
    picture = {
        "type": "Image",
        "url": f"data:image/png;base64,{image}",
        "altText": mentions.render(reply.alt),
        "size": "Stretch",
    }
    return adaptive([*text_blocks(reply.text, mentions), picture], [], mentions)


def filed(reply: ShowFiled, names: Mapping[str, str]) -> Outgoing:
    mentions = Mentions(names)
    title = t.FILED_TITLE.format(number=reply.number, title=mentions.render(reply.title))
    body = [heading(title), *text_blocks(reply.summary, mentions)]
    body += [block(mentions.render(w), color="Attention") for w in reply.warnings]
    return adaptive(body, [open_url(t.OPEN_ISSUE, reply.url)], mentions)


def list_cards(reply: ShowList, names: Mapping[str, str]) -> list[Outgoing]:
    """Items fill a card until the next one would pass MAX_MESSAGE_BYTES, then a new card starts."""
    if reply.folded:
        return [folded_card(reply, names)]
    cards: list[Outgoing] = []
    mentions = Mentions(names)
    body = [heading(mentions.render(reply.header))]
    for item in reply.items:
        trial = Mentions(names)
        elements = list_item(item, trial)
        merged = mentions.merged(trial)
        if len(body) > 1 and size(adaptive([*body, *elements], [], merged)) > MAX_MESSAGE_BYTES:
            cards.append(adaptive(body, [], mentions))
            mentions = trial
            continued = f"{mentions.render(reply.header)} {t.LIST_CONTINUED}"
            body = [heading(continued), *elements]
            continue
        mentions, body = merged, body + elements
    if reply.footer:
        body += text_blocks(reply.footer, mentions, separator=True)
    cards.append(adaptive(body, [], mentions))
    return cards


def folded_card(reply: ShowList, names: Mapping[str, str]) -> Outgoing:
    """A summary: its header, and its items behind a button (Action.ShowCard)."""
    mentions = Mentions(names)
    body = [heading(mentions.render(reply.header))]
    if reply.footer:
        body += text_blocks(reply.footer, mentions)
    listed = [block(mentions.render(item.text[:ITEM_LIMIT])) for item in reply.items]
    shown = {"type": "AdaptiveCard", "body": listed or [block(" ")]}
    title = t.SHOW_ITEMS.format(count=len(reply.items))
    return adaptive(body, [{"type": "Action.ShowCard", "title": title, "card": shown}], mentions)


def list_item(item: ListItem, mentions: Mentions) -> list[Json]:
    elements = text_blocks(item.text[:ITEM_LIMIT], mentions, separator=True)
    actions = choice_actions(item.choices)
    if actions:
        elements.append({"type": "ActionSet", "actions": actions})
    return elements


def form(
    spec: FormSpec,
    *,
    errors: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
    notice: str = "",
) -> Outgoing:
    """The form style of a flow; `typed` keeps what was sent when it comes back with errors."""
    errors = errors or {}
    body = [heading(escape(spec.title))]
    if notice:
        body.append(block(escape(notice), color="Attention" if errors else "Default"))
    for item in spec.fields:
        body += form_field(item, errors.get(item.key, ""), (typed or {}).get(item.key))
    data = {ACTION_KEY: "submit_form", "draft": spec.draft_id, "flow": spec.flow, "v": CARD_VERSION}
    return adaptive(body, [submit(t.FORM_SUBMIT, data)], Mentions())


def form_field(item: FormField, error: str, typed: str | None) -> list[Json]:
    need = t.FORM_REQUIRED if item.required else t.FORM_OPTIONAL
    value = item.value if typed is None else typed
    elements = [
        block(f"**{escape(item.label)}** ({need})", spacing="Medium"),
        block(escape(item.question), subtle=True),
        choice_input(item, value) if item.options else text_input(item, value),
    ]
    if error:
        elements.append(block(escape(t.FORM_FIELD_ERROR.format(error=error)), color="Attention"))
    return elements


def text_input(item: FormField, value: str) -> Json:
    return {
        "type": "Input.Text",
        "id": FIELD_PREFIX + item.key,
        "placeholder": t.FORM_EXAMPLE.format(example=item.example)[:300],
        "maxLength": item.max_length,
        "isMultiline": item.multiline,
        "value": value,
        "isRequired": item.required,
        "errorMessage": f"{item.label}: {t.FORM_REQUIRED}",
    }


def choice_input(item: FormField, value: str) -> Json:
    """A choice step as a compact select (Adaptive Cards 1.0+); the value is the option's own."""
    known = {option for option, _ in item.options}
    return {
        "type": "Input.ChoiceSet",
        "id": FIELD_PREFIX + item.key,
        "style": "compact",
        "choices": [{"title": label, "value": option} for option, label in item.options],
        "value": value if value in known else "",
        "placeholder": t.FORM_CHOOSE,
        "isRequired": item.required,
        "errorMessage": f"{item.label}: {t.FORM_REQUIRED}",
    }


def review(
    *, title: str, flow: str, draft_id: str, readiness: str, advice: Iterable[tuple[str, str]]
) -> Outgoing:
    """After a good form: the coaching and readiness, then File it or Edit."""
    mentions = Mentions()
    body = [heading(mentions.render(t.REVIEW_TITLE.format(title=title)))]
    body += text_blocks(readiness, mentions)
    tips = [t.REVIEW_ADVICE.format(label=label, advice=text) for label, text in advice]
    if tips:
        body += text_blocks("\n".join([t.REVIEW_COACHING, *tips]), mentions, separator=True)
    confirm = {ACTION_KEY: "confirm", "draft": draft_id, "flow": flow, "v": CARD_VERSION}
    edit = {ACTION_KEY: "form", "draft": draft_id, "flow": flow, "v": CARD_VERSION}
    return adaptive(body, [submit(t.FILE_IT, confirm), submit(t.EDIT, edit)], mentions)


def offer_form(text: str, flow: str, command: str = "") -> Outgoing:
    """A short card with the button that opens the form style of `flow`.

    `command` (`data 12`) is run again on press, so the form is checked and
    linked like the command, even if the chat's draft was cancelled meanwhile.
    """
    mentions = Mentions()
    data: Json = {ACTION_KEY: "form", "flow": flow, "v": CARD_VERSION}
    if command:
        data["command"] = command
    return adaptive(text_blocks(text, mentions), [submit(t.OPEN_FORM, data)], mentions)


# Building blocks


def adaptive(body: list[Json], actions: Sequence[Json], mentions: Mentions) -> Outgoing:
    content: Json = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_SCHEMA_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        content["actions"] = list(actions[:MAX_ACTIONS])
    if mentions.entities:
        content["msteams"]["entities"] = list(mentions.entities)
    return Outgoing(card=content)


def size(message: Outgoing) -> int:
    payload = {"text": message.text, "card": message.card, "entities": message.entities}
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def block(
    text: str,
    *,
    color: str = "Default",
    subtle: bool = False,
    spacing: str = "Default",
    separator: bool = False,
) -> Json:
    element: Json = {"type": "TextBlock", "text": text, "wrap": True}
    if color != "Default":
        element["color"] = color
    if subtle:
        element["isSubtle"] = True
    if spacing != "Default":
        element["spacing"] = spacing
    if separator:
        element["separator"] = True
    return element


def heading(text: str) -> Json:
    return {"type": "TextBlock", "text": text, "wrap": True, "weight": "Bolder", "size": "Medium"}


def text_blocks(text: str, mentions: Mentions, *, separator: bool = False) -> list[Json]:
    """One TextBlock per paragraph; lines inside a paragraph keep their breaks (lists)."""
    paragraphs = [p for p in mentions.render(text).split("\n\n") if p.strip()]
    blocks = [block(p) for p in paragraphs] or [block(" ")]
    if separator:
        blocks[0]["separator"] = True
    return blocks


def markdown_blocks(body: str, mentions: Mentions) -> list[Json]:
    """An issue body in card markdown: headings in bold, hidden comments dropped, kept short.

    GitHub's escapes come off first; the card's own escaping (in `mentions`) goes on after.
    """
    shortened = len(body) > PREVIEW_LIMIT
    lines = [line for line in body[:PREVIEW_LIMIT].splitlines() if not _COMMENT.match(line)]
    lines = unescape_text("\n".join(lines)).splitlines()
    lines = [_heading_as_bold(line) for line in lines]
    blocks = text_blocks("\n".join(lines), mentions)
    if shortened:
        blocks.append(block(t.PREVIEW_SHORTENED, subtle=True))
    return blocks


def _heading_as_bold(line: str) -> str:
    match = _HEADING.match(line)
    if match is None:
        return line.replace("- [ ] ", "- ☐ ").replace("- [x] ", "- ☑ ")
    return f"\n**{match.group(1).strip()}**"


def choice_actions(choices: Sequence[Choice]) -> list[Json]:
    return [open_url(c.label, c.url) if c.url else say_action(c) for c in choices]


def say_action(choice: Choice) -> Json:
    """A button whose value comes back as if typed; messageBack shows the label in the chat."""
    back = {"type": "messageBack", "text": choice.value, "displayText": choice.label}
    return submit(choice.label, {ACTION_KEY: "say", "text": choice.value, "msteams": back})


def submit(title: str, data: Json) -> Json:
    return {"type": "Action.Submit", "title": title, "data": data}


def open_url(title: str, url: str) -> Json:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


# Reading what a card sends back


@dataclass(frozen=True)
class CardAction:
    """What a pressed button carried. `kind` is "" for data we cannot read."""

    kind: str
    version: int | None = None
    draft_id: str = ""
    flow: str = ""
    text: str = ""
    command: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.version == CARD_VERSION


def parse_action(value: object) -> CardAction | None:
    """None when the value is not from one of our cards; never raises on odd shapes."""
    if not isinstance(value, Mapping) or ACTION_KEY not in value:
        return None
    kind = value.get(ACTION_KEY)
    version = value.get("v")
    return CardAction(
        kind=kind if isinstance(kind, str) else "",
        version=version if isinstance(version, int) and not isinstance(version, bool) else None,
        draft_id=_text(value.get("draft")),
        flow=_text(value.get("flow")),
        text=_text(value.get("text")),
        command=_text(value.get("command")),
        fields={
            key.removeprefix(FIELD_PREFIX): _text(raw)
            for key, raw in value.items()
            if isinstance(key, str) and key.startswith(FIELD_PREFIX)
        },
    )


def _text(raw: object) -> str:
    if isinstance(raw, str):
        return raw
    return "" if raw is None or isinstance(raw, (dict, list)) else str(raw)
