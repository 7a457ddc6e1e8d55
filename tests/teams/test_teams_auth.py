"""Who may talk to /api/messages: a Bot Framework token, or nobody unless anonymous is explicit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.composition import build
from adapters.teams import texts as t
from adapters.teams.mount import teams_mount
from bot.config import Settings
from storage.teams_references import SqlTeamsReferences
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import PERSONAL, Teams, start, teams_settings

pytestmark = pytest.mark.slow

APP_ID = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
async def secured(
    tmp_path: Path, fake_github: FakeGitHub, connector: FakeBotConnector
) -> AsyncIterator[Teams]:
    settings = teams_settings(
        tmp_path, fake_github, microsoft_app_id=APP_ID, dslp_teams_allow_anonymous=False
    )
    async for harness in start(settings, connector):
        yield harness


async def assert_nothing_ran(teams: Teams) -> None:
    assert teams.connector.sent == []
    assert (
        await SqlTeamsReferences(teams.app.database).by_conversation(conversation_id=PERSONAL)
        is None
    )


async def test_no_token_is_401_and_nothing_runs(secured: Teams) -> None:
    response = await secured.post(secured.message(text="ask"))
    assert response.status == 401
    await assert_nothing_ran(secured)


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer", "Bearer two words"],
)
async def test_a_garbage_token_is_401_and_nothing_runs(secured: Teams, header: str) -> None:
    response = await secured.post(secured.message(text="ask"), Authorization=header)
    assert response.status == 401
    await assert_nothing_ran(secured)


def test_without_an_app_id_or_explicit_anonymous_the_route_is_off(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    settings = teams_settings(tmp_path, fake_github, dslp_teams_allow_anonymous=False)
    app = build(settings)
    try:
        assert teams_mount(app) == t.OFF_NO_APP_ID
    finally:
        app.database.dispose()


def test_an_empty_anonymous_variable_means_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSLP_TEAMS_ALLOW_ANONYMOUS", "")
    assert Settings().dslp_teams_allow_anonymous is False
    monkeypatch.setenv("DSLP_TEAMS_ALLOW_ANONYMOUS", "1")
    assert Settings().dslp_teams_allow_anonymous is True


async def test_anonymous_mode_warns_loudly_at_start_up(
    tmp_path: Path,
    fake_github: FakeGitHub,
    connector: FakeBotConnector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="adapters.teams.mount"):
        async for _ in start(teams_settings(tmp_path, fake_github), connector):
            pass
    assert any("WITHOUT a Bot Framework token" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("app_type", "tenant", "reason"),
    [("Weird", "", "is not MultiTenant"), ("SingleTenant", "", "needs MICROSOFT_APP_TENANT_ID")],
)
def test_an_app_type_that_cannot_work_turns_the_route_off(
    tmp_path: Path, fake_github: FakeGitHub, app_type: str, tenant: str, reason: str
) -> None:
    settings = teams_settings(
        tmp_path,
        fake_github,
        microsoft_app_id=APP_ID,
        microsoft_app_type=app_type,
        microsoft_app_tenant_id=tenant,
    )
    app = build(settings)
    try:
        result = teams_mount(app)
        assert isinstance(result, str) and reason in result
    finally:
        app.database.dispose()
