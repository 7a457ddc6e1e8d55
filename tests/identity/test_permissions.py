"""GitHub decides who may do what: each row of the table, allowed and refused, via Commands.run.

The people talk from Slack (the console is never checked); their GitHub role
on octo/dslp comes from the fake's collaborator permission endpoint.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from bot.types import FiledAsk, Person, Place, Reply, Say
from tests.identity.conftest import ADMIN, ANA, BEN, Browser
from tests.support.apps import app_settings
from tests.support.identities import grant

CHANNEL = Place("slack", "C-DSLP", "T1")
CAROL = Person("slack", "UCAROL", "T1", "Carol")
EXPERIMENT_BODY = "***Ask Reference:*** #1\n## Results\n***TLDR:*** \n"


async def run(app: App, text: str, person: Person, place: Place = CHANNEL) -> list[Reply]:
    return await app.commands.run(person=person, place=place, text=text)


def said(replies: list[Reply]) -> str:
    return "\n".join(reply.text for reply in replies if isinstance(reply, Say))


def refused(replies: list[Reply]) -> bool:
    text = said(replies)
    return "This needs" in text or "Only the bot's admins" in text


@pytest.fixture
async def team(browser: Browser) -> App:
    """Ana writes, Carol reads, Ben is not signed in; Ask #1 (Carol's) and Experiment #2 exist."""
    app, fake = browser.app, browser.fake
    await grant(app, fake, ANA.key, "ana-gh", "write")
    await grant(app, fake, CAROL.key, "carol-gh", "read")
    fake.add_issue(title="Predict churn", body="Ask body", labels=["Ask"])
    fake.add_issue(title="GBM baseline", body=EXPERIMENT_BODY, labels=["Experiment"])
    await app.asks.record(
        ask=FiledAsk(
            1, "https://x/1", "Predict churn", CAROL.key, "Carol", CHANNEL, "d1", "octo/dslp"
        )
    )
    return app


WRITE_COMMANDS = [
    "data 1",
    "explore 1",
    "experiment 1",
    "experiment 2",
    "experiment 2 succeeded GBM beats the baseline",
    "experiment 2 on-hold waiting for data",
    "model 2",
    "subscribe",
    "unsubscribe",
    "digest daily 09:00",
    "digest off",
    "digest threshold inactive 5",
    "digest empty post",
    "digest snooze #2",
]


@pytest.mark.parametrize("text", WRITE_COMMANDS)
async def test_write_commands_need_a_verified_writer(team: App, text: str) -> None:
    assert not refused(await run(team, text, ANA)), text
    carol = said(await run(team, text, CAROL))
    assert "needs write access to octo/dslp" in carol and "@carol-gh read access" in carol
    ben = await run(team, text, BEN)
    assert "Sign in with GitHub" in said(ben) and "/github/signin?state=" in said(ben)
    [reply] = ben
    assert isinstance(reply, Say) and reply.choices[0].url


async def test_an_outcome_refused_changes_nothing_in_github(team: App, browser: Browser) -> None:
    await run(team, "experiment 2 failed no signal", CAROL)
    assert browser.fake.issues()[1].labels == ["Experiment"]
    assert browser.fake.count("POST", r"/repos/octo/dslp/issues/2/.*") == 0


async def test_linked_forms_are_checked_too(team: App) -> None:
    refusal = await team.linked.form(person=CAROL, place=CHANNEL, text="data 1")
    assert isinstance(refusal, list) and refused(refusal)
    assert not isinstance(await team.linked.form(person=ANA, place=CHANNEL, text="data 1"), list)


async def test_roles_need_maintain_or_the_bot_admins(team: App, browser: Browser) -> None:
    browser.fake.collaborator("ana-gh", "maintain")
    add = "role add it slack:T1:U9"
    assert "maintain or admin access" in said(await run(team, add, CAROL))
    assert "now has the role" in said(await run(team, add, ADMIN))
    assert "Removed 1" in said(await run(team, "role remove it slack:T1:U9", ANA))
    assert "`it`" not in said(await run(team, "role list", BEN))


async def test_status_of_someone_elses_issue_needs_read(team: App) -> None:
    assert "churn" in said(await run(team, "status #1", CAROL))
    assert "churn" in said(await run(team, "status #1", ANA))
    assert "Sign in with GitHub" in said(await run(team, "status #1", BEN))


async def test_a_private_repository_reads_nothing_for_non_collaborators(
    team: App, browser: Browser
) -> None:
    dave = Person("slack", "UDAVE", "T1", "Dave")
    await team.identities.vouch(member=dave.member, login="dave-gh", by=ADMIN.key)
    browser.fake.repo().private = True
    assert "GitHub gives @dave-gh none access" in said(await run(team, "status #1", dave))


@pytest.mark.parametrize("text", ["ask Churn", "status", "help", "role list", "digest settings"])
async def test_asking_and_your_own_things_need_nothing(team: App, text: str) -> None:
    assert not refused(await run(team, text, BEN, Place.direct(BEN)))


async def test_the_console_is_never_asked(team: App) -> None:
    console = Person("console", "me", "local", "me")
    assert not refused(await run(team, "data 1", console, Place("console", "terminal", "local")))


async def test_github_s_answer_is_remembered_five_minutes(team: App, browser: Browser) -> None:
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    team.permissions.clock = lambda: now
    assert not refused(await run(team, "digest empty post", ANA))
    asked = browser.fake.count("GET", r".*/collaborators/ana-gh/permission")
    browser.fake.collaborator("ana-gh", "read")
    now += timedelta(minutes=4, seconds=59)
    assert not refused(await run(team, "digest empty post", ANA))
    assert browser.fake.count("GET", r".*/collaborators/ana-gh/permission") == asked
    now += timedelta(seconds=2)
    assert "needs write access" in said(await run(team, "digest empty post", ANA))


async def test_a_401_or_403_drops_what_was_remembered(team: App, browser: Browser) -> None:
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    team.permissions.clock = lambda: now
    await run(team, "digest empty post", CAROL)  # Carol's answer is remembered from 9:00
    now += timedelta(minutes=3)
    assert not refused(await run(team, "digest empty post", ANA))  # Ana's from 9:03
    now += timedelta(minutes=2, seconds=30)  # Carol's is stale, Ana's is not
    browser.fake.fail_next("GET", r".*/collaborators/.*/permission", 403, times=2)
    assert "could not ask GitHub" in said(await run(team, "digest empty post", CAROL))
    assert "could not ask GitHub" in said(await run(team, "digest empty post", ANA))


async def test_a_rate_limit_keeps_what_was_remembered(team: App, browser: Browser) -> None:
    """Out of requests for an hour (a 403 too) is GitHub not answering, not GitHub saying no."""
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    team.permissions.clock = lambda: now
    await run(team, "digest empty post", CAROL)
    now += timedelta(minutes=3)
    assert not refused(await run(team, "digest empty post", ANA))
    now += timedelta(minutes=2, seconds=30)
    permission = r".*/collaborators/.*/permission"
    browser.fake.rate_limit_next("GET", permission, reset_in=3600)
    assert "could not ask GitHub" in said(await run(team, "digest empty post", CAROL))
    asked = browser.fake.count("GET", permission)
    assert not refused(await run(team, "digest empty post", ANA))
    assert browser.fake.count("GET", permission) == asked


async def test_without_github_only_the_admins_guard_roles(tmp_path: Path) -> None:
    app = build(app_settings(tmp_path, dslp_admins=ADMIN.key))
    try:
        assert "Only the bot's admins" in said(await run(app, "role add it slack:T1:U9", BEN))
        assert not refused(await run(app, "subscribe octo/x", BEN))
    finally:
        app.database.dispose()
