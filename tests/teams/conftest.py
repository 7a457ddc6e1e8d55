"""The real server with the Teams mount, a fake Bot Connector and FakeGitHub.

Tests POST Bot Framework activities to /api/messages over HTTP and read what
the bot sent back from the fake connector (the activities' serviceUrl).
The `teams` harness runs in anonymous mode (for conversations); `secured`
has an app id and signs every activity it sends with a real RS256 token
from FakeBotFrameworkKeys, as the Bot Connector does.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.app import App, Mount
from adapters.composition import build
from adapters.teams.mount import teams_mount
from adapters.web import create_web_app
from bot.config import Settings
from storage.teams_references import SqlTeamsReferences
from tests.fakes.bot_connector import FakeBotConnector, Sent
from tests.fakes.bot_framework_auth import FakeBotFrameworkKeys, FakeEntra
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings
from tests.support.identities import grant

__all__ = ["fake_github"]

TENANT = "tenant-1"
APP_ID = "00000000-0000-4000-8000-000000000001"
BOT = {"id": "28:dslp-bot", "name": "dslp-bot"}
ALICE = {"id": "29:alice", "name": "Alice Example", "aadObjectId": "aad-alice"}
BOB = {"id": "29:bob", "name": "Bob Example", "aadObjectId": "aad-bob"}
ALICE_KEY = f"teams:{TENANT}:aad-alice"
"""Alice is signed in as alice-gh, a maintainer of octo/dslp; Bob is not signed in."""
PERSONAL = "a:alice-personal"
CHANNEL = "19:general@thread.tacv2"
BOT_MENTION = {"type": "mention", "text": "<at>dslp-bot</at>", "mentioned": BOT}


def teams_settings(tmp_path: Path, github: FakeGitHub, **overrides: Any) -> Settings:
    """The shared test-app settings (SQLite or PostgreSQL), Teams open to anonymous tests."""
    teams = {"dslp_teams_allow_anonymous": True, "microsoft_app_id": ""}
    return app_settings(tmp_path, github.api_url, **{**teams, **overrides})


def secured_settings(
    tmp_path: Path, github: FakeGitHub, keys: FakeBotFrameworkKeys, **overrides: Any
) -> Settings:
    """An app id, no anonymous requests, and the keys served by the fake."""
    secured = {
        "microsoft_app_id": APP_ID,
        "dslp_teams_allow_anonymous": False,
        "microsoft_openid_metadata_url": keys.metadata_url,
    }
    return teams_settings(tmp_path, github, **{**secured, **overrides})


@dataclass
class Teams:
    """Sends activities like Teams does and reads the bot's answers from the connector."""

    client: TestClient[Any, Any]
    connector: FakeBotConnector
    app: App
    keys: FakeBotFrameworkKeys | None = None
    entra: FakeEntra | None = None
    ids: Iterator[int] = field(default_factory=lambda: count(1))

    @property
    def references(self) -> SqlTeamsReferences:
        return SqlTeamsReferences(self.app.database)

    async def post(self, activity: dict[str, Any], **headers: str) -> ClientResponse:
        return await self.client.post("/api/messages", json=activity, headers=headers)

    def bearer(self, activity: dict[str, Any], **token: Any) -> dict[str, str]:
        """The Authorization header the Bot Connector sends with this activity (none if anonymous).

        `token` changes the token: `issuer=`, `audience=`, `key=`, `service_url=`, `expires_in=`.
        """
        if self.keys is None:
            return {}
        claims = {"audience": APP_ID, "service_url": activity["serviceUrl"], **token}
        return {"Authorization": f"Bearer {self.keys.token(**claims)}"}

    async def send(self, activity: dict[str, Any]) -> list[Sent]:
        """POST (signed, when the harness has keys) and return what the bot sent in this turn."""
        before = len(self.connector.sent)
        response = await self.post(activity, **self.bearer(activity))
        assert response.status in (200, 202), await response.text()
        return self.connector.sent[before:]

    async def say(self, text: str, **where: Any) -> list[Sent]:
        return await self.send(self.message(text=text, **where))

    async def press(self, value: dict[str, Any], **where: Any) -> list[Sent]:
        return await self.send(self.message(value=value, **where))

    async def filed(self) -> list[Sent]:
        """Wait for background filing and return what it sent."""
        before = len(self.connector.sent)
        await self.app.worker.drain()
        return self.connector.sent[before:]

    def message(
        self,
        *,
        text: str | None = None,
        value: dict[str, Any] | None = None,
        user: dict[str, str] = ALICE,
        channel: bool = False,
    ) -> dict[str, Any]:
        activity = self.activity("message", user=user, channel=channel)
        if text is not None:
            activity["text"] = f"<at>dslp-bot</at> {text}" if channel else text
            activity["textFormat"] = "plain"
        if channel:
            activity["entities"] = [BOT_MENTION]
        if value is not None:
            activity["value"] = value
        return activity

    def activity(
        self, kind: str, *, user: dict[str, str] = ALICE, channel: bool = False
    ) -> dict[str, Any]:
        conversation = (
            {"id": CHANNEL, "conversationType": "channel", "tenantId": TENANT, "isGroup": True}
            if channel
            else {"id": PERSONAL, "conversationType": "personal", "tenantId": TENANT}
        )
        channel_data: dict[str, Any] = {"tenant": {"id": TENANT}}
        if channel:
            channel_data |= {"channel": {"id": CHANNEL}, "team": {"id": "19:team@thread.tacv2"}}
        return {
            "type": kind,
            "id": f"act-{next(self.ids)}",
            "timestamp": "2025-11-26T10:00:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": user,
            "recipient": BOT,
            "conversation": conversation,
            "locale": "en-US",
            "channelData": channel_data,
        }


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector() as fake:
        yield fake


@pytest.fixture
async def bot_framework() -> AsyncIterator[FakeBotFrameworkKeys]:
    async with FakeBotFrameworkKeys() as fake:
        yield fake


async def start(
    settings: Settings, connector: FakeBotConnector, keys: FakeBotFrameworkKeys | None = None
) -> AsyncIterator[Teams]:
    """The server; with `keys`, activities are signed and the bot gets its tokens from FakeEntra."""
    app = build(settings)
    entra = FakeEntra() if keys is not None else None
    mount = teams_mount(app, connections=entra)
    assert isinstance(mount, Mount), mount
    server = TestServer(create_web_app(app, [mount]), host="127.0.0.1")
    client = TestClient(server)
    await client.start_server()
    try:
        yield Teams(client, connector, app, keys, entra)
    finally:
        await client.close()
        # A background sweep cancelled at shutdown may still hold a connection in its
        # thread; wait for those threads so dispose() finds every connection returned.
        await asyncio.get_running_loop().shutdown_default_executor()
        app.database.dispose()


@pytest.fixture
async def teams(
    tmp_path: Path, fake_github: FakeGitHub, connector: FakeBotConnector
) -> AsyncIterator[Teams]:
    async for harness in start(teams_settings(tmp_path, fake_github), connector):
        await grant(harness.app, fake_github, ALICE_KEY, "alice-gh", "maintain")
        yield harness


@pytest.fixture
async def secured(
    tmp_path: Path,
    fake_github: FakeGitHub,
    connector: FakeBotConnector,
    bot_framework: FakeBotFrameworkKeys,
) -> AsyncIterator[Teams]:
    settings = secured_settings(tmp_path, fake_github, bot_framework)
    async for harness in start(settings, connector, bot_framework):
        await grant(harness.app, fake_github, ALICE_KEY, "alice-gh", "maintain")
        yield harness


def card_data(sent: Sent, kind: str) -> dict[str, Any]:
    """The data of the first button of that kind in a sent card."""
    for card in sent.cards:
        for action in _actions(card):
            data = action.get("data")
            if isinstance(data, dict) and data.get("dslp") == kind:
                return data
    raise AssertionError(f"no {kind} button in {sent.activity}")


def _actions(element: Any) -> Iterator[dict[str, Any]]:
    if isinstance(element, dict):
        if str(element.get("type", "")).startswith("Action."):
            yield element
        for value in element.values():
            yield from _actions(value)
    elif isinstance(element, list):
        for value in element:
            yield from _actions(value)


def inputs(sent: Sent) -> dict[str, dict[str, Any]]:
    """Input.Text elements of a form card by id."""
    found: dict[str, dict[str, Any]] = {}
    for card in sent.cards:
        for element in card["body"]:
            if element.get("type") == "Input.Text":
                found[element["id"]] = element
    return found
