"""Slack places: a channel (and thread) to answer in, and whom to tell when the channel is gone.

A draft's origin is stored as a `Place`, and the filing result and later
notices go back to it. In Slack that channel can be archived or private
to the bot by then, so the place of an Ask carries its owner too:
`channel_id` is `C123` or `C123/U456` (post in C123; if that fails, DM
U456). A direct message is the core's own `dm:U456`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.types import Place, Platform

OWNER_SEPARATOR = "/"


@dataclass(frozen=True)
class Target:
    channel: str
    thread: str = ""
    owner: str = ""

    @property
    def direct(self) -> bool:
        return not self.channel


def channel_place(
    *, channel: str, team: str, thread: str = "", owner: str = "", org: str = ""
) -> Place:
    """`team` and `org` are the workspace (and Grid org) the request came through."""
    channel_id = f"{channel}{OWNER_SEPARATOR}{owner}" if owner else channel
    return Place(Platform.SLACK, channel_id, team, thread, org)


def direct_place(*, user: str, team: str, org: str = "") -> Place:
    return Place(Platform.SLACK, f"dm:{user}", team, org_id=org)


def target(place: Place) -> Target:
    if place.is_direct:
        return Target("", owner=place.direct_user)
    channel, _, owner = place.channel_id.partition(OWNER_SEPARATOR)
    return Target(channel, place.thread_id, owner)
