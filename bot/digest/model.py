"""The digest's own small values: reasons, thresholds, schedules, subscriptions.

They are frozen and free of storage or scheduler types, so the rules and the
schedule arithmetic stay pure functions that tests drive with a fake clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from bot.types import Place, Scope

Clock = Callable[[], datetime]
MentionLookup = Callable[[Scope, str], Awaitable[str | None]]
"""(scope, GitHub login) -> member key linked in that scope (rendered with
bot.mentions.mention), or None when nobody there linked it."""


class Reason(StrEnum):
    """Why an item is listed; the values are the words `digest threshold <rule>` accepts."""

    BLOCKED = "blocked"
    NO_MODEL = "no-model"
    INACTIVE = "inactive"
    NO_TLDR = "no-tldr"
    EXPLORE = "explore"
    UNLINKED_ASK = "unlinked-ask"
    ON_HOLD = "on-hold"


DEFAULT_DAYS: Mapping[Reason, int] = MappingProxyType(
    {
        Reason.INACTIVE: 7,
        Reason.NO_TLDR: 14,
        Reason.NO_MODEL: 3,
        Reason.BLOCKED: 2,
        Reason.ON_HOLD: 30,
        Reason.EXPLORE: 10,
        Reason.UNLINKED_ASK: 14,
    }
)
MIN_DAYS = 1
MAX_DAYS = 365


@dataclass(frozen=True)
class Thresholds:
    """Days per rule; rules missing from `days` use the defaults (so new defaults apply)."""

    days: Mapping[Reason, int] = field(default_factory=lambda: MappingProxyType({}))

    def of(self, reason: Reason) -> int:
        return self.days.get(reason, DEFAULT_DAYS[reason])

    def with_days(self, reason: Reason, days: int) -> Thresholds:
        return Thresholds(MappingProxyType({**self.days, reason: days}))

    def as_dict(self) -> dict[Reason, int]:
        return {reason: self.of(reason) for reason in Reason}

    @classmethod
    def from_dict(cls, values: Mapping[str, int]) -> Thresholds:
        """Unknown keys (a rule renamed since) are dropped rather than failing a load."""
        known = {Reason(k): int(v) for k, v in values.items() if k in Reason.__members__.values()}
        return cls(MappingProxyType(known))


class Days(StrEnum):
    """Which days a schedule runs: weekdays, every day, or one day a week (a weekly post)."""

    WEEKDAYS = "weekdays"
    EVERYDAY = "everyday"
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


WEEKLY = (
    Days.MONDAY,
    Days.TUESDAY,
    Days.WEDNESDAY,
    Days.THURSDAY,
    Days.FRIDAY,
    Days.SATURDAY,
    Days.SUNDAY,
)
"""In `date.weekday()` order."""
DIGEST = "digest"


@dataclass(frozen=True)
class Schedule:
    """A local wall-clock time in an IANA zone, on weekdays or every day."""

    hour: int
    minute: int
    timezone: str = "UTC"
    days: Days = Days.WEEKDAYS

    @property
    def time_text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Occurrence:
    """One scheduled run: its local date (the run's identity) and its moment in UTC."""

    day: date
    at: datetime


def place_key(place: Place) -> str:
    """A channel's identity: its scope and id (a channel id is unique only within its
    workspace); threads are ignored because a digest goes to the channel."""
    return f"{place.scope.key}:{place.channel_id}"


@dataclass(frozen=True)
class Subscription:
    """A channel's digest. `schedule_since` is when the schedule was set: earlier days never run."""

    place: Place
    schedule: Schedule
    thresholds: Thresholds = field(default_factory=Thresholds)
    post_empty: bool = True
    schedule_since: datetime | None = None
    id: int | None = None
    kind: str = DIGEST
    """What runs on the schedule: the digest, or another feature's post (`insights`); a
    channel has at most one of each."""

    @property
    def key(self) -> str:
        base = place_key(self.place)
        return base if self.kind == DIGEST else f"{base}#{self.kind}"

    def changed(self, **fields: object) -> Subscription:
        return replace(self, **fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Snooze:
    """An item hidden from one channel's digest until `until`, unless it changes after `at`."""

    number: int
    at: datetime
    until: datetime
    repository: str = ""
    """The issue's repository; empty for snoozes from before (the default repository's)."""

    def of(self, repository: str, default: str) -> bool:
        """Whether it snoozes an issue of `repository` (`default`: GITHUB_REPOSITORY's)."""
        mine = self.repository or default
        return mine.casefold() == repository.casefold()

    def hides(self, updated_at: datetime | None, now: datetime) -> bool:
        changed = updated_at is not None and updated_at > self.at
        return now < self.until and not changed
