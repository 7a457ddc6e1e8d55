"""The recording fakes of the core's ports that more than one test folder needs: one copy each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.types import Place, Reply

NOW = datetime(2024, 5, 15, 7, 0, tzinfo=UTC)  # a Wednesday, 09:00 in Berlin


@dataclass
class RecordingOutbox:
    """The Outbox port, keeping each send as (place, replies).

    `failures` are raised, one per send, before anything is recorded.
    """

    sent: list[tuple[Place, list[Reply]]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)
    """Keys given to `enqueue` (bot.filing.Queue), each once."""

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((place, list(replies)))

    async def enqueue(self, *, key: str, place: Place, replies: Sequence[Reply]) -> None:
        """bot.filing.Queue without the durability: once per key, sent at once."""
        if key not in self.queued:
            self.queued.append(key)
            await self.send(place=place, replies=replies)

    @property
    def replies(self) -> list[tuple[Place, Reply]]:
        """Every reply with its place, in the order sent, whichever send carried it."""
        return [(place, reply) for place, replies in self.sent for reply in replies]


class FakeClock:
    """Time that moves only when set, advanced or slept: sleeps are recorded, never waited.

    Called, it is a wall clock (a datetime); `timestamp` and `monotonic` give the same
    moment as epoch seconds and as seconds since the clock was made.
    """

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now
        self.started = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def timestamp(self) -> float:
        return self.now.timestamp()

    def monotonic(self) -> float:
        return (self.now - self.started).total_seconds()

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def sleep_now(self, seconds: float) -> None:
        """A blocking sleep's stand-in (for code that sleeps in a worker thread)."""
        self.slept.append(seconds)
        self.advance(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.sleep_now(seconds)
