"""Slack payloads -> core types: who is asking, from where, with which words.

Pure functions of the payload dicts. Payloads are signed by Slack, but
their text is still outside text: mention delimiters are stripped
(`untrusted`), Slack's entities undone and length capped before the core
sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.slack.blocks import unescape
from adapters.slack.mentions_in import tokens_from_slack
from bot.mentions import untrusted
from bot.types import Person, Platform

MAX_TEXT = 40_000
DM_PREFIX = "D"
Payload = Mapping[str, Any]


def text_of(raw: object, team_id: str = "", *, bot_user: str = "") -> str:
    """What the person typed, as the core wants it.

    Forged token delimiters go first; then, given the team, Slack's own
    mention markup (`<@U1|ana>`, `<!subteam^S1>`) becomes core mention
    tokens (the bot's own mention is dropped) and links and channels plain
    text; last, entities are undone, so a typed `&lt;@U1&gt;` stays text.
    """
    text = untrusted(raw[:MAX_TEXT] if isinstance(raw, str) else "")
    if team_id:
        text = tokens_from_slack(text, team_id, bot_user=bot_user)
    return unescape(text)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> Payload:
    return value if isinstance(value, Mapping) else {}


def org_of(body: Payload) -> str:
    """The Enterprise Grid org the request came through (commands and events: `enterprise_id`,
    interactions: `enterprise.id`); "" outside Grid."""
    return _str(body.get("enterprise_id")) or _str(_dict(body.get("enterprise")).get("id"))


def channel_owner(body: Payload, person: Person) -> tuple[str, str]:
    """(team, Grid org) a channel's settings belong to: the workspace the request came
    through, which owns the channel as far as this installation is concerned (in a Slack
    Connect channel it is not the guest's own); the person's when the payload has none."""
    team = _str(body.get("team_id")) or _str(_dict(body.get("team")).get("id"))
    return (team, org_of(body)) if team else (person.team_id, person.org_id)


def command_person(body: Payload) -> Person:
    return Person(
        Platform.SLACK,
        _str(body.get("user_id")),
        _str(body.get("team_id")),
        _str(body.get("user_name")),
        org_of(body),
    )


def interaction_person(body: Payload) -> Person:
    """block_actions, view_submission and shortcuts carry `user` as an object.

    The person's scope is their own workspace (`user.team_id`): a Slack Connect
    guest from another organisation keeps theirs, and the request's Grid org is
    theirs only when they belong to the workspace the request came through.
    """
    user = _dict(body.get("user"))
    request_team = _str(_dict(body.get("team")).get("id"))
    team = _str(user.get("team_id")) or request_team
    name = _str(user.get("name")) or _str(user.get("username"))
    org = org_of(body) if team == request_team or not request_team else ""
    return Person(Platform.SLACK, _str(user.get("id")), team, name, org)


def event_person(body: Payload) -> Person:
    event = _dict(body.get("event"))
    team = _str(body.get("team_id"))
    return Person(Platform.SLACK, _str(event.get("user")), team, org_id=org_of(body))


def is_direct_channel(channel: str) -> bool:
    return channel.startswith(DM_PREFIX)


def is_person_dm(event: Payload) -> bool:
    """A plain message a person wrote to the bot: no edits, joins or bot posts."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(_str(event.get("user")))
    )


def action_channel(body: Payload) -> tuple[str, str]:
    """(channel, thread ts) of the message a button sits in; ("", "") on a Home tab or modal."""
    channel = _str(_dict(body.get("channel")).get("id")) or _str(
        _dict(body.get("container")).get("channel_id")
    )
    message = _dict(body.get("message"))
    return channel, _str(message.get("thread_ts"))


def first_action(body: Payload) -> Payload:
    actions = body.get("actions")
    return _dict(actions[0]) if isinstance(actions, list) and actions else {}


def origin_label(channel_name: str) -> str:
    """How the issue footer names where it was framed."""
    hidden = not channel_name or channel_name in {"directmessage", "privategroup"}
    return "Slack" if hidden else f"Slack #{channel_name}"
