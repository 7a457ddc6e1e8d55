"""Mention tokens from the core (bot/mentions.py) as Teams `<at>` mentions.

A Teams mention is the text `<at>Name</at>` plus an entity naming the user
it points at; without the entity the text pings nobody. The collector keeps
the entities of one message so the card or activity can carry them.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from adapters.teams import markdown
from bot.mentions import GROUP, Mention, split_mentions
from bot.types import Platform, Reply, Say, ShowChart, ShowFiled, ShowPreview

SOMEONE = "someone"


class Mentions:
    """Renders the mention tokens of one message and remembers their entities."""

    def __init__(self, names: Mapping[str, str] | None = None, *, escape: bool = False) -> None:
        self._names = names or {}
        self._escape = escape
        self.entities: list[dict[str, Any]] = []

    def render(self, text: str) -> str:
        """Plain parts escaped for Teams Markdown, and HTML-escaped too in text messages."""
        parts = [
            self._mention(part) if isinstance(part, Mention) else self._plain(part)
            for part in split_mentions(text)
        ]
        return "".join(parts)

    def merged(self, other: Mentions) -> Mentions:
        """A collector holding both messages' entities (when two parts become one card)."""
        both = Mentions(self._names, escape=self._escape)
        both.entities = [*self.entities, *(e for e in other.entities if e not in self.entities)]
        return both

    def _plain(self, text: str) -> str:
        return markdown.escape(text, html_text=self._escape)

    def _mention(self, mention: Mention) -> str:
        name = self._names.get(mention.key) or SOMEONE
        if mention.platform != Platform.TEAMS or mention.is_group:
            return self._plain(name)
        markup = f"<at>{html.escape(name, quote=False)}</at>"
        entity = _entity(markup, mention.member_id, name)
        if entity not in self.entities:
            self.entities.append(entity)
        return markup


def _entity(markup: str, member_id: str, name: str) -> dict[str, Any]:
    return {"type": "mention", "text": markup, "mentioned": {"id": member_id, "name": name}}


class NameLookup(Protocol):
    async def names(self, *, tenant_id: str, user_ids: list[str]) -> dict[str, str]: ...


async def names_for(replies: Sequence[Reply], lookup: NameLookup) -> dict[str, str]:
    """Display names for the Teams people the replies mention (member key -> name)."""
    wanted: dict[str, list[str]] = {}
    for key in mentioned_keys(replies):
        platform, _, rest = key.partition(":")
        tenant, _, user_id = rest.rpartition(":")
        if platform == Platform.TEAMS and user_id and GROUP not in key:
            wanted.setdefault(tenant, []).append(user_id)
    names: dict[str, str] = {}
    for tenant, user_ids in wanted.items():
        found = await lookup.names(tenant_id=tenant, user_ids=user_ids)
        names.update({f"{Platform.TEAMS}:{tenant}:{uid}": name for uid, name in found.items()})
    return names


def mentioned_keys(replies: Sequence[Reply]) -> set[str]:
    keys: set[str] = set()
    for text in _texts(replies):
        keys.update(part.key for part in split_mentions(text) if isinstance(part, Mention))
    return keys


def _texts(replies: Sequence[Reply]) -> Iterator[str]:
    for reply in replies:
        if isinstance(reply, Say):
            yield reply.text
        elif isinstance(reply, ShowPreview):
            yield from (reply.title, reply.body)
        elif isinstance(reply, ShowFiled):
            yield from (reply.title, reply.summary, *reply.warnings)
        elif isinstance(reply, ShowChart):
            yield from (reply.text, reply.alt)
        else:
            yield from (reply.header, reply.footer, *(item.text for item in reply.items))
