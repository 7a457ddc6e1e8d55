"""`stats` end to end: the real app, its storage and the fake GitHub holding the history."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.app import App
from adapters.composition import build
from adapters.console.chat import console_person, one_command
from bot.insights import texts as t
from bot.texts.commands import STATUS_NONE
from bot.types import Person, Place, Reply, Say, ShowChart
from tests.fakes.github_api import FakeGitHub
from tests.insights.conftest import load_history
from tests.support.apps import app_settings
from tests.support.identities import grant

PNG = b"\x89PNG\r\n\x1a\n"
ANA = Person(platform="slack", user_id="UANA", team_id="T1", name="Ana")
CHANNEL = Place(platform="slack", channel_id="C1", team_id="T1")
DM = Place(platform="slack", channel_id="dm:UANA", team_id="T1")


async def stats(app: App, text: str, place: Place = CHANNEL, person: Person = ANA) -> list[Reply]:
    return await app.commands.run(person=person, place=place, text=text)


async def test_first_stats_backfills_in_the_background_then_shows_numbers_and_a_picture(
    app: App, fake_github: FakeGitHub
) -> None:
    load_history(fake_github)
    await grant(app, fake_github, ANA.key, "ana-gh", "read")
    [first] = await stats(app, "stats all")
    assert isinstance(first, Say) and first.text == t.NO_HISTORY.format(repository="octo/dslp")
    await app.insights.service.drain()
    [shown] = await stats(app, "stats octo/dslp all")
    assert isinstance(shown, ShowChart)
    assert shown.image.startswith(PNG) and shown.name == "dslp-insights-octo-dslp-all.png"
    # All time (to now): #5's later success counts too, so 2 succeeded and 1 failed.
    assert "**Success rate:** 67 % (2 succeeded, 1 failed; 0 on hold)" in shown.text
    assert "1 of 2 Asks reached a Model (50 %)" in shown.text
    assert "(history since 2026-01-03)" in shown.text


async def test_a_private_repository_is_shown_only_where_its_issues_may_be(
    app: App, fake_github: FakeGitHub
) -> None:
    fake_github.repo().private = True
    await grant(app, fake_github, ANA.key, "ana-gh", "read")
    [refused] = await stats(app, "stats")
    assert isinstance(refused, Say)
    assert refused.text == t.NOT_SHOWN_HERE.format(repository="octo/dslp")
    [in_dm] = await stats(app, "stats", place=DM)
    assert in_dm != refused
    await app.notifications.people.subscribe(repository="octo/dslp", place=CHANNEL, by=ANA.key)
    [subscribed] = await stats(app, "stats")
    assert subscribed != refused


async def test_someone_without_read_access_is_refused(app: App, fake_github: FakeGitHub) -> None:
    load_history(fake_github)
    stranger = Person(platform="slack", user_id="UX", team_id="T1", name="X")
    [refused] = await stats(app, "stats", person=stranger)
    assert isinstance(refused, Say)
    assert refused.text.startswith("This needs read access to octo/dslp")
    assert fake_github.count("GET", r"/repos/octo/dslp/issues/events") == 0


async def test_bad_words_and_unserved_repositories_are_refused(
    app: App, fake_github: FakeGitHub
) -> None:
    await grant(app, fake_github, ANA.key, "ana-gh", "read")
    [bad] = await stats(app, "stats fortnight")
    assert isinstance(bad, Say) and bad.text == t.BAD_WORD.format(word="fortnight")
    [other] = await stats(app, "stats evil/elsewhere 30d")
    assert isinstance(other, Say) and "not a repository this bot serves" in other.text


async def test_the_console_runs_one_command_and_writes_the_picture(
    app: App, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    load_history(fake_github)
    await app.insights.backfill.run("octo/dslp")
    out = io.StringIO()
    assert await one_command(app, "stats quarter", charts=tmp_path / "charts", out=out) == 0
    text = out.getvalue()
    rows = {line.split(" | ")[0].strip() for line in text.splitlines() if " | " in line}
    assert {"Success rate", "Hand-offs (median / 85th percentile)", "Aging"} <= rows
    written = tmp_path / "charts" / "dslp-insights-octo-dslp-quarter.png"
    assert f"Chart: {written}" in text and written.read_bytes().startswith(PNG)


async def test_the_console_runs_status_instead_of_framing_an_ask(app: App) -> None:
    out = io.StringIO()
    await one_command(app, "status", out=out)
    assert out.getvalue().strip() == STATUS_NONE
    assert await app.drafts.list_open(owner=console_person().key) == []


async def test_the_local_tracker_says_it_has_no_github_history(tmp_path: Path) -> None:
    local = build(app_settings(tmp_path))
    try:
        out = io.StringIO()
        await one_command(local, "stats 30d", out=out)
        repository = local.tracker.repository
        assert out.getvalue().strip() == t.NO_GITHUB.format(repository=repository)
    finally:
        local.database.dispose()
