"""SqlSlackEvents: each Events API delivery is taken in once, on every database kind."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.database import Database
from storage.slack_events import SqlSlackEvents


async def test_an_event_id_is_new_only_the_first_time(database: Database) -> None:
    events = SqlSlackEvents(database)
    assert await events.first_time(key="Ev1")
    assert not await events.first_time(key="Ev1")
    assert await events.first_time(key="Ev2")


async def test_concurrent_deliveries_of_one_event_let_exactly_one_through(
    database: Database,
) -> None:
    events = SqlSlackEvents(database)
    results = await asyncio.gather(*(events.first_time(key="Ev9") for _ in range(6)))
    assert sorted(results) == [False] * 5 + [True]


async def test_old_ids_are_forgotten_and_recent_ones_kept(database: Database) -> None:
    events = SqlSlackEvents(database)
    await events.first_time(key="Ev1")
    assert await events.forget_older_than(age=timedelta(hours=1)) == 0
    assert await events.forget_older_than(age=timedelta(seconds=-1)) == 1
    assert await events.first_time(key="Ev1")


async def test_only_keys_with_the_prefix_are_forgotten_when_one_is_given(
    database: Database,
) -> None:
    events = SqlSlackEvents(database)
    await events.first_time(key="Ev1")
    await events.first_time(key="request:abc")
    assert await events.forget_older_than(age=timedelta(seconds=-1), prefix="request:") == 1
    assert not await events.first_time(key="Ev1")
    assert await events.first_time(key="request:abc")
