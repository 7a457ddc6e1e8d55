"""What a round of events reads first, fetched in two queries rather than two per event.

Working a backlog, every event asks whether it was recorded before and how
its Ask was filed; one query each per round of the inbox worker replaces a
read per event. A round holds at most one event per Ask (see
adapters/github/ingest.py), so nothing one of its events records changes
what another reads; the next round fetches afresh. Anything not fetched
(another delivery, an Ask found only through a pull request's Model issue)
goes straight through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.lifecycle.audience import Delivery, Recording
from bot.lifecycle.events import KnownIssue, TrackerEvent
from bot.lifecycle.rules import ask_number_of
from bot.ports import AskStore, EventJournal
from bot.types import FiledAsk, Place


class FetchedJournal:
    """An `EventJournal` that knows which of a round's deliveries were recorded before."""

    def __init__(self, journal: EventJournal, deliveries: Sequence[str], seen: set[str]) -> None:
        self._journal = journal
        self._fetched = frozenset(deliveries)
        self._seen = seen

    @classmethod
    async def fetch(cls, journal: EventJournal, events: Sequence[TrackerEvent]) -> FetchedJournal:
        deliveries = [event.delivery for event in events]
        return cls(journal, deliveries, await journal.seen_among(deliveries=deliveries))

    async def seen(self, *, delivery: str) -> bool:
        if delivery in self._fetched:
            return delivery in self._seen
        return await self._journal.seen(delivery=delivery)

    async def seen_among(self, *, deliveries: Sequence[str]) -> set[str]:
        return await self._journal.seen_among(deliveries=deliveries)

    async def record(
        self,
        *,
        event: TrackerEvent,
        ask_number: int | None,
        deliveries: Sequence[Delivery],
        phase: str | None = None,
    ) -> bool:
        return await self._journal.record(
            event=event, ask_number=ask_number, deliveries=deliveries, phase=phase
        )

    async def record_all(self, *, recordings: Sequence[Recording]) -> set[str]:
        return await self._journal.record_all(recordings=recordings)

    async def known_issue(self, *, repository: str, number: int) -> KnownIssue | None:
        return await self._journal.known_issue(repository=repository, number=number)

    async def watchers(self, *, repository: str, ask_number: int) -> Sequence[Place]:
        return await self._journal.watchers(repository=repository, ask_number=ask_number)


class FetchedAsks:
    """An `AskStore` that holds the filed Asks a round's events name themselves."""

    def __init__(self, asks: AskStore, fetched: Mapping[tuple[str, int], FiledAsk | None]) -> None:
        self._asks = asks
        self._fetched = fetched

    @classmethod
    async def fetch(cls, asks: AskStore, events: Sequence[TrackerEvent]) -> FetchedAsks:
        wanted: dict[str, set[int]] = {}
        for event in events:
            number = ask_number_of(event)
            if number is not None:
                wanted.setdefault(event.repository, set()).add(number)
        fetched: dict[tuple[str, int], FiledAsk | None] = {}
        for repository, numbers in wanted.items():
            found = await asks.by_numbers(repository=repository, numbers=sorted(numbers))
            fetched.update({(repository, n): found.get(n) for n in numbers})
        return cls(asks, fetched)

    async def record(self, *, ask: FiledAsk) -> FiledAsk:
        return await self._asks.record(ask=ask)

    async def by_number(self, *, repository: str, number: int) -> FiledAsk | None:
        if (repository, number) in self._fetched:
            return self._fetched[(repository, number)]
        return await self._asks.by_number(repository=repository, number=number)

    async def by_numbers(
        self, *, repository: str, numbers: Sequence[int]
    ) -> Mapping[int, FiledAsk]:
        return await self._asks.by_numbers(repository=repository, numbers=numbers)

    async def by_requester(self, *, requester: str) -> Sequence[FiledAsk]:
        return await self._asks.by_requester(requester=requester)
