"""Parsing `digest daily ...` and the run times across Berlin's daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.scheduler import trigger_for
from bot.digest.model import Days, Schedule
from bot.digest.schedule import BadSchedule, due, latest, moment, next_after, parse_schedule
from tests.digest.support import utc

BERLIN_9 = Schedule(9, 0, "Europe/Berlin", Days.WEEKDAYS)
EVERY_0230 = Schedule(2, 30, "Europe/Berlin", Days.EVERYDAY)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["09:00"], Schedule(9, 0, "UTC", Days.WEEKDAYS)),
        (["9:05", "Europe/Berlin"], Schedule(9, 5, "Europe/Berlin", Days.WEEKDAYS)),
        (
            ["23:59", "everyday", "America/New_York"],
            Schedule(23, 59, "America/New_York", Days.EVERYDAY),
        ),
        (["00:00", "UTC", "Weekdays"], Schedule(0, 0, "UTC", Days.WEEKDAYS)),
    ],
)
def test_good_schedules(words: list[str], expected: Schedule) -> None:
    assert parse_schedule(words, "UTC") == expected


@pytest.mark.parametrize(
    ("words", "needle"),
    [
        ([], "Give a time"),
        (["25:00"], "is not a time"),
        (["9am"], "is not a time"),
        (["09:60"], "is not a time"),
        (["09:00", "Mars/Olympus"], "timezone"),
        (["09:00", "../../etc/passwd"], "timezone"),
        (["09:00", "sometimes"], "don't understand"),
    ],
)
def test_bad_schedules_say_what_is_wrong(words: list[str], needle: str) -> None:
    parsed = parse_schedule(words, "UTC")
    assert isinstance(parsed, BadSchedule)
    assert needle in parsed.message


def test_the_default_zone_is_used_when_none_is_given() -> None:
    assert parse_schedule(["08:15"], "Asia/Tokyo") == Schedule(8, 15, "Asia/Tokyo")


def test_nine_in_berlin_is_eight_utc_in_winter_and_seven_in_summer() -> None:
    # Spring forward: Sunday 31 March 2024; fall back: Sunday 27 October 2024.
    assert moment(BERLIN_9, date(2024, 3, 29)) == utc(2024, 3, 29, 8)
    assert moment(BERLIN_9, date(2024, 4, 1)) == utc(2024, 4, 1, 7)
    assert moment(BERLIN_9, date(2024, 10, 25)) == utc(2024, 10, 25, 7)
    assert moment(BERLIN_9, date(2024, 10, 28)) == utc(2024, 10, 28, 8)


def test_weekday_runs_skip_the_dst_weekends() -> None:
    assert next_after(BERLIN_9, utc(2024, 3, 29, 8)).at == utc(2024, 4, 1, 7)
    assert next_after(BERLIN_9, utc(2024, 10, 25, 7)).at == utc(2024, 10, 28, 8)


def test_a_time_missing_or_doubled_by_dst_still_runs_exactly_once() -> None:
    """02:30 does not exist on 31 March and happens twice on 27 October."""
    spring = [next_after(EVERY_0230, utc(2024, 3, 30, 12))]
    spring.append(next_after(EVERY_0230, spring[0].at))
    assert [o.day for o in spring] == [date(2024, 3, 31), date(2024, 4, 1)]
    assert spring[0].at == utc(2024, 3, 31, 1, 30)
    autumn = next_after(EVERY_0230, utc(2024, 10, 26, 12))
    assert (autumn.day, autumn.at) == (date(2024, 10, 27), utc(2024, 10, 27, 0, 30))
    assert next_after(EVERY_0230, autumn.at).day == date(2024, 10, 28)


@pytest.mark.parametrize(
    "after",
    [utc(2024, 3, 28, 12), utc(2024, 3, 30, 12), utc(2024, 10, 24, 12), utc(2024, 10, 26, 12)],
)
def test_apscheduler_wakes_at_the_same_moment(after: datetime) -> None:
    for schedule in (BERLIN_9, EVERY_0230):
        fire = trigger_for(schedule).get_next_fire_time(None, after)
        # In UTC: Python never calls a time in a DST gap or fold equal across zones.
        assert fire.astimezone(UTC) == next_after(schedule, after).at


def test_due_is_the_latest_run_and_how_late_it_is() -> None:
    found = due(BERLIN_9, utc(2024, 4, 1, 8), since=None)
    assert found is not None
    assert found.occurrence.day == date(2024, 4, 1)
    assert found.late == timedelta(hours=1)
    monday_morning = due(BERLIN_9, utc(2024, 4, 1, 6), since=None)
    assert monday_morning is not None and monday_morning.occurrence.day == date(2024, 3, 29)


def test_runs_before_the_schedule_was_set_are_not_due() -> None:
    assert due(BERLIN_9, utc(2024, 4, 1, 8), since=utc(2024, 4, 1, 7, 30)) is None
    assert latest(BERLIN_9, utc(2024, 4, 1, 6, 59)) is not None
