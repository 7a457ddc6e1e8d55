"""SqlAskStore against the AskStore contract, on every database kind."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.types import FiledAsk, Place
from storage.asks import SqlAskStore
from storage.database import Database

ORIGIN = Place(
    platform="teams", channel_id="19:abc@thread.tacv2", team_id="tenant-1", thread_id="m1"
)
FILED_AT = datetime(2025, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(database: Database) -> SqlAskStore:
    return SqlAskStore(database)


def make_ask(number: int = 7, **changes: object) -> FiledAsk:
    ask = FiledAsk(
        issue_number=number,
        issue_url=f"https://github.com/o/r/issues/{number}",
        title="Why did churn rise in März? 📉",
        requester="teams:tenant-1:u1",
        requester_name="Zoë",
        origin=ORIGIN,
        draft_id=f"draft-{number}",
        repository="o/r",
        created_at=FILED_AT,
        scope="teams:tenant-1",
    )
    return replace(ask, **changes)  # type: ignore[arg-type]


async def test_record_round_trips_every_field(store: SqlAskStore) -> None:
    ask = make_ask()
    assert await store.record(ask=ask) == ask
    assert await store.by_number(repository="o/r", number=7) == ask


async def test_record_stamps_the_time_when_none_is_given(store: SqlAskStore) -> None:
    recorded = await store.record(ask=make_ask(created_at=None))
    assert recorded.created_at is not None and recorded.created_at.tzinfo is not None


async def test_times_come_back_in_utc(store: SqlAskStore) -> None:
    berlin = FILED_AT.astimezone(timezone(timedelta(hours=1)))
    recorded = await store.record(ask=make_ask(created_at=berlin))
    assert recorded.created_at == FILED_AT
    assert recorded.created_at is not None and recorded.created_at.utcoffset() == timedelta(0)


async def test_recording_twice_returns_the_first(store: SqlAskStore) -> None:
    first = await store.record(ask=make_ask())
    again = await store.record(ask=make_ask(title="A retry with another title"))
    assert again == first
    assert len(await store.by_requester(requester=first.requester)) == 1


async def test_recording_at_once_from_two_workers_keeps_one(store: SqlAskStore) -> None:
    results = await asyncio.gather(*(store.record(ask=make_ask()) for _ in range(4)))
    assert len(set(results)) == 1


async def test_same_number_in_another_repository_is_another_ask(store: SqlAskStore) -> None:
    await store.record(ask=make_ask())
    await store.record(ask=make_ask(repository="o/other"))
    assert await store.by_number(repository="o/other", number=7) is not None
    assert await store.by_number(repository="o/missing", number=7) is None


async def test_by_numbers_finds_many_in_one_repository(store: SqlAskStore) -> None:
    for number in (1, 2):
        await store.record(ask=make_ask(number))
    await store.record(ask=make_ask(3, repository="o/other"))
    found = await store.by_numbers(repository=make_ask().repository, numbers=[1, 2, 3])
    assert sorted(found) == [1, 2] and found[2] == await store.by_number(
        repository=make_ask().repository, number=2
    )


async def test_by_requester_lists_newest_first(store: SqlAskStore) -> None:
    for number in (1, 3, 2):
        await store.record(ask=make_ask(number, created_at=FILED_AT + timedelta(hours=number)))
    await store.record(ask=make_ask(9, requester="teams:tenant-1:someone-else"))
    asks = await store.by_requester(requester="teams:tenant-1:u1")
    assert [ask.issue_number for ask in asks] == [3, 2, 1]
