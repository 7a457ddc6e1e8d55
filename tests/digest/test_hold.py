"""`on-hold until YYYY-MM-DD`: out of digests until that day, then back with a note."""

from __future__ import annotations

from datetime import date, timedelta

from bot.digest.model import Reason, Thresholds
from bot.digest.render import reason_text
from bot.digest.rules import Finding, stalled
from bot.playbook.hold import HOLD_LINE, hold_of, read_until, with_hold
from tests.digest.support import issue
from tests.support.doubles import NOW


def held(days_from_now: int, *, updated: float = 60) -> list[Finding]:
    day = (NOW + timedelta(days=days_from_now)).date()
    body = f"***TLDR:*** Paused\n\n{HOLD_LINE.format(day=day.isoformat())}\n"
    found = stalled(
        [issue(1, "Experiment", "on hold", updated=updated, body=body)], NOW, Thresholds()
    )
    return [finding for _, findings in found for finding in findings]


def test_held_until_a_day_to_come_is_left_out_whatever_its_age() -> None:
    assert held(1) == []
    assert held(30, updated=400) == []


def test_from_that_day_on_it_is_back_with_a_note() -> None:
    for days in (0, -3):
        (finding,) = held(days, updated=0)
        assert finding.reason is Reason.ON_HOLD
        day = (NOW + timedelta(days=days)).date().isoformat()
        assert (
            reason_text(finding) == f"back from hold: it was on hold until {day}; revive or close?"
        )


def test_a_hold_line_typed_by_a_person_counts_for_nothing() -> None:
    typed = "***On hold until:*** 2999-01-01"
    assert hold_of(typed) is None
    found = stalled([issue(1, "on hold", created=40, body=typed)], NOW, Thresholds())
    assert {f.reason for _, fs in found for f in fs} == {Reason.ON_HOLD}


def test_reading_and_writing_the_day() -> None:
    assert read_until("until 2027-01-15 Waiting for Q3") == read_until(
        "UNTIL  2027-01-15 Waiting for Q3"
    )
    hold = read_until("until 2027-01-15 Waiting for Q3")
    assert (hold.until, hold.rest, hold.bad) == (date(2027, 1, 15), "Waiting for Q3", "")
    assert read_until("until 2027-02-30 x").bad == "2027-02-30"
    assert read_until("until 15/01/2027 x").bad == "15/01/2027"
    words = read_until("until the data arrives")  # words, not a day: the TLDR
    assert (words.until, words.rest, words.bad) == (None, "until the data arrives", "")
    assert read_until("Waiting for Q3").until is None
    body = with_hold("Results", date(2027, 1, 15))
    assert hold_of(body) == date(2027, 1, 15)
    assert with_hold(body, date(2027, 1, 15)) == body
    assert hold_of(with_hold(body, None)) is None and with_hold("Results", None) == "Results"
