"""The message action "Frame as DSLP Ask": Teams' counterpart of Slack's message shortcut.

Teams sends `composeExtension/fetchTask` when someone picks the action on a
message: the answer is a task module (a dialog) holding the Ask form,
prefilled with the message and a link to it, on the person's own Ask draft,
the one the chat with the bot shares. What the dialog's buttons send comes
back as `composeExtension/submitAction`, with the card's data: the form, its
review and *File it* go through the same card handling as in the chat. The
draft's place is the message's thread, so the filed Ask is announced in a
reply to that message.

Pure translation: the message's HTML to plain text, the invoke's value to a
place and a prefill, card messages to a task-module answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from adapters.teams import texts as t
from adapters.teams.cards import CARD_CONTENT_TYPE, Outgoing, block
from bot.ask.from_message import problem_from_message
from bot.mentions import untrusted

FETCH_TASK = "composeExtension/fetchTask"
SUBMIT_ACTION = "composeExtension/submitAction"
COMMAND_ID = "frameAsk"
MAX_HTML = 200_000
"""A message's HTML past this is not read further (Teams messages stay well below it)."""
LINK_HOSTS = frozenset({"teams.microsoft.com", "teams.cloud.microsoft", "teams.live.com"})
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
Json = dict[str, Any]


@dataclass(frozen=True)
class Source:
    """The message the action was picked on: its words, a link back, and its thread's root."""

    text: str
    link: str
    thread: str


def source_of(value: object) -> Source | None:
    """None when the invoke is not our command on a message (another command, a bad shape)."""
    if not isinstance(value, Mapping) or value.get("commandId") != COMMAND_ID:
        return None
    payload = value.get("messagePayload")
    payload = payload if isinstance(payload, Mapping) else {}
    body = payload.get("body")
    body = body if isinstance(body, Mapping) else {}
    content = _str(body.get("content"))[:MAX_HTML]
    text = html_text(content) if _str(body.get("contentType")).casefold() == "html" else content
    thread = _str(payload.get("replyToId")) or _str(payload.get("id"))
    return Source(untrusted(text).strip(), safe_link(_str(payload.get("linkToMessage"))), thread)


def prefill(source: Source) -> dict[str, str]:
    problem = problem_from_message(source.text, source.link, t.FROM_MESSAGE)
    return {"problem": problem} if problem.strip() else {}


def card_data(value: object) -> object:
    """What a dialog's Action.Submit sent: the card's data with its inputs."""
    return value.get("data") if isinstance(value, Mapping) else None


def safe_link(url: str) -> str:
    """Only an https link into Teams itself goes into the Ask.

    Its `@` (channel ids: `19:abc@thread.tacv2`) is percent-encoded: the issue's
    escaping breaks every `@` so nobody is mentioned on GitHub, which would cut the link."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or (parts.hostname or "") not in LINK_HOSTS or parts.username:
        return ""
    return url.strip().replace("@", "%40").replace(" ", "%20")


def html_text(content: str) -> str:
    """A message's HTML as the words people read: tags gone, breaks kept, entities undone."""
    reader = _Reader()
    reader.feed(content)
    reader.close()
    lines = "".join(reader.parts).replace("\xa0", " ").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def task_answer(messages: Sequence[Outgoing]) -> Json:
    """The dialog's next state: the last card (what was said before it on top), or a message.

    A card's buttons (Review, File it, Edit) send submitAction again; text alone
    (the Ask is being filed, a refusal) closes the form with that sentence."""
    texts = [m.text for m in messages if m.text]
    cards = [m.card for m in messages if m.card is not None]
    if not cards:
        return {"task": {"type": "message", "value": "\n\n".join(texts) or t.TASK_DONE}}
    card = dict(cards[-1])
    card["body"] = [block(text) for text in texts] + list(card.get("body", []))
    return continue_with(card)


def continue_with(card: Json) -> Json:
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": t.TASK_TITLE,
                "height": "large",
                "width": "large",
                "card": {"contentType": CARD_CONTENT_TYPE, "content": card},
            },
        }
    }


def refusal(text: str) -> Json:
    return {"task": {"type": "message", "value": text}}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
