"""SqlDraftStore against the DraftStore contract, on every database kind."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC

import pytest

from bot.types import Draft, Place, Stage, frozen_map
from storage.database import Database
from storage.drafts import SqlDraftStore

OWNER = "slack:T1:U1"
ORIGIN = Place(platform="slack", channel_id="C1", team_id="T1", thread_id="1700000000.000100")
LONG_TEXT = "données " * 12_800  # about 100 KB


@pytest.fixture
def store(database: Database) -> SqlDraftStore:
    return SqlDraftStore(database)


def make_draft(draft_id: str = "d1", **changes: object) -> Draft:
    draft = Draft(id=draft_id, flow="ask", owner=OWNER, origin=ORIGIN)
    return replace(draft, **changes)  # type: ignore[arg-type]


def without_times(draft: Draft) -> Draft:
    return replace(draft, created_at=None, updated_at=None)


async def test_every_field_survives_a_round_trip(store: SqlDraftStore) -> None:
    draft = make_draft(
        answers=frozen_map(
            {"problem": "Churn 📉 rose", "context": "مرحبا بالعالم", "long": LONG_TEXT}
        ),
        skipped=frozenset({"deadline", "stakeholders"}),
        cursor="success",
        stage=Stage.REVIEW,
        trail=("problem", "context", "problem"),
        awaiting_resume=True,
        owner_name="Zoë Ünal",
        context=frozen_map({"linked": "#12", "emoji": "🚀"}),
        issue_number=42,
        issue_url="https://github.com/o/r/issues/42",
        last_error="GitHub said: 502 — retrying",
    )
    saved = await store.save(draft=draft)
    assert without_times(saved) == draft
    assert await store.get(draft_id="d1") == saved


async def test_save_sets_aware_timestamps_and_keeps_created_at(store: SqlDraftStore) -> None:
    first = await store.save(draft=make_draft())
    second = await store.save(draft=replace(first, cursor="context"))
    assert first.created_at is not None and first.created_at.tzinfo is not None
    assert first.created_at.utcoffset() == UTC.utcoffset(None)
    assert second.created_at == first.created_at
    assert second.updated_at is not None and first.updated_at is not None
    assert second.updated_at >= first.updated_at
    assert second.cursor == "context"


async def test_get_unknown_draft_is_none(store: SqlDraftStore) -> None:
    assert await store.get(draft_id="missing") is None


async def test_get_open_picks_the_newest_open_draft_of_that_flow(store: SqlDraftStore) -> None:
    await store.save(draft=make_draft("older"))
    await store.save(draft=make_draft("newer"))
    await store.save(draft=make_draft("other-flow", flow="data"))
    await store.save(draft=make_draft("other-owner", owner="slack:T1:U2"))
    found = await store.get_open(owner=OWNER, flow="ask")
    assert found is not None and found.id == "newer"


@pytest.mark.parametrize("stage", [Stage.FILED, Stage.DISCARDED])
async def test_filed_and_discarded_drafts_are_not_open(store: SqlDraftStore, stage: Stage) -> None:
    await store.save(draft=make_draft("done", stage=stage))
    assert await store.get_open(owner=OWNER, flow="ask") is None
    assert await store.list_open(owner=OWNER) == []


async def test_list_open_lists_every_open_stage(store: SqlDraftStore) -> None:
    open_stages = [Stage.ASKING, Stage.COACHING, Stage.REVIEW, Stage.SUBMITTING]
    for stage in [*open_stages, Stage.FILED]:
        await store.save(draft=make_draft(stage.value, stage=stage))
    listed = await store.list_open(owner=OWNER)
    assert sorted(draft.id for draft in listed) == sorted(stage.value for stage in open_stages)


async def test_claim_leases_submitting_drafts_once(store: SqlDraftStore) -> None:
    await store.save(draft=make_draft("queued", stage=Stage.SUBMITTING))
    await store.save(draft=make_draft("editing", stage=Stage.REVIEW))
    claimed = await store.claim_submitting(limit=10, lease_seconds=60)
    assert [draft.id for draft in claimed] == ["queued"]
    assert await store.claim_submitting(limit=10, lease_seconds=60) == []


async def test_claim_respects_the_limit_oldest_first(store: SqlDraftStore) -> None:
    for number in range(3):
        await store.save(draft=make_draft(f"d{number}", stage=Stage.SUBMITTING))
    claimed = await store.claim_submitting(limit=2, lease_seconds=60)
    assert [draft.id for draft in claimed] == ["d0", "d1"]


async def test_two_replicas_claiming_at_once_get_disjoint_drafts(database: Database) -> None:
    replica = Database(database.url)
    stores = [SqlDraftStore(database), SqlDraftStore(replica)]
    ids = {f"d{number}" for number in range(12)}
    for draft_id in sorted(ids):
        await stores[0].save(draft=make_draft(draft_id, stage=Stage.SUBMITTING))
    batches = await asyncio.gather(
        *(store.claim_submitting(limit=12, lease_seconds=60) for store in stores * 2)
    )
    replica.dispose()
    claimed = [draft.id for batch in batches for draft in batch]
    assert sorted(claimed) == sorted(ids)


async def test_an_expired_lease_can_be_claimed_again(store: SqlDraftStore) -> None:
    await store.save(draft=make_draft("queued", stage=Stage.SUBMITTING))
    assert len(await store.claim_submitting(limit=1, lease_seconds=0.05)) == 1
    await asyncio.sleep(0.1)
    assert [draft.id for draft in await store.claim_submitting(limit=1, lease_seconds=60)] == [
        "queued"
    ]


async def test_release_frees_the_lease_at_once(store: SqlDraftStore) -> None:
    await store.save(draft=make_draft("queued", stage=Stage.SUBMITTING))
    await store.claim_submitting(limit=1, lease_seconds=60)
    await store.release(draft_id="queued")
    assert len(await store.claim_submitting(limit=1, lease_seconds=60)) == 1


async def test_saving_while_leased_keeps_the_lease(store: SqlDraftStore) -> None:
    """A worker recording a retryable error keeps its lease, which doubles as a back-off."""
    await store.save(draft=make_draft("queued", stage=Stage.SUBMITTING))
    (claimed,) = await store.claim_submitting(limit=1, lease_seconds=60)
    await store.save(draft=replace(claimed, last_error="GitHub is down"))
    assert await store.claim_submitting(limit=1, lease_seconds=60) == []


async def test_leaving_submitting_clears_the_lease(store: SqlDraftStore) -> None:
    await store.save(draft=make_draft("queued", stage=Stage.SUBMITTING))
    (claimed,) = await store.claim_submitting(limit=1, lease_seconds=60)
    await store.save(draft=replace(claimed, stage=Stage.REVIEW))
    await store.save(draft=replace(claimed, stage=Stage.SUBMITTING))
    assert len(await store.claim_submitting(limit=1, lease_seconds=60)) == 1
