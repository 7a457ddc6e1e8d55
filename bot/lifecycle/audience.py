"""From a notice's audience words to concrete places and mentions.

Pure: the caller looks up who is who (`Directory`) and passes it in. People
and groups are reached by a mention in a subscribed channel of their own
scope (the workspace, Grid org or tenant their role or link was made in),
or by direct message, as configured: a login linked in one workspace never
turns into a mention in another's channel. A Slack user
group cannot receive a DM, so with no channel it is skipped. One message
per place: everybody reached in a place is mentioned in that one message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.lifecycle.events import TrackerEvent
from bot.lifecycle.rules import (
    ASSIGNEES,
    CHANNEL,
    REQUESTER,
    ROLES_VIA_DM,
    WATCHERS,
    AskContext,
    Notice,
    NotifyConfig,
)
from bot.mentions import Mention, mention
from bot.texts import notifications as t
from bot.types import DIRECT_PREFIX, Choice, Issue, Member, Place


@dataclass(frozen=True)
class Directory:
    """Who is who for one repository, looked up for one event, every member with its scope."""

    roles: Mapping[str, tuple[Member, ...]]
    logins: Mapping[str, tuple[Member, ...]]
    channels: tuple[Place, ...]
    watchers: tuple[Place, ...] = ()

    def members_for_login(self, login: str) -> tuple[Member, ...]:
        return self.logins.get(login.casefold(), ()) if login else ()


@dataclass(frozen=True)
class Delivery:
    """One message to one place; `key` is unique for it, forever."""

    key: str
    place: Place
    text: str
    choices: tuple[Choice, ...]
    rule: str
    ask_number: int | None


@dataclass(frozen=True)
class Recording:
    """An event and what it causes, decided but not yet written.

    Deciding only reads; the worker writes the recordings of a whole batch
    in one transaction (`EventJournal.record_all`), so a backlog costs one
    commit per batch rather than one per event.
    """

    event: TrackerEvent
    ask_number: int | None
    deliveries: tuple[Delivery, ...]
    phase: str | None = None


def place_key(place: Place) -> str:
    return f"{place.platform}:{place.team_id}:{place.channel_id}:{place.thread_id}"


def direct_place(member: str) -> Place | None:
    """A person's DM place from their member key; None for groups and odd keys."""
    parts = member.split(":")
    if Mention(member).is_group or len(parts) != 3 or not parts[2]:
        return None
    return Place(parts[0], DIRECT_PREFIX + parts[2], parts[1])


def plan(
    notice: Notice,
    *,
    issue: Issue,
    context: AskContext,
    directory: Directory,
    config: NotifyConfig,
) -> tuple[Delivery, ...]:
    targets = _Targets(directory, config)
    for word in notice.audience:
        if word == CHANNEL:
            targets.places(directory.channels)
        elif word == WATCHERS:
            targets.places(directory.watchers)
        elif word == REQUESTER:
            targets.requester(context)
        elif word == ASSIGNEES:
            targets.people(_logins_to_members(directory, issue.assignees))
        else:
            targets.people(directory.roles.get(word, ()))
    return tuple(
        _delivery(notice, place, keys, alone=place in targets.requester_only())
        for place, keys in targets.found.items()
    )


def _logins_to_members(directory: Directory, logins: Sequence[str]) -> list[Member]:
    return [member for login in logins for member in directory.members_for_login(login)]


def _delivery(notice: Notice, place: Place, members: list[str], *, alone: bool) -> Delivery:
    """`alone`: only the requester is reached there (their thread or DM): their copy counts
    once per `requester_scope` when it has one, and carries the Mute button."""
    text = notice.requester_text if alone and notice.requester_text else notice.text
    if members:
        text = t.MENTIONS.format(mentions=" ".join(mention(key) for key in members), text=text)
    scope = notice.requester_scope if alone and notice.requester_scope else notice.scope
    choices = notice.choices + (notice.requester_choices if alone else ())
    key = f"{scope}|{place_key(place)}"
    return Delivery(key, place, text, choices, notice.rule, notice.ask_number)


class _Targets:
    """Places in the order first reached, each with the members to mention there."""

    def __init__(self, directory: Directory, config: NotifyConfig) -> None:
        self._directory = directory
        self._via_dm = config.roles_via == ROLES_VIA_DM
        self.found: dict[Place, list[str]] = {}
        self._requester: set[Place] = set()
        self._others: set[Place] = set()

    def places(self, places: Sequence[Place], member: str = "", *, requester: bool = False) -> None:
        for place in places:
            members = self.found.setdefault(place, [])
            if member and member not in members:
                members.append(member)
            (self._requester if requester else self._others).add(place)

    def requester_only(self) -> set[Place]:
        return self._requester - self._others

    def requester(self, context: AskContext) -> None:
        """In the Ask's own thread when the bot filed it; else the Ask author's DM.
        Nobody is reached for an Ask its requester muted."""
        filed = context.filed
        if filed is not None and filed.muted:
            return
        if filed is not None:
            member = "" if filed.origin.is_direct else filed.requester
            self.places([filed.origin], member, requester=True)
            return
        members = self._directory.members_for_login(context.ask_author)
        found = [p for p in (direct_place(m.key) for m in members) if p is not None]
        self.places(found, requester=True)

    def people(self, members: Sequence[Member]) -> None:
        for member in members:
            channels = self._channels_for(member)
            direct = direct_place(member.key)
            if direct is not None and (self._via_dm or not channels):
                self.places([direct])
            else:
                self.places(channels, member.key)

    def _channels_for(self, member: Member) -> list[Place]:
        """Only the channels of the scope the member was named in."""
        return [place for place in self._directory.channels if place.scope.key == member.scope]
