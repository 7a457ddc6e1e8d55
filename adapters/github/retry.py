"""When and how long to wait before asking GitHub again.

GitHub signals overload three ways: 5xx answers, the primary rate limit
(403/429 with `x-ratelimit-remaining: 0` and an `x-ratelimit-reset` time) and
secondary limits (403/429 with `Retry-After`). Idempotent requests are retried
inside PyGithub by a `GithubRetry` subclass; writes that must not be repeated
blindly use `retry_pause` from the tracker's own loop. Both refuse to wait
longer than `RetryPolicy.max_wait`, so a stuck limit turns into an error the
user can read instead of a request that hangs for an hour. The clock and the
sleeps are part of the policy, so tests record the waits instead of waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from github.GithubException import GithubException, RateLimitExceededExceedsMaxWait
from github.GithubRetry import GithubRetry
from urllib3.connectionpool import ConnectionPool
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from adapters.github.errors import Failure, response_headers

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
OnWait = Callable[[float], None]


def _unwatched(_seconds: float) -> None:
    return None


@dataclass(frozen=True)
class RetryPolicy:
    """Tunable so tests can use tiny backoffs; defaults suit github.com."""

    attempts: int = 4
    backoff: float = 1.0
    max_backoff: float = 30.0
    max_wait: float = 60.0
    secondary_wait: float = 60.0
    timeout: int = 15  # whole seconds: PyGithub insists on an int
    request_gap: float = 0.25
    write_gap: float = 1.0
    clock: Callable[[], float] = time.time  # epoch seconds, against GitHub's reset times
    sleep: Callable[[float], None] = time.sleep  # PyGithub's retries, in its worker thread
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep  # our own loop for writes

    def backoff_for(self, attempt: int) -> float:
        """Exponential: backoff, 2x, 4x ... after the 1st, 2nd, 3rd failure."""
        return float(min(self.max_backoff, self.backoff * 2 ** (attempt - 1)))

    def urllib3_retry(self, on_wait: OnWait = _unwatched) -> Retry:
        """The retry PyGithub hands to urllib3; POST is excluded so creates never repeat.

        `on_wait` hears every rate-limit wait urllib3 is about to sleep through.
        """
        return CappedGithubRetry(
            on_wait=on_wait,
            total=self.attempts - 1,
            backoff_factor=self.backoff,
            backoff_max=self.max_backoff,
            status_forcelist=[*range(500, 600), 429],
            allowed_methods=IDEMPOTENT_METHODS,
            raise_on_status=False,
            retry_after_max=int(self.max_wait),
            secondary_rate_wait=self.secondary_wait,
            max_rate_limit_wait=self.max_wait,
            clock=self.clock,
            sleeper=self.sleep,
        )


def rate_limit_wait(status: int, headers: Mapping[str, Any], now: float) -> float | None:
    """Seconds GitHub asks us to wait, or None when the answer is no rate limit."""
    if status not in (403, 429):
        return None
    lowered = {key.lower(): str(value) for key, value in headers.items()}
    retry_after = lowered.get("retry-after", "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    reset = lowered.get("x-ratelimit-reset", "").strip()
    if lowered.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(0.0, int(reset) - now)
    return None


def retry_pause(
    error: BaseException, failure: Failure, attempt: int, policy: RetryPolicy
) -> float | None:
    """How long to sleep before attempt `attempt + 1`; None means give up now."""
    if attempt >= policy.attempts:
        return None
    if failure is Failure.TRANSIENT:
        return policy.backoff_for(attempt)
    if failure is not Failure.RATE_LIMITED:
        return None
    status = getattr(error, "status", 0)
    wait = rate_limit_wait(status, response_headers(error), policy.clock())
    wait = policy.secondary_wait if wait is None else wait
    return wait if wait <= policy.max_wait else None


class CappedGithubRetry(GithubRetry):
    """GithubRetry that also honours rate-limit headers on 429 and caps `Retry-After`.

    PyGithub's own class only looks at 403 bodies and would sleep for any
    `Retry-After` GitHub sends; we want one rule for both status codes and a
    ceiling on every wait. Every rate-limit wait it agrees to is told to `on_wait`; its
    clock and sleep are injected (urllib3 would call `time`).
    """

    def __init__(
        self,
        *,
        on_wait: OnWait = _unwatched,
        clock: Callable[[], float] = time.time,
        sleeper: Callable[[float], None] = time.sleep,
        **kwargs: Any,
    ) -> None:
        self.on_wait = on_wait
        self.clock = clock
        self.sleeper = sleeper
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> Self:
        """urllib3 makes a new Retry per attempt: the copy keeps its listener, clock and sleep."""
        kw.update(on_wait=self.on_wait, clock=self.clock, sleeper=self.sleeper)
        return super().new(**kw)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """urllib3's wait (`Retry-After`, else the back-off), through the injected sleep."""
        retry_after = None
        if response is not None and self.respect_retry_after_header:
            retry_after = self.get_retry_after(response)
        wait = retry_after or self.get_backoff_time()
        if wait > 0:
            self.sleeper(wait)

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Retry:
        if response is None:
            return super().increment(method, url, response, error, _pool, _stacktrace)
        try:
            return self._increment_answered(method, url, response, _pool, _stacktrace)
        except GithubException:
            _release(response)
            raise

    def _increment_answered(
        self,
        method: str | None,
        url: str | None,
        response: BaseHTTPResponse,
        _pool: ConnectionPool | None,
        _stacktrace: TracebackType | None,
    ) -> Retry:
        wait = rate_limit_wait(response.status, response.headers, self.clock())
        if wait is None:
            return super().increment(method, url, response, None, _pool, _stacktrace)  # type: ignore[arg-type]
        if self.max_rate_limit_wait is not None and wait > self.max_rate_limit_wait:
            raise RateLimitExceededExceedsMaxWait(
                response.status, {"message": "rate limited"}, dict(response.headers), wait=wait
            )
        retry = Retry.increment(self, method, url, response, None, _pool, _stacktrace)
        retry.get_backoff_time = lambda: wait  # type: ignore[method-assign]
        self.on_wait(wait)
        return retry


def _release(response: BaseHTTPResponse) -> None:
    """Raising out of urllib3 skips its own cleanup; without this the socket leaks."""
    response.drain_conn()
    response.release_conn()
