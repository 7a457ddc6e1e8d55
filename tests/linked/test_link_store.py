"""SqlLinkStore against the LinkStore contract, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.linked.records import LinkedIssue
from storage.database import Database
from storage.linked import SqlLinkStore
from tests.support.databases import DATABASE_PARAMS, make_database

EXPERIMENT = LinkedIssue(
    repository="octo/dslp",
    number=45,
    kind="Experiment",
    ask_number=12,
    title="Churn GBM baseline",
    branch="experiment/45-churn-gbm-baseline",
    draft_id="d-45",
    url="https://github.com/octo/dslp/issues/45",
)


@pytest.fixture(params=DATABASE_PARAMS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlLinkStore]:
    with make_database(request.param, tmp_path) as database:
        database.migrate()
        yield SqlLinkStore(database)


async def test_record_then_read_back(store: SqlLinkStore) -> None:
    saved = await store.record(link=EXPERIMENT)
    assert replace(saved, created_at=None, updated_at=None) == EXPERIMENT
    assert saved.created_at is not None
    assert await store.get(repository="octo/dslp", number=45) == saved


async def test_record_is_idempotent_and_updates_details(store: SqlLinkStore) -> None:
    first = await store.record(link=EXPERIMENT)
    again = await store.record(link=replace(EXPERIMENT, title="Renamed", draft_id="other"))
    assert again.title == "Renamed"
    assert again.draft_id == "d-45"  # the draft that filed it stays known
    assert again.created_at == first.created_at
    assert len(await store.for_ask(repository="octo/dslp", ask_number=12)) == 1


async def test_for_ask_lists_one_ask_in_number_order(store: SqlLinkStore) -> None:
    await store.record(link=replace(EXPERIMENT, number=50))
    await store.record(link=EXPERIMENT)
    await store.record(link=replace(EXPERIMENT, number=60, ask_number=13))
    await store.record(link=replace(EXPERIMENT, number=70, repository="octo/other"))
    found = await store.for_ask(repository="octo/dslp", ask_number=12)
    assert [link.number for link in found] == [45, 50]


async def test_set_status(store: SqlLinkStore) -> None:
    assert await store.set_status(repository="octo/dslp", number=45, status="failed") is None
    await store.record(link=EXPERIMENT)
    changed = await store.set_status(repository="octo/dslp", number=45, status="succeeded")
    assert changed is not None and changed.status == "succeeded"
    stored = await store.get(repository="octo/dslp", number=45)
    assert stored is not None and stored.status == "succeeded"


def test_migration_creates_the_table(tmp_path: Path) -> None:
    with make_database("sqlite", tmp_path) as database:
        database.migrate()
        database.migrate()  # a second start finds the schema at head
        assert _tables(database) >= {"linked_issues", "drafts"}


def _tables(database: Database) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(database.engine).get_table_names())
