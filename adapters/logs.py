"""Logging set-up: plain text by default, JSON lines when DSLP_LOG_FORMAT=json.

Expected outages (the database out of reach, GitHub answering 5xx or not
at all, Slack or Teams failing) are recognised by the error a record
carries, wherever it is logged: each kind is written as one line, without
its traceback, at most once per `OUTAGE_LOG_SECONDS`, saying how many more
were held back; every one is counted for `/metrics`
(`dslp_outage_events_total{kind}`). A 10 s outage then costs a few lines,
not one traceback per request.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable

import aiohttp
import requests
import urllib3.exceptions
from github.GithubException import GithubException

from adapters.github.errors import Failure, classify
from bot.ports import DeliveryError, TrackerError
from storage.database import unavailable
from storage.spool import SpoolFull

OUTAGE_LOG_SECONDS = 60.0
SUMMARY_CHARS = 200
GITHUB_ERRORS = (GithubException, requests.RequestException, urllib3.exceptions.HTTPError)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def outage_kind(error: BaseException | None) -> str | None:
    """`database`, `spool`, `github` or `chat` when the error (or its cause) is an outage."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = _kind_of(error)
        if kind is not None:
            return kind
        error = error.__cause__ or error.__context__
    return None


def _kind_of(error: BaseException) -> str | None:
    if unavailable(error):
        return "database"
    if isinstance(error, SpoolFull):
        return "spool"
    if isinstance(error, TrackerError):
        return "github" if error.retryable else None
    if isinstance(error, DeliveryError):
        return None if error.permanent else "chat"
    if isinstance(error, GITHUB_ERRORS):
        return "github" if classify(error) in (Failure.TRANSIENT, Failure.RATE_LIMITED) else None
    if isinstance(error, aiohttp.ClientError):  # the chat platforms' HTTP clients
        return "chat"
    return None


class OutageFilter(logging.Filter):
    """Lets through one line per kind of outage per interval; counts them all."""

    def __init__(
        self, interval: float = OUTAGE_LOG_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        kind = outage_kind(error)
        if kind is None or error is None:
            return True
        with self._lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            now, last = self._clock(), self._last.get(kind)
            if last is not None and now - last < self._interval:
                self._held[kind] = self._held.get(kind, 0) + 1
                return False
            self._last[kind] = now
            held = self._held.pop(kind, 0)
        _one_line(record, kind, error, held, self._interval)
        return True


def _one_line(
    record: logging.LogRecord, kind: str, error: BaseException, held: int, interval: float
) -> None:
    """The record's own message, what failed in one line, and how many were held back."""
    first = (str(error).strip().splitlines() or [""])[0][:SUMMARY_CHARS]
    more = f"; {held} more in the last {interval:.0f}s" if held else ""
    record.msg = f"{record.getMessage()} [{kind} outage: {type(error).__name__}: {first}{more}]"
    record.args = ()
    record.exc_info = None
    record.exc_text = None


OUTAGES: OutageFilter = OutageFilter()


def configure(level: str, fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(OUTAGES)
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
