"""Sorting GitHub failures and turning them into messages users may read.

PyGithub raises its own exceptions for HTTP answers and lets `requests`
exceptions through for network trouble. The tracker only needs to know: wait
and retry, give up, or treat as "not there". The sentences are in
`bot/texts/tracker.py`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import requests
import urllib3.exceptions
from github.GithubException import (
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
)

from adapters.metrics import Outcome
from bot.ports import TrackerError
from bot.texts import tracker as t

NETWORK_ERRORS = (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError)


class Failure(Enum):
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    UNAUTHORISED = "unauthorised"
    INVALID = "invalid"
    OTHER = "other"


def response_headers(error: BaseException) -> dict[str, Any]:
    return dict(getattr(error, "headers", None) or {})


def _message(error: GithubException) -> str:
    data = error.data
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _is_rate_limit(error: GithubException) -> bool:
    if isinstance(error, RateLimitExceededException):
        return True
    lowered = {key.lower(): str(value) for key, value in response_headers(error).items()}
    exhausted = lowered.get("x-ratelimit-remaining") == "0"
    return error.status == 429 or "retry-after" in lowered or exhausted


def classify(error: BaseException) -> Failure:
    """Which of the handful of cases the tracker distinguishes this is."""
    if isinstance(error, NETWORK_ERRORS):
        return Failure.TRANSIENT
    if not isinstance(error, GithubException):
        return Failure.OTHER
    status = error.status
    if status in (403, 429) and _is_rate_limit(error):
        return Failure.RATE_LIMITED
    by_status = {401: Failure.UNAUTHORISED, 403: Failure.FORBIDDEN, 404: Failure.NOT_FOUND}
    by_status |= {410: Failure.NOT_FOUND, 422: Failure.INVALID}
    if isinstance(error, BadCredentialsException):
        return Failure.UNAUTHORISED
    return by_status.get(status, Failure.TRANSIENT if status >= 500 else Failure.OTHER)


def outcome(error: BaseException) -> Outcome:
    """How a failed GitHub call is counted in `dslp_outbound_requests_total`."""
    failure = classify(error)
    if failure is Failure.RATE_LIMITED:
        return "rate_limited"
    if isinstance(error, NETWORK_ERRORS):
        return "network_error"
    return "server_error" if failure is Failure.TRANSIENT else "client_error"


def to_tracker_error(error: BaseException, repository: str, *, number: int = 0) -> TrackerError:
    """The user-safe error for a failure that survived its retries."""
    if isinstance(error, TrackerError):
        return error  # already said in words (e.g. the App is not installed there)
    failure = classify(error)
    if failure is Failure.RATE_LIMITED:
        return TrackerError(t.RATE_LIMITED)
    if failure is Failure.TRANSIENT:
        return TrackerError(t.UNAVAILABLE)
    if failure is Failure.UNAUTHORISED:
        return TrackerError(t.TOKEN_REFUSED, retryable=False)
    if failure is Failure.NOT_FOUND and number:
        return TrackerError(
            t.NOT_FOUND.format(number=number, repository=repository), retryable=False
        )
    if failure in (Failure.FORBIDDEN, Failure.NOT_FOUND):
        return TrackerError(t.NO_ACCESS.format(repository=repository), retryable=False)
    if failure is Failure.INVALID and isinstance(error, GithubException):
        detail = _message(error) or "validation failed"
        return TrackerError(t.REFUSED.format(detail=detail), retryable=False)
    status = getattr(error, "status", type(error).__name__)
    return TrackerError(t.UNEXPECTED.format(status=status), retryable=False)
