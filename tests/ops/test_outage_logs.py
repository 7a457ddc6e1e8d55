"""Outage log lines: one per kind per interval, counted, without tracebacks."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from adapters.logs import OutageFilter, outage_kind
from bot.ports import DeliveryError, TrackerError
from storage.spool import SpoolFull


def record(error: BaseException | None) -> logging.LogRecord:
    info = (type(error), error, None) if error is not None else None
    return logging.LogRecord("t", logging.ERROR, __file__, 1, "request failed", (), info)


def database_down() -> OperationalError:
    return OperationalError("INSERT ...", {}, ConnectionRefusedError("connection refused"))


def test_each_kind_is_let_through_once_an_interval_and_every_one_counted() -> None:
    now = [0.0]
    outages = OutageFilter(interval=60.0, clock=lambda: now[0])
    passed = [outages.filter(record(database_down())) for _ in range(1000)]
    assert passed.count(True) == 1
    assert outages.filter(record(SpoolFull("full"))), "another kind has its own line"
    now[0] = 61.0
    line = record(database_down())
    assert outages.filter(line)
    assert line.exc_info is None and "999 more in the last 60s" in line.getMessage()
    assert "database outage: OperationalError" in line.getMessage()
    assert outages.counts == {"database": 1001, "spool": 1}


def test_other_errors_and_plain_lines_pass_untouched() -> None:
    outages = OutageFilter()
    bug = record(ValueError("a bug"))
    assert all(outages.filter(bug) for _ in range(3)) and bug.exc_info is not None
    assert outages.filter(record(None))
    assert outages.counts == {}


def test_what_counts_as_an_outage() -> None:
    wrapped = RuntimeError("worker failed")
    wrapped.__cause__ = database_down()
    assert outage_kind(wrapped) == "database"
    assert outage_kind(TrackerError("GitHub is not answering")) == "github"
    assert outage_kind(TrackerError("token refused", retryable=False)) is None
    assert outage_kind(DeliveryError("slack 503")) == "chat"
    assert outage_kind(DeliveryError("channel_not_found", permanent=True)) is None
