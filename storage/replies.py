"""Replies as JSON, so background work's messages can wait in the outbox like notices.

Explicit per type (not pickle, not a generic dataclass walk): a row written by
one version must still read in the next, and an unknown kind fails loudly.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from bot.types import (
    Choice,
    ListItem,
    Readiness,
    Reply,
    Say,
    ShowChart,
    ShowFiled,
    ShowList,
    ShowPreview,
)
from storage.values import from_json, to_json

Json = dict[str, Any]


def replies_to_json(replies: Sequence[Reply]) -> str:
    return to_json([_encode(reply) for reply in replies])


def replies_from_json(text: str) -> tuple[Reply, ...]:
    return tuple(_decode(item) for item in from_json(text))


def _choices(choices: Sequence[Choice]) -> list[list[str]]:
    return [[c.label, c.value, c.url] for c in choices]


def _choices_of(items: Sequence[Sequence[str]]) -> tuple[Choice, ...]:
    return tuple(Choice(label, value, url) for label, value, url in items)


def _encode(reply: Reply) -> Json:
    if isinstance(reply, Say):
        return {"kind": "say", "text": reply.text, "choices": _choices(reply.choices)}
    if isinstance(reply, ShowFiled):
        fields = [reply.number, reply.url, reply.title, reply.summary, list(reply.warnings)]
        return {"kind": "filed", "fields": fields}
    if isinstance(reply, ShowList):
        items = [[item.text, _choices(item.choices)] for item in reply.items]
        return {
            "kind": "list",
            "header": reply.header,
            "items": items,
            "footer": reply.footer,
            "folded": reply.folded,
        }
    if isinstance(reply, ShowChart):
        image = base64.b64encode(reply.image).decode("ascii")
        return {"kind": "chart", "fields": [reply.text, image, reply.name, reply.alt]}
    ready = reply.readiness
    return {
        "kind": "preview",
        "title": reply.title,
        "body": reply.body,
        "readiness": [
            list(ready.strong),
            [list(w) for w in ready.weak],
            list(ready.missing),
            list(ready.blocking),
        ],
        "choices": _choices(reply.choices),
    }


def _decode(item: Json) -> Reply:
    kind = item["kind"]
    if kind == "say":
        return Say(item["text"], _choices_of(item["choices"]))
    if kind == "filed":
        number, url, title, summary, warnings = item["fields"]
        return ShowFiled(number, url, title, summary, tuple(warnings))
    if kind == "list":
        items = tuple(ListItem(text, _choices_of(choices)) for text, choices in item["items"])
        return ShowList(item["header"], items, item["footer"], item.get("folded", False))
    if kind == "chart":
        text, image, name, alt = item["fields"]
        return ShowChart(text, base64.b64decode(image), name, alt)
    if kind == "preview":
        strong, weak, missing, blocking = item["readiness"]
        ready = Readiness(
            tuple(strong), tuple((a, b) for a, b in weak), tuple(missing), tuple(blocking)
        )
        return ShowPreview(item["title"], item["body"], ready, _choices_of(item["choices"]))
    raise ValueError(f"unknown reply kind {kind!r}")
