"""Sending messages to Teams within its limits: per-conversation rate, retries, activity shape.

Teams allows a bot about 7 messages a second and 60 per 30 seconds in one
conversation, and answers 429 (or 412/502/504 when busy) beyond that. Both
in-turn replies and proactive sends go through `Delivery`, so the rules
hold whichever path a message takes.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from aiohttp import ClientError, ClientResponseError
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    Mention,
    ResourceResponse,
    TurnContextProtocol,
)

from adapters.metrics import Outbound, outcome_of
from adapters.teams.cards import CARD_CONTENT_TYPE, Outgoing

log = logging.getLogger(__name__)

Turn = TurnContextProtocol[Activity]
RETRY_STATUSES = frozenset({412, 429, 502, 504})
ACTIVITIES = "activities"  # the endpoint family: POST .../conversations/{id}/activities
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Window:
    messages: int
    seconds: float


TEAMS_WINDOWS = (Window(7, 1.0), Window(60, 30.0))


class RateLimiter:
    """Sliding windows per conversation: `wait` returns when one more message fits."""

    def __init__(
        self,
        windows: tuple[Window, ...] = TEAMS_WINDOWS,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._windows = windows
        self._clock = clock
        self._sleep = sleep
        self._sent: dict[str, deque[float]] = {}
        self._longest = max(window.seconds for window in windows)

    async def wait(self, conversation_id: str) -> None:
        sent = self._sent.setdefault(conversation_id, deque())
        while (delay := self._delay(sent, self._clock())) > 0:
            await self._sleep(delay)
        sent.append(self._clock())
        self._forget_idle()

    def _delay(self, sent: deque[float], now: float) -> float:
        while sent and now - sent[0] >= self._longest:
            sent.popleft()
        delays = [
            sent[-window.messages] + window.seconds - now
            for window in self._windows
            if len(sent) >= window.messages
        ]
        return max(delays, default=0.0)

    def _forget_idle(self) -> None:
        """Keep memory flat on a long-running server with many conversations."""
        if len(self._sent) < 1000:
            return
        now = self._clock()
        idle = [
            key for key, sent in self._sent.items() if not sent or now - sent[-1] > self._longest
        ]
        for key in idle:
            del self._sent[key]


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, headers: Mapping[str, str] | None) -> float:
        """Retry-After when Teams says it, else exponential backoff with jitter."""
        told = retry_after(headers)
        if told is not None:
            return min(told, self.max_delay)
        backoff: float = self.base_delay * 2**attempt
        return min(backoff * (0.5 + random.random() / 2), self.max_delay)


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    value = (headers or {}).get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment: float = parsedate_to_datetime(value).timestamp()
        return max(moment - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


class Delivery:
    def __init__(
        self,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        outbound: Outbound | None = None,
    ) -> None:
        self._limiter = limiter or RateLimiter()
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._outbound = outbound or Outbound.detached("teams")

    async def send(self, context: Turn, message: Outgoing) -> ResourceResponse | None:
        conversation = context.activity.conversation.id if context.activity.conversation else ""
        activity = to_activity(message)
        for attempt in range(self._policy.attempts):
            await self._limiter.wait(conversation)
            try:
                return await self._attempt(context, activity)
            except ClientResponseError as error:
                if not self._worth_waiting(error, attempt):
                    raise
                delay = self._policy.delay(attempt, error.headers)
                log.warning("Teams answered %s; retrying in %.1fs", error.status, delay)
                if error.status == 429:
                    self._outbound.waited(delay)
                await self._sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _attempt(self, context: Turn, activity: Activity) -> ResourceResponse | None:
        """One send to the Bot Connector: the one place Teams traffic is counted."""
        try:
            sent = await context.send_activity(activity)
        except ClientResponseError as error:
            self._outbound.count(ACTIVITIES, outcome_of(error.status))
            raise
        except (ClientError, OSError, TimeoutError):
            self._outbound.count(ACTIVITIES, "network_error")
            raise
        self._outbound.count(ACTIVITIES, "ok")
        return sent

    def _worth_waiting(self, error: ClientResponseError, attempt: int) -> bool:
        """Retry here only for a short wait: a longer Retry-After goes back to the caller,
        whose queue (the notification worker) can wait without holding a turn or a worker."""
        if error.status not in RETRY_STATUSES or attempt + 1 == self._policy.attempts:
            return False
        told = retry_after(error.headers)
        return told is None or told <= self._policy.max_delay


def to_activity(message: Outgoing) -> Activity:
    activity = Activity(type=ActivityTypes.message)
    if message.text:
        activity.text = message.text
        activity.text_format = "markdown"
    if message.card is not None:
        activity.attachments = [Attachment(content_type=CARD_CONTENT_TYPE, content=message.card)]
    if message.entities:
        activity.entities = [_mention(entity) for entity in message.entities]
    return activity


def _mention(entity: Mapping[str, object]) -> Mention:
    mentioned = entity["mentioned"]
    assert isinstance(mentioned, Mapping)
    account = ChannelAccount(id=str(mentioned["id"]), name=str(mentioned["name"]))
    return Mention(mentioned=account, text=str(entity["text"]))
