"""When a subscription runs: parsing `daily HH:MM [zone] [weekdays|everyday]` and DST-safe times.

A run is identified by its local date. Its moment is that date's HH:MM in
the zone, resolved through UTC: on the spring-forward day a time that does
not exist (02:30 in Berlin) runs at the same offset as before the change,
i.e. one hour later on the wall clock; on the fall-back day an ambiguous time
runs at its first occurrence. Either way there is exactly one run per day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.digest.model import WEEKLY, Days, Occurrence, Schedule
from bot.texts import digest as t

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
LOOKBACK_DAYS = 8


@dataclass(frozen=True)
class BadSchedule:
    """Why the words did not make a schedule, in a sentence for the user."""

    message: str


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or None; `Europe/Berlin` and `UTC` both work."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_time(word: str) -> tuple[int, int] | None:
    match = _TIME.fullmatch(word)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return (hour, minute) if hour < 24 and minute < 60 else None


def parse_schedule(words: list[str], default_zone: str) -> Schedule | BadSchedule:
    """`["09:00", "Europe/Berlin", "weekdays"]`; the zone and the days are optional, any order."""
    if not words:
        return BadSchedule(t.NEED_TIME)
    parsed = parse_time(words[0])
    if parsed is None:
        return BadSchedule(t.BAD_TIME.format(word=words[0]))
    tz, days = default_zone, Days.WEEKDAYS
    for word in words[1:]:
        if word.casefold() in Days.__members__.values():
            days = Days(word.casefold())
        elif zone(word) is not None:
            tz = zone_name(word)
        elif "/" in word or word.isupper():
            return BadSchedule(t.BAD_ZONE.format(word=word))
        else:
            return BadSchedule(t.BAD_WORD.format(word=word))
    return Schedule(parsed[0], parsed[1], tz, days)


def zone_name(word: str) -> str:
    found = zone(word)
    return found.key if found is not None else word


def runs_on(schedule: Schedule, day: date) -> bool:
    if schedule.days in WEEKLY:
        return WEEKLY.index(schedule.days) == day.weekday()
    return schedule.days is Days.EVERYDAY or day.weekday() < 5


def moment(schedule: Schedule, day: date) -> datetime:
    """The UTC moment of that local date's run (see the module note for DST)."""
    tz = zone(schedule.timezone) or ZoneInfo("UTC")
    local = datetime.combine(day, time(schedule.hour, schedule.minute), tzinfo=tz)
    return local.astimezone(UTC)


def local_date(schedule: Schedule, now: datetime) -> date:
    tz = zone(schedule.timezone) or ZoneInfo("UTC")
    return now.astimezone(tz).date()


def latest(schedule: Schedule, now: datetime) -> Occurrence | None:
    """The most recent run at or before `now` (looking back a week)."""
    today = local_date(schedule, now)
    for back in range(LOOKBACK_DAYS):
        day = today - timedelta(days=back)
        at = moment(schedule, day)
        if runs_on(schedule, day) and at <= now:
            return Occurrence(day, at)
    return None


def next_after(schedule: Schedule, now: datetime) -> Occurrence:
    """The first run strictly after `now`."""
    today = local_date(schedule, now)
    for ahead in range(LOOKBACK_DAYS + 1):
        day = today + timedelta(days=ahead)
        at = moment(schedule, day)
        if runs_on(schedule, day) and at > now:
            return Occurrence(day, at)
    raise AssertionError("a schedule always runs within a week")


@dataclass(frozen=True)
class Due:
    occurrence: Occurrence
    late: timedelta

    def within(self, grace: timedelta) -> bool:
        return self.late <= grace


def due(schedule: Schedule, now: datetime, since: datetime | None) -> Due | None:
    """The run that should have happened by `now`, unless it predates the schedule itself."""
    found = latest(schedule, now)
    if found is None or (since is not None and found.at < since):
        return None
    return Due(found, now - found.at)
