"""Backfilling from the fake GitHub: the same history as by hand, resumable, idempotent."""

from __future__ import annotations

import io

import pytest

from adapters.app import App
from adapters.console.backfill import backfill_one
from adapters.github.history import GitHubEventSource
from bot.insights.backfill import Backfill, Progress
from bot.insights.measures import measure
from bot.ports import TrackerError
from tests.fakes.github_api import FakeGitHub
from tests.insights.conftest import load_history
from tests.insights.history import EVENTS, HISTORY, WINDOW

EVENTS_PATH = r"/repos/octo/dslp/issues/events"


def small_pages(app: App, per_page: int = 5) -> Backfill:
    source = GitHubEventSource(app.trackers, per_page=per_page)
    return Backfill(source=source, store=app.insights.store)


async def test_backfill_gives_the_hand_computed_numbers(app: App, fake_github: FakeGitHub) -> None:
    load_history(fake_github)
    done = await small_pages(app).run("octo/dslp")
    assert (done.pages, done.added) == (6, len(EVENTS))  # 27 events, 5 a page
    assert done.earliest == HISTORY.earliest
    stored = await app.insights.store.history(repository="octo/dslp")
    assert measure(stored, WINDOW) == measure(HISTORY, WINDOW)


async def test_running_it_again_reads_one_page_and_changes_nothing(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    backfill = small_pages(app)
    await backfill.run("octo/dslp")
    before = await app.insights.store.history(repository="octo/dslp")
    requests = fake_github.count("GET", EVENTS_PATH)
    again = await backfill.run("octo/dslp")
    assert (again.pages, again.added) == (1, 0)
    assert fake_github.count("GET", EVENTS_PATH) == requests + 1
    assert await app.insights.store.history(repository="octo/dslp") == before


class Interrupted(Exception):
    """Ctrl-C after a page, as the terminal would deliver it."""


def stop_after(pages: int) -> Progress:
    def progress(done: int, _: int | None) -> None:
        if done == pages:
            raise Interrupted

    return progress


async def test_an_interrupted_backfill_goes_on_from_where_it_stopped(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    backfill = small_pages(app)
    with pytest.raises(Interrupted):
        await backfill.run("octo/dslp", stop_after(2))
    resumed = await backfill.run("octo/dslp")
    assert resumed.pages == 4, "pages 3 to 6 only"
    assert fake_github.count("GET", EVENTS_PATH) == 6
    stored = await app.insights.store.history(repository="octo/dslp")
    assert measure(stored, WINDOW) == measure(HISTORY, WINDOW)


async def test_github_failing_keeps_what_was_read(app: App, fake_github: FakeGitHub) -> None:
    load_history(fake_github)
    fake_github.fail_next("GET", EVENTS_PATH, 502, times=50)
    with pytest.raises(TrackerError):
        await small_pages(app).run("octo/dslp")
    fake_github.rules.clear()
    assert (await small_pages(app).run("octo/dslp")).added == len(EVENTS)


async def test_rate_limits_are_waited_out_by_the_retry_layer(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    fake_github.fail_next("GET", EVENTS_PATH, 429, headers={"Retry-After": "0"}, times=2)
    done = await small_pages(app).run("octo/dslp")
    assert done.added == len(EVENTS)


async def test_the_console_shows_progress_and_how_far_back_it_goes(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    out = io.StringIO()
    assert await backfill_one(small_pages(app), "octo/dslp", out)
    text = out.getvalue()
    assert "1/6 pages" in text and "6/6 pages" in text
    assert "27 new event(s); history since 2026-01-03" in text
