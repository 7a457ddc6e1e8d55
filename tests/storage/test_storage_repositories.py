"""The registry's store: installations and their repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.repositories.model import Installation, ServedRepository
from storage.database import Database
from storage.repositories import SqlRepositoryStore

BIG_ID = 2**40  # GitHub's ids outgrow 32 bits


def lab(*names: str, installation_id: int = 7, suspended: bool = False) -> Installation:
    served = tuple(ServedRepository(name, installation_id, private=True) for name in names)
    return Installation(installation_id, "lab", suspended, served)


async def names(store: SqlRepositoryStore) -> list[str]:
    return [found.full_name for found in await store.served()]


async def test_put_adds_and_remove_takes_away(database: Database) -> None:
    store = SqlRepositoryStore(database)
    await store.put(installation=lab("lab/B", "lab/a"))
    await store.put(installation=lab("lab/c"))
    assert await names(store) == ["lab/a", "lab/B", "lab/c"]
    await store.remove(installation_id=7, full_names=["LAB/b"])
    assert await names(store) == ["lab/a", "lab/c"]
    found = await store.find(full_name="Lab/A")
    assert found == ServedRepository("lab/a", 7, True)


async def test_suspended_installations_serve_nothing_and_drop_forgets(database: Database) -> None:
    store = SqlRepositoryStore(database)
    await store.put(installation=lab("lab/a", installation_id=BIG_ID))
    await store.suspend(installation_id=BIG_ID, suspended=True)
    assert await names(store) == [] and await store.find(full_name="lab/a") is None
    await store.suspend(installation_id=BIG_ID, suspended=False)
    assert await names(store) == ["lab/a"]
    await store.drop(installation_id=BIG_ID)
    assert await names(store) == []


async def test_a_repository_moves_with_its_installation(database: Database) -> None:
    store = SqlRepositoryStore(database)
    await store.put(installation=lab("lab/a"))
    await store.put(installation=lab("lab/a", installation_id=8))
    found = await store.find(full_name="lab/a")
    assert found is not None and found.installation_id == 8


async def test_replace_all_is_exactly_what_github_said(database: Database) -> None:
    store = SqlRepositoryStore(database)
    await store.put(installation=lab("lab/gone"))
    await store.replace_all(installations=[lab("lab/a", installation_id=9)])
    assert await names(store) == ["lab/a"]
