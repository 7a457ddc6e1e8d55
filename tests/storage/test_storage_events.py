"""The event journal and who-is-who stores on every database kind."""

from __future__ import annotations

import asyncio

from bot.lifecycle.audience import Delivery, Recording
from bot.lifecycle.events import EventKind, TrackerEvent
from bot.types import (
    Choice,
    Issue,
    ListItem,
    Member,
    Place,
    Readiness,
    Say,
    Scope,
    ShowFiled,
    ShowList,
    ShowPreview,
)
from storage.database import Database
from storage.events import SqlEventJournal, SqlPollCursors
from storage.identities import SqlIdentityStore
from storage.people import SqlPeopleStore

PLACE = Place("slack", "C1", "T1", "th")


def event(delivery: str = "d1") -> TrackerEvent:
    issue = Issue(3, "GBM", "***Ask Reference:*** #1", "https://x/3", labels=frozenset({"Data"}))
    return TrackerEvent(delivery, EventKind.OPENED, "o/r", issue, actor="octo")


def delivery(key: str = "k1") -> Delivery:
    return Delivery(key, PLACE, "text", (Choice("Open", "model 3"),), "data-opened", 1)


async def test_record_is_once_per_delivery_and_per_key(database: Database) -> None:
    journal = SqlEventJournal(database)
    assert await journal.record(event=event(), ask_number=1, deliveries=[delivery()])
    assert not await journal.record(event=event(), ask_number=1, deliveries=[delivery("k2")])
    assert await journal.record(event=event("d2"), ask_number=1, deliveries=[delivery()])
    assert await journal.seen(delivery="d1") and not await journal.seen(delivery="d3")
    assert await journal.counts() == {"pending": 1}
    assert await journal.watchers(repository="o/r", ask_number=1) == [PLACE]
    known = await journal.known_issue(repository="o/r", number=3)
    assert known is not None and (known.kind, known.ask_number) == ("Data", 1)


async def test_record_all_writes_only_the_new_events_and_their_notifications(
    database: Database,
) -> None:
    journal = SqlEventJournal(database)
    assert await journal.record(event=event("d1"), ask_number=1, deliveries=[delivery("k1")])
    batch = [
        Recording(event(f"d{n}"), 1, (delivery(f"k{n}"), delivery(f"k{n}-b")), None)
        for n in (1, 2, 3)
    ]
    assert await journal.record_all(recordings=batch) == {"d2", "d3"}
    assert await journal.counts() == {"pending": 5}, "k1 once; d1's k1-b never"
    assert await journal.seen_among(deliveries=["d1", "d3", "d9"]) == {"d1", "d3"}
    assert await journal.record_all(recordings=[]) == set()


async def test_a_crowded_place_is_claimed_whole_and_marked_sent_at_once(
    database: Database,
) -> None:
    journal = SqlEventJournal(database)
    quiet = Place("slack", "C2", "T1")
    crowd = [Recording(event(f"d{n}"), 1, (delivery(f"k{n}"),)) for n in range(4)]
    await journal.record_all(recordings=crowd)
    await journal.record(
        event=event("q"), ask_number=1, deliveries=[Delivery("kq", quiet, "hi", (), "x", 1)]
    )
    await journal.enqueue(key="filed", place=PLACE, replies=[Say("Filed")])
    assert await journal.claim_crowded(more_than=4, lease_seconds=60) is None, "4 are not > 4"
    claimed = await journal.claim_crowded(more_than=3, lease_seconds=60)
    assert claimed is not None and claimed.place == PLACE
    assert [q.actor for q in claimed.queued] == ["octo"] * 4, "the filing reply is not summed up"
    assert await journal.claim_crowded(more_than=0, lease_seconds=60) is not None, "the quiet one"
    await journal.mark_all_sent(row_ids=[p.id for p in claimed.pending], ref="ts-1")
    assert await journal.counts() == {"sent": 4, "pending": 2}


async def test_a_row_an_earlier_claim_left_unfinished_is_never_summed_up(
    database: Database,
) -> None:
    """It may have been posted: it goes alone, looked for first, not inside a summary."""
    journal = SqlEventJournal(database)
    crowd = [Recording(event(f"d{n}"), 1, (delivery(f"k{n}"),)) for n in range(5)]
    await journal.record_all(recordings=crowd)
    [unfinished] = await journal.claim_due(limit=1, lease_seconds=0.01)
    await asyncio.sleep(0.05)  # its worker died: the lease runs out
    claimed = await journal.claim_crowded(more_than=3, lease_seconds=60)
    assert claimed is not None and unfinished.id not in [p.id for p in claimed.pending]
    [alone] = await journal.claim_due(limit=5, lease_seconds=60)
    assert alone.id == unfinished.id and alone.unsure_since is not None


async def test_concurrent_claims_share_nothing(database: Database) -> None:
    journal = SqlEventJournal(database)
    keys = [delivery(f"k{n}") for n in range(6)]
    await journal.record(event=event(), ask_number=1, deliveries=keys)
    batches = await asyncio.gather(
        *(journal.claim_due(limit=6, lease_seconds=60) for _ in range(3))
    )
    claimed = [pending.key for batch in batches for pending in batch]
    assert sorted(claimed) == sorted(d.key for d in keys)
    first = batches[0][0] if batches[0] else next(b[0] for b in batches if b)
    assert first.replies == (Say("text", (Choice("Open", "model 3"),)),) and first.place == PLACE
    await journal.mark_all_sent(row_ids=[first.id])
    assert (await journal.counts())["sent"] == 1


REPLIES = (
    ShowFiled(7, "https://x/7", "T", "2 of 9 parts filled in.", ("no label",)),
    Say("ok", (Choice("Open", url="https://x/7"),)),
    ShowList("Digest", (ListItem("#7", (Choice("Snooze", "digest snooze #7"),)),), "end"),
    ShowPreview("T", "body", Readiness(("Problem",), (("Metric", "say how"),), (), ())),
)


async def test_background_replies_are_queued_once_per_key_and_read_back_whole(
    database: Database,
) -> None:
    journal = SqlEventJournal(database)
    assert await journal.enqueue(key="filing:d1:done", place=PLACE, replies=REPLIES)
    assert not await journal.enqueue(key="filing:d1:done", place=PLACE, replies=REPLIES)
    [pending] = await journal.claim_due(limit=5, lease_seconds=60)
    assert pending.replies == REPLIES and pending.unsure_since is None


async def test_a_claim_that_ended_without_an_outcome_is_reported_unsure_at_the_next(
    database: Database,
) -> None:
    """The worker died (its lease ran out) or its send failed: the next claim must look first."""
    journal = SqlEventJournal(database)
    await journal.enqueue(key="a", place=PLACE, replies=[Say("a")])
    await journal.enqueue(key="b", place=PLACE, replies=[Say("b")])
    first = {p.key: p for p in await journal.claim_due(limit=5, lease_seconds=0.01)}
    await journal.release(row_ids=[first["b"].id])  # never tried
    await asyncio.sleep(0.02)  # the lease of "a" runs out: its worker died mid-send
    again = {p.key: p for p in await journal.claim_due(limit=5, lease_seconds=60)}
    assert again["a"].unsure_since is not None and again["b"].unsure_since is None
    await journal.mark_all_sent(row_ids=[again["a"].id], ref="1700000000.000001")
    assert (await journal.counts())["sent"] == 1


async def test_an_unsure_row_is_looked_for_since_it_was_queued_however_often_claimed(
    database: Database,
) -> None:
    """Issue 17: the look-up window started at the last claim, so a message posted at the
    first of several unsure claims was outside it and was posted again."""
    journal = SqlEventJournal(database)
    await journal.enqueue(key="a", place=PLACE, replies=[Say("a")])
    [first] = await journal.claim_due(limit=5, lease_seconds=0.01)
    await asyncio.sleep(0.02)  # posted, then the worker died; the lease runs out
    [second] = await journal.claim_due(limit=5, lease_seconds=0.01)
    await asyncio.sleep(0.02)  # the second worker died too, before its look-up answered
    [third] = await journal.claim_due(limit=5, lease_seconds=60)
    assert first.claimed_at is not None and second.claimed_at is not None
    assert third.unsure_since == second.unsure_since
    assert third.unsure_since is not None and third.unsure_since <= first.claimed_at


async def test_renewed_leases_keep_rows_from_other_workers(database: Database) -> None:
    journal = SqlEventJournal(database)
    await journal.enqueue(key="a", place=PLACE, replies=[Say("a")])
    [held] = await journal.claim_due(limit=5, lease_seconds=0.01)
    assert held.claimed_at is not None
    kept = await journal.renew(row_ids=[held.id], claimed_at=held.claimed_at, lease_seconds=60)
    assert kept == {held.id}
    await asyncio.sleep(0.02)
    assert await journal.claim_due(limit=5, lease_seconds=60) == []


async def test_a_claim_taken_over_after_its_lease_is_not_renewed_for_its_first_holder(
    database: Database,
) -> None:
    """Issue 17: renewals held up past the lease, another worker took the rows, and the first
    one went on sending them: posted twice."""
    journal = SqlEventJournal(database)
    await journal.enqueue(key="a", place=PLACE, replies=[Say("a")])
    [late] = await journal.claim_due(limit=5, lease_seconds=0.01)
    await asyncio.sleep(0.02)
    [taken] = await journal.claim_due(limit=5, lease_seconds=60)
    assert late.claimed_at is not None and taken.claimed_at is not None
    assert (
        await journal.renew(row_ids=[late.id], claimed_at=late.claimed_at, lease_seconds=60)
        == set()
    )
    assert await journal.renew(
        row_ids=[taken.id], claimed_at=taken.claimed_at, lease_seconds=60
    ) == {taken.id}


async def test_people_and_cursors(database: Database) -> None:
    people = SqlPeopleStore(database)
    slack = Scope("slack", "T1")
    await people.add_role(
        scope=slack, repository="O/R", role="it", members=["slack:T1:U1", "slack:T1:U1"]
    )
    assert await people.roles(scope=slack, repository="o/r") == {"it": ("slack:T1:U1",)}
    identities = SqlIdentityStore(database)
    ana, tina = Member("slack:T1", "slack:T1:U1"), Member("teams:t", "teams:t:u")
    await identities.link(member=ana, login="Octo", verified_by="github")
    await identities.link(member=tina, login="octo", verified_by="teams:t:UADMIN")
    typed = Member("slack:T1", "slack:T1:U9")
    await identities.link(member=typed, login="octo", verified_by="")
    assert await people.members_for_logins(scope=slack, logins=["OCTO"]) == {
        "octo": ("slack:T1:U1",)
    }
    assert await people.linked_everywhere(logins=["OCTO"]) == {"octo": (ana, tina)}
    assert await people.subscribe(repository="o/r", place=PLACE, by="x")
    assert not await people.subscribe(repository="o/r", place=PLACE, by="y")
    assert await people.is_subscribed(repository="O/r")
    cursors = SqlPollCursors(database)
    assert await cursors.get(key="k") == ("", 0)
    await cursors.put(key="k", etag='"e"', position=5)
    await cursors.put(key="k", etag='"f"', position=6)
    assert await cursors.get(key="k") == ('"f"', 6)
