"""Teams mentions in command text, rewritten to the core's mention tokens.

Teams writes a mention as `<at>Bob</at>` in the text plus a `mention`
entity naming the user. `role add ml-engineer @Bob` must store the same
member key the adapter gives Bob when he talks to the bot (his Entra
object id, see `bot.person_of`), or a role notice would never find him.
The bot's own mention is dropped; a mention we cannot tie to a user key
stays as the plain name (it pings nobody and grants nothing).
"""

from __future__ import annotations

import html
import re
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from microsoft_agents.activity import Activity, ChannelAccount

from bot.mentions import mention, untrusted
from bot.types import Platform

_AT_TAGS = re.compile(r"</?at>", re.IGNORECASE)

Resolve = Callable[[str], Awaitable[str]]
"""A Teams user id (`29:...`) -> that user's key (Entra object id), or "" when unknown."""


@dataclass(frozen=True)
class Found:
    """One mention in the text: its markup, and the member key it stands for ("" = none)."""

    markup: str
    key: str
    name: str


def user_key(account: ChannelAccount) -> str:
    """The key `person_of` uses: the Entra object id when known, else the Teams id."""
    return str(account.aad_object_id or account.id or "")


def member_key(tenant_id: str, user: str) -> str:
    return f"{Platform.TEAMS}:{tenant_id}:{user}"


def rewrite(text: str, found: Sequence[Found]) -> str:
    """The typed words with each mention as a token (or plain name); the rest as plain text.

    Each `<at>...</at>` in the text takes the first unused entity with the same
    markup (so the same name twice maps in order); one pass over the text and
    one over the entities, however many there are. Plain parts lose `<at>` tags,
    HTML entities and no-break spaces, and any token delimiter typed by the user,
    so nobody forges a mention by typing one.
    """
    waiting: dict[str, deque[Found]] = {}
    for item in found:
        waiting.setdefault(item.markup, deque()).append(item)
    parts: list[str] = []
    done = 0
    for start, end in _tags(text):
        queue = waiting.get(text[start:end])
        if not queue:
            continue
        item = queue.popleft()
        parts += [_plain(text[done:start]), mention(item.key) if item.key else _plain(item.name)]
        done = end
    parts.append(_plain(text[done:]))
    return "".join(parts).replace("\xa0", " ").strip()


def _tags(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `<at>...</at>`, innermost: an unclosed `<at>` is never rescanned."""
    opened: int | None = None
    for tag in _AT_TAGS.finditer(text):
        if not tag.group().startswith("</"):
            opened = tag.start()
        elif opened is not None:
            yield opened, tag.end()
            opened = None


def _plain(text: str) -> str:
    return untrusted(html.unescape(_AT_TAGS.sub("", text)))


async def mentions_of(activity: Activity, tenant_id: str, resolve: Resolve) -> list[Found]:
    """Every mention entity of the message; the bot's own becomes "" (dropped)."""
    bot_id = activity.recipient.id if activity.recipient else ""
    found: list[Found] = []
    for entity in activity.get_mentions():
        account = entity.mentioned
        if not entity.text or account is None or not account.id:
            continue
        if account.id == bot_id:
            found.append(Found(entity.text, "", ""))
            continue
        user = await _user(account, resolve)
        key = member_key(tenant_id, user) if user and tenant_id else ""
        found.append(Found(entity.text, key, account.name or ""))
    return found


async def _user(account: ChannelAccount, resolve: Resolve) -> str:
    """Teams often leaves the Entra id out of mention entities: ask the connector then."""
    user = user_key(account)
    if account.aad_object_id or ":" not in user:
        return user
    return await resolve(user)


def names(found: Sequence[Found]) -> Mapping[str, str]:
    """Member key -> the name as typed, so the answer can mention people right away."""
    return {item.key: item.name for item in found if item.key and item.name}
