"""The insights' history store, on SQLite and PostgreSQL: kept once, read back whole."""

from __future__ import annotations

from bot.insights.measures import measure
from bot.insights.ports import Cursor
from storage.database import Database
from storage.insights import SqlHistory
from tests.insights.history import EVENTS, HISTORY, ISSUES, WINDOW


async def test_recording_twice_stores_once_and_reads_back_the_same_history(
    database: Database,
) -> None:
    store = SqlHistory(database)
    first = await store.record(repository="octo/dslp", issues=ISSUES, events=EVENTS)
    again = await store.record(repository="Octo/DSLP", issues=ISSUES, events=EVENTS)
    assert (first, again) == (len(EVENTS), 0)
    read = await store.history(repository="octo/dslp")
    assert read == HISTORY
    assert measure(read, WINDOW) == measure(HISTORY, WINDOW)


async def test_an_issue_seen_again_is_updated(database: Database) -> None:
    store = SqlHistory(database)
    await store.record(repository="octo/dslp", issues=ISSUES[:1], events=[])
    renamed = ISSUES[0].__class__(1, "Churn, scoped", ISSUES[0].created_at, ISSUES[0].kind)
    await store.record(repository="octo/dslp", issues=[renamed], events=[])
    assert (await store.history(repository="octo/dslp")).issues[1].title == "Churn, scoped"


async def test_histories_of_two_repositories_stay_apart(database: Database) -> None:
    store = SqlHistory(database)
    await store.record(repository="octo/dslp", issues=ISSUES, events=EVENTS)
    other = await store.history(repository="octo/other")
    assert (dict(other.issues), other.events) == ({}, ())


async def test_the_cursor_starts_at_page_one_and_remembers(database: Database) -> None:
    store = SqlHistory(database)
    assert await store.cursor(repository="octo/dslp") == Cursor(1, False)
    await store.advance(repository="octo/dslp", cursor=Cursor(4, False))
    await store.advance(repository="OCTO/dslp", cursor=Cursor(5, False))
    assert await store.cursor(repository="octo/dslp") == Cursor(5, False)
