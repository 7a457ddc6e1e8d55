"""The inbox on every database kind: group commit, redelivery, leases, and the end of a row."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.types import Issue
from storage.database import Database
from storage.events import SqlEventJournal
from storage.inbox import Received, SqlInbox
from storage.inbox_tables import InboxRow
from storage.values import utc_now


def received(key: str) -> Received:
    return Received(key, "issues", '{"action": "opened"}')


async def test_concurrent_adds_share_transactions_and_each_learns_if_it_was_new(
    database: Database,
) -> None:
    inbox = SqlInbox(database, batch=16)
    keys = [f"d{n}" for n in range(100)]
    answers = await asyncio.gather(*(inbox.add(received(key)) for key in [*keys, "d7", "d42"]))
    assert answers.count(True) == 100 and answers.count(False) == 2, "a duplicate is not new"
    assert await inbox.counts() == {"received": 100, "waiting": 100}
    assert await inbox.add(received("d7")) is False, "a redelivery later is a no-op"
    assert await inbox.counts() == {"received": 100, "waiting": 100}


async def test_a_body_seen_before_under_another_delivery_id_is_not_new(
    database: Database,
) -> None:
    inbox = SqlInbox(database, batch=16)
    same = [Received(f"d{n}", "issues", "{}", digest="body-1") for n in range(5)]
    other = Received("d9", "issues", "{}", digest="body-2")
    answers = await asyncio.gather(*(inbox.add(r) for r in [*same, other]))
    assert answers.count(True) == 2, "one row for the body, whichever id came first"
    assert await inbox.add(Received("d10", "issues", "{}", digest="body-1")) is False
    polled = [Received(f"p{n}", "issues", "{}") for n in range(3)]
    assert await asyncio.gather(*(inbox.add(r) for r in polled)) == [True, True, True]
    assert await inbox.counts() == {"received": 5, "waiting": 5}


async def test_a_failed_batch_fails_every_caller_in_it(database: Database) -> None:
    inbox = SqlInbox(database)
    await asyncio.to_thread(_drop_inbox, database)
    results = await asyncio.gather(
        inbox.add(received("a")), inbox.add(received("b")), return_exceptions=True
    )
    assert all(isinstance(result, Exception) for result in results)


def _drop_inbox(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE inbox")


async def test_claims_are_leased_to_one_worker_until_the_lease_runs_out(
    database: Database,
) -> None:
    inbox = SqlInbox(database)
    for n in range(6):
        await inbox.add(received(f"d{n}"))
    batches = await asyncio.gather(*(inbox.claim(limit=4, lease_seconds=60) for _ in range(3)))
    claimed = [leased.received.delivery for batch in batches for leased in batch]
    assert sorted(claimed) == [f"d{n}" for n in range(6)], "each row to exactly one claim"
    assert await inbox.claim(limit=10, lease_seconds=60) == []
    expired = utc_now() - timedelta(seconds=1)
    await database.run(lambda session: session.exec(update(InboxRow).values(lease_until=expired)))
    again = await inbox.claim(limit=10, lease_seconds=60)
    assert [leased.received.delivery for leased in again] == [f"d{n}" for n in range(6)]


async def test_recording_the_event_finishes_its_row_in_the_same_transaction(
    database: Database,
) -> None:
    inbox, journal = SqlInbox(database), SqlEventJournal(database)
    await inbox.add(received("github:1"))
    await inbox.add(received("github:2"))
    issue = Issue(3, "GBM", "", "https://x/3")
    event = TrackerEvent("github:1", EventKind.OPENED, "o/r", issue)
    assert await journal.record(event=event, ask_number=None, deliveries=[])
    assert await inbox.counts() == {"received": 2, "waiting": 1}
    [left] = await inbox.claim(limit=10, lease_seconds=60)
    assert left.received.delivery == "github:2"
    await inbox.retry_at(row_id=left.id, at=utc_now() - timedelta(seconds=1), error="boom")
    [retried] = await inbox.claim(limit=10, lease_seconds=60)
    assert retried.attempts == 1
    await inbox.done(row_id=retried.id)
    assert await inbox.counts() == {"received": 2, "waiting": 0}


async def test_busy_means_many_deliveries_just_now(database: Database) -> None:
    inbox = SqlInbox(database)
    assert not inbox.busy(adds=5, within=60)
    await asyncio.gather(*(inbox.add(received(f"d{n}")) for n in range(5)))
    assert inbox.busy(adds=5, within=60) and not inbox.busy(adds=6, within=60)
    assert not inbox.busy(adds=5, within=0)


async def test_prune_forgets_only_rows_worked_before_the_cut(database: Database) -> None:
    inbox = SqlInbox(database)
    for key in ("old", "new", "waiting"):
        await inbox.add(received(key))
    for leased in await inbox.claim(limit=2, lease_seconds=60):
        await inbox.done(row_id=leased.id)
    assert await inbox.prune(before=utc_now() - timedelta(days=1)) == 0
    assert await inbox.prune(before=utc_now() + timedelta(seconds=1)) == 2
    assert await inbox.counts() == {"received": 1, "waiting": 1}
    assert await inbox.add(received("old")) is True, "a late redelivery is a new row again"
