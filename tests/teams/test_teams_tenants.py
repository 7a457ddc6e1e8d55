"""DSLP_TEAMS_TENANT_IDS: other tenants' activities get a quiet 200 and run nothing.

The activities carry real Bot Connector tokens: the allow-list works behind the token check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.teams.tenants import parse_tenants, tenant_allowed
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.bot_framework_auth import FakeBotFrameworkKeys
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import APP_ID, PERSONAL, Teams, secured_settings, start

SECRET_WORDS = "the secret plan for Q3"


def test_an_empty_list_allows_any_tenant() -> None:
    assert parse_tenants(" , ") == frozenset()
    assert tenant_allowed({}, frozenset())


def test_listed_tenants_only_and_every_named_tenant_must_be_listed() -> None:
    allowed = parse_tenants("Tenant-1, tenant-2")
    assert allowed == {"tenant-1", "tenant-2"}
    assert tenant_allowed({"conversation": {"tenantId": "TENANT-1"}}, allowed)
    assert tenant_allowed({"channelData": {"tenant": {"id": "tenant-2"}}}, allowed)
    assert not tenant_allowed({"conversation": {"tenantId": "tenant-3"}}, allowed)
    assert not tenant_allowed({"conversation": {}, "channelData": "odd"}, allowed)
    mixed = {"conversation": {"tenantId": "tenant-1"}, "channelData": {"tenant": {"id": "evil"}}}
    assert not tenant_allowed(mixed, allowed)


@pytest.fixture
async def guarded(
    tmp_path: Path,
    fake_github: FakeGitHub,
    connector: FakeBotConnector,
    bot_framework: FakeBotFrameworkKeys,
) -> AsyncIterator[Teams]:
    settings = secured_settings(
        tmp_path, fake_github, bot_framework, dslp_teams_tenant_ids="other, tenant-1"
    )
    async for harness in start(settings, connector, bot_framework):
        yield harness


def from_tenant(teams: Teams, tenant: str, text: str) -> dict[str, Any]:
    activity = teams.message(text=text)
    activity["conversation"]["tenantId"] = tenant
    activity["channelData"]["tenant"]["id"] = tenant
    return activity


async def test_the_listed_tenant_is_served(guarded: Teams) -> None:
    sent = await guarded.say("help")
    assert "Commands" in sent[0].words


async def test_another_tenant_gets_a_quiet_200_and_nothing_runs(
    guarded: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    activity = from_tenant(guarded, "tenant-x", f"ask {SECRET_WORDS}")
    response = await guarded.post(activity, **guarded.bearer(activity))
    assert response.status == 200
    assert guarded.connector.sent == []
    assert await guarded.references.by_conversation(conversation_id=PERSONAL) is None
    assert await guarded.app.drafts.list_open(owner="teams:tenant-x:aad-alice") == []
    assert "tenant-x is not in DSLP_TEAMS_TENANT_IDS" in caplog.text
    assert SECRET_WORDS not in caplog.text


async def test_an_install_from_another_tenant_is_not_greeted(guarded: Teams) -> None:
    install = from_tenant(guarded, "tenant-x", "")
    install.update(type="installationUpdate", action="add")
    install.pop("text")
    response = await guarded.post(install, **guarded.bearer(install))
    assert response.status == 200 and guarded.connector.sent == []


async def test_a_body_that_is_not_an_activity_is_400(
    guarded: Teams, bot_framework: FakeBotFrameworkKeys
) -> None:
    token = bot_framework.token(audience=APP_ID, service_url=guarded.connector.url)
    signed = {"Authorization": f"Bearer {token}"}
    response = await guarded.client.post(
        "/api/messages", data=b"[1, 2]", headers={"Content-Type": "application/json", **signed}
    )
    assert response.status == 400
    response = await guarded.client.post("/api/messages", data=b"{nope", headers=signed)
    assert response.status == 400
    response = await guarded.client.post("/api/messages", data=b"[" * 100_000, headers=signed)
    assert response.status == 400


async def test_an_unsigned_body_is_refused_before_it_is_read(guarded: Teams) -> None:
    response = await guarded.client.post("/api/messages", data=b"[" * 100_000)
    assert response.status == 401
