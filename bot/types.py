"""The core's own small types.

Every adapter translates its platform's payloads into these and back, so the
core never needs to know whether a person typed in Slack, Teams or a terminal.
They are frozen: a transition returns new values instead of changing old ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType


class Platform(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"
    CONSOLE = "console"


def _require(**parts: str) -> None:
    """Keys built from empty parts would silently merge two people's state."""
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")


@dataclass(frozen=True)
class Scope:
    """A workspace or tenant: nothing kept in one is ever read or changed from another.

    Slack: the Enterprise Grid org id when there is one, else the workspace's
    team id; Teams: the tenant id; the console: `local`. Its key is what
    storage keeps beside every role, link, subscription and setting.
    """

    platform: str
    id: str

    def __post_init__(self) -> None:
        _require(platform=self.platform, scope=self.id)

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"

    @classmethod
    def of(cls, platform: str, team_id: str, org_id: str = "") -> Scope:
        """The org wins over the workspace: an Enterprise Grid org is one scope."""
        return cls(platform, org_id or team_id)


@dataclass(frozen=True)
class Person:
    """Someone talking to the bot, as their platform knows them.

    `team_id` is their own workspace (Slack) or tenant (Teams); `org_id` their
    Enterprise Grid org, when they belong to one.
    """

    platform: str
    user_id: str
    team_id: str = ""
    name: str = ""
    org_id: str = ""

    def __post_init__(self) -> None:
        _require(platform=self.platform, user_id=self.user_id)

    @property
    def key(self) -> str:
        """Stable identity for drafts and Asks: platform, workspace or tenant, user."""
        return f"{self.platform}:{self.team_id}:{self.user_id}"

    @property
    def scope(self) -> Scope:
        """Raises ValueError when the adapter filled neither team nor org."""
        return Scope.of(self.platform, self.team_id, self.org_id)

    @property
    def member(self) -> Member:
        """The person as roles and GitHub links know them: their key, in their scope."""
        return Member(self.scope.key, self.key)


@dataclass(frozen=True)
class Member:
    """A member key (`slack:T1:U1`, `slack:T1:group:S1`) with the scope key it was stored under.

    A Slack Connect guest's key names their own workspace, and an Enterprise
    Grid member's key their workspace rather than the org; the scope says
    which workspace's roles and links the key belongs to, so it is only ever
    mentioned in that scope's channels.
    """

    scope: str
    key: str


DIRECT_PREFIX = "dm:"


@dataclass(frozen=True)
class Place:
    """Where a message came from, so answers and later notices can go back there.

    A direct message to a person is the place `dm:<user id>`: each adapter
    knows how to open (Slack) or look up (Teams) that conversation.
    `team_id` (and `org_id`) name the workspace that owns the channel: a
    channel id is unique only within it.
    """

    platform: str
    channel_id: str
    team_id: str = ""
    thread_id: str = ""
    org_id: str = ""

    def __post_init__(self) -> None:
        _require(platform=self.platform, channel_id=self.channel_id)

    @classmethod
    def direct(cls, person: Person) -> Place:
        return cls(
            person.platform, DIRECT_PREFIX + person.user_id, person.team_id, org_id=person.org_id
        )

    @property
    def scope(self) -> Scope:
        """Raises ValueError when the adapter filled neither team nor org."""
        return Scope.of(self.platform, self.team_id, self.org_id)

    @property
    def channel(self) -> Place:
        """The whole channel, without its thread: what subscriptions and digests belong to."""
        return Place(self.platform, self.channel_id, self.team_id, org_id=self.org_id)

    @property
    def direct_user(self) -> str:
        """The user id of a direct-message place, else ""."""
        return self.channel_id.removeprefix(DIRECT_PREFIX) if self.is_direct else ""

    @property
    def is_direct(self) -> bool:
        return self.channel_id.startswith(DIRECT_PREFIX)


class Stage(StrEnum):
    """Where a draft stands; SUBMITTING is durable queued work, not just a UI state."""

    ASKING = "asking"
    COACHING = "coaching"
    REVIEW = "review"
    SUBMITTING = "submitting"
    FILED = "filed"
    DISCARDED = "discarded"


OPEN_STAGES = frozenset({Stage.ASKING, Stage.COACHING, Stage.REVIEW, Stage.SUBMITTING})
EDITABLE_STAGES = frozenset({Stage.ASKING, Stage.COACHING, Stage.REVIEW})


def frozen_map(values: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True)
class Draft:
    """A half-framed issue. Saved after every answer so nothing typed is lost."""

    id: str
    flow: str
    owner: str
    origin: Place
    answers: Mapping[str, str] = field(default_factory=frozen_map)
    skipped: frozenset[str] = frozenset()
    cursor: str = ""
    stage: Stage = Stage.ASKING
    trail: tuple[str, ...] = ()
    awaiting_resume: bool = False
    owner_name: str = ""
    context: Mapping[str, str] = field(default_factory=frozen_map)
    issue_number: int | None = None
    issue_url: str = ""
    last_error: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Issue:
    """An issue as a tracker returns it (GitHub or the local one)."""

    number: int
    title: str
    body: str
    url: str
    state: str = "open"
    labels: frozenset[str] = frozenset()
    author: str = ""
    assignees: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class LabelSpec:
    name: str
    color: str
    description: str


@dataclass(frozen=True)
class FiledAsk:
    """An Ask the bot filed, with where it was asked from (for notices later)."""

    issue_number: int
    issue_url: str
    title: str
    requester: str
    requester_name: str
    origin: Place
    draft_id: str
    repository: str = ""
    created_at: datetime | None = None
    phase: str = "Ask"
    scope: str = ""
    """Key of the scope it was filed from (its origin's), set by storage; only it sees the Ask."""
    muted: bool = False
    """Its requester pressed "Mute": they hear no more milestones of it."""


# Replies: what the core wants said. Adapters choose the widgets.


@dataclass(frozen=True)
class Choice:
    """A button; `value` is the text the adapter feeds back when it is pressed.

    With a `url` it is a link button instead (Open in GitHub) and sends nothing back.
    """

    label: str
    value: str = ""
    url: str = ""


@dataclass(frozen=True)
class Say:
    """A message in a small Markdown subset: paragraphs, `- ` bullets, `code`, **bold**."""

    text: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Readiness:
    """Labels of strong, weak (with the first advice) and missing parts; `blocking` are required."""

    strong: tuple[str, ...]
    weak: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]
    blocking: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.blocking


@dataclass(frozen=True)
class ShowPreview:
    title: str
    body: str
    readiness: Readiness
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class ShowFiled:
    number: int
    url: str
    title: str
    summary: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListItem:
    text: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class ShowList:
    """A header, items each with their own buttons, and a footer (a digest, a status list).

    Adapters split it across messages when it would exceed a platform's limits.
    """

    header: str
    items: tuple[ListItem, ...]
    footer: str = ""
    folded: bool = False
    """Items kept out of the way where the platform can (behind a button, or as compact
    lines): a summary of many notifications, whose header is what matters."""


@dataclass(frozen=True)
class ShowChart:
    """Key numbers in a few lines and a picture of them: Slack uploads the PNG into the
    conversation, Teams shows it inside the card, the console writes it to a file."""

    text: str
    image: bytes
    name: str
    """A file name for the picture, e.g. `dslp-insights-octo-dslp-90d.png`."""
    alt: str


Reply = Say | ShowPreview | ShowFiled | ShowList | ShowChart
