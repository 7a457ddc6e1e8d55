"""Who may talk to /api/messages: the Bot Connector's own tokens, for this bot, for this serviceUrl.

Every token here is a real RS256 JWT, signed with keys the fake Bot
Framework publishes through its OpenID metadata on 127.0.0.1.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from adapters.composition import build
from adapters.teams import texts as t
from adapters.teams.mount import teams_mount
from bot.config import Settings
from storage.teams_references import SqlTeamsReferences
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.bot_framework_auth import OUTGOING_TOKEN, FakeBotFrameworkKeys
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import APP_ID, PERSONAL, Teams, start, teams_settings

pytestmark = pytest.mark.slow


async def assert_nothing_ran(teams: Teams) -> None:
    assert teams.connector.sent == []
    assert teams.entra is not None and teams.entra.requests == []
    assert (
        await SqlTeamsReferences(teams.app.database).by_conversation(conversation_id=PERSONAL)
        is None
    )
    assert await teams.app.drafts.list_open(owner="teams:tenant-1:aad-alice") == []


async def test_a_bot_connector_token_is_served_and_the_reply_carries_the_bots_token(
    secured: Teams,
) -> None:
    sent = await secured.say("help")
    assert "Commands" in sent[0].words
    assert sent[0].authorization == f"Bearer {OUTGOING_TOKEN}"
    assert await secured.references.by_conversation(conversation_id=PERSONAL) is not None


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


def forged(keys: FakeBotFrameworkKeys, case: str) -> dict[str, Any]:
    """How each bad token differs from the Bot Connector's."""
    cases: dict[str, dict[str, Any]] = {
        "another issuer": {"issuer": "https://evil.example/"},
        "an Entra tenant as issuer": {"issuer": "https://sts.windows.net/evil-tenant/"},
        "another audience": {"audience": "11111111-0000-4000-8000-000000000002"},
        "expired": {"expires_in": -3600},
        "an unknown key": {"key": keys.unpublished},
        "a key not endorsed for msteams": {"key": keys.skype_key},
        "another serviceurl": {"service_url": "https://smba.trafficmanager.net/other/"},
    }
    return cases[case]


@pytest.mark.parametrize(
    "case",
    [
        "another issuer",
        "an Entra tenant as issuer",
        "another audience",
        "expired",
        "an unknown key",
        "a key not endorsed for msteams",
        "another serviceurl",
    ],
)
async def test_a_token_the_bot_connector_did_not_issue_for_this_is_401_and_nothing_runs(
    secured: Teams, bot_framework: FakeBotFrameworkKeys, case: str
) -> None:
    activity = secured.message(text="ask Secret plans")
    headers = secured.bearer(activity, **forged(bot_framework, case))
    response = await secured.post(activity, **headers)
    assert response.status == 401, case
    await assert_nothing_ran(secured)


async def test_a_key_that_lists_no_endorsements_signs_for_any_channel(
    secured: Teams, bot_framework: FakeBotFrameworkKeys
) -> None:
    activity = secured.message(text="help")
    response = await secured.post(activity, **secured.bearer(activity, key=bot_framework.plain_key))
    assert response.status in (200, 202)
    assert "Commands" in secured.connector.sent[0].words


async def test_a_forged_service_url_gets_nothing_not_even_the_bots_token(
    secured: Teams, connector: FakeBotConnector
) -> None:
    """The token is genuine, but for the real connector; the activity points at another host."""
    async with FakeBotConnector() as attacker:
        activity = secured.message(text="help")
        headers = secured.bearer(activity)
        activity["serviceUrl"] = attacker.url
        response = await secured.post(activity, **headers)
        assert response.status == 401
        assert attacker.sent == [] and attacker.member_lookups == []
    await assert_nothing_ran(secured)


async def test_an_unknown_key_refreshes_the_keys_at_most_once_per_gap(
    secured: Teams, bot_framework: FakeBotFrameworkKeys
) -> None:
    await secured.say("help")
    assert bot_framework.key_reads == 1
    for _ in range(3):
        activity = secured.message(text="help")
        headers = secured.bearer(activity, key=bot_framework.unpublished)
        assert (await secured.post(activity, **headers)).status == 401
    assert bot_framework.key_reads == 1


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
    "url",
    [
        "http://login.botframework.example/v1/.well-known/openidconfiguration",
        "http://10.0.0.1/keys",
        "ftp://127.0.0.1/keys",
        "not a url",
    ],
)
def test_a_metadata_url_that_is_not_https_or_loopback_turns_the_route_off(
    tmp_path: Path, fake_github: FakeGitHub, url: str
) -> None:
    settings = teams_settings(
        tmp_path, fake_github, microsoft_app_id=APP_ID, microsoft_openid_metadata_url=url
    )
    app = build(settings)
    try:
        result = teams_mount(app)
        assert isinstance(result, str) and "MICROSOFT_OPENID_METADATA_URL" in result
        assert "https://" in result
    finally:
        app.database.dispose()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/m", "http://localhost/m", "http://[::1]:9/m", "https://x.example/m"],
)
def test_https_and_loopback_http_metadata_urls_are_fine(
    tmp_path: Path, fake_github: FakeGitHub, url: str
) -> None:
    settings = teams_settings(
        tmp_path, fake_github, microsoft_app_id=APP_ID, microsoft_openid_metadata_url=url
    )
    app = build(settings)
    try:
        assert not isinstance(teams_mount(app), str)
    finally:
        app.database.dispose()


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
