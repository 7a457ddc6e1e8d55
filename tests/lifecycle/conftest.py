"""A running bot (real storage, real GitHubTracker against FakeGitHub) with its webhook mounted.

Recording Outboxes stand in for Slack and Teams: every test asserts what was
sent where. Who is who is set up the way a team would: roles, links and a
subscribed Slack channel; the Ask #1 was filed by the bot from a Slack thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.app import App
from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.notifications import Notifications
from adapters.web import create_web_app, mount_all
from bot.mentions import Mention, split_mentions
from bot.ports import DeliveryError
from bot.types import FiledAsk, Member, Place, Say, Scope
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings
from tests.support.doubles import RecordingOutbox
from tests.support.webhooks import signed

__all__ = ["fake_github"]

SECRET = "webhook-secret"
T = "T1"
TENANT = "tenant-1"
CHANNEL = Place("slack", "C-DSLP", T)
ASK_THREAD = Place("slack", "C-ASKS", T, "1700000000.000100")
REQUESTER = f"slack:{T}:UREQ"
DATA_SCIENTIST = f"slack:{T}:UDS"
DATA_ENGINEER = f"slack:{T}:UDE"
IT = f"slack:{T}:UIT"
ML_GROUP = f"slack:{T}:group:SML"
ML_TEAMS = f"teams:{TENANT}:uml"
DEVOPS = f"teams:{TENANT}:udev"
ASSIGNEE = f"slack:{T}:UANA"
ASK = 1


def teams_dm(user: str) -> Place:
    return Place("teams", f"dm:{user}", TENANT)


@dataclass
class Bot:
    app: App
    client: TestClient[Any, Any]
    slack: RecordingOutbox
    teams: RecordingOutbox

    @property
    def notifications(self) -> Notifications:
        return self.app.notifications

    async def post(self, event: str, payload: Any, *, delivery: str = "") -> tuple[int, Any]:
        body, headers = signed(event, payload, SECRET, delivery=delivery)
        return await self.post_raw(body, headers)

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        response = await self.client.post("/github/webhook", data=body, headers=headers)
        answer = await response.json()
        await self.settle()
        return response.status, answer

    async def settle(self) -> None:
        """Work the inbox, then wait for the notifications it queued to be sent."""
        await self.notifications.ingest.drain()
        await self.notifications.worker.drain()

    def told(self) -> dict[Place, list[Say]]:
        found: dict[Place, list[Say]] = {}
        for place, reply in [*self.slack.replies, *self.teams.replies]:
            assert isinstance(reply, Say)
            found.setdefault(place, []).append(reply)
        return found

    def clear(self) -> None:
        self.slack.sent.clear()
        self.teams.sent.clear()


def mentioned(say: Say) -> list[str]:
    return [part.key for part in split_mentions(say.text) if isinstance(part, Mention)]


async def start_bot(tmp_path: Path, fake: FakeGitHub, *, port: int = 0, **settings: Any) -> Bot:
    overrides = {"github_webhook_secret": SecretStr(SECRET), **settings}
    app = build(app_settings(tmp_path, fake.api_url, **overrides))
    slack, teams = RecordingOutbox(), RecordingOutbox()
    app.outbox.register("slack", slack)
    app.outbox.register("teams", teams)
    web_app = create_web_app(app, mount_all(app, MOUNTS))
    client = TestClient(TestServer(web_app, host="127.0.0.1", port=port or None))
    await client.start_server()
    return Bot(app, client, slack, teams)


async def stop_bot(bot: Bot) -> None:
    await bot.client.close()
    bot.app.database.dispose()


async def set_up_team(bot: Bot) -> None:
    people = bot.notifications.people
    roles = {
        "data-scientist": [DATA_SCIENTIST],
        "data-engineer": [DATA_ENGINEER],
        "it": [IT],
        "ml-engineer": [ML_GROUP, ML_TEAMS],
        "devops": [DEVOPS],
    }
    for role, members in roles.items():
        for member in members:
            scope = scope_of(member)
            await people.add_role(scope=scope, repository="octo/dslp", role=role, members=[member])
    ana = Member(scope_of(ASSIGNEE).key, ASSIGNEE)
    await bot.app.identities.vouch(member=ana, login="ana-gh", by="slack:T1:UADMIN")
    await people.subscribe(repository="octo/dslp", place=CHANNEL, by=REQUESTER)
    await bot.app.asks.record(ask=filed_ask())


def scope_of(member: str) -> Scope:
    """The scope of a test member key: its platform and workspace or tenant."""
    platform, team, _ = member.split(":", 2)
    return Scope(platform, team)


def filed_ask() -> FiledAsk:
    return FiledAsk(
        issue_number=ASK,
        issue_url="https://github.com/octo/dslp/issues/1",
        title="Predict churn",
        requester=REQUESTER,
        requester_name="Rita",
        origin=ASK_THREAD,
        draft_id="draft-1",
        repository="octo/dslp",
    )


@pytest.fixture
async def bot(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[Bot]:
    running = await start_bot(tmp_path, fake_github)
    await set_up_team(running)
    yield running
    await stop_bot(running)


def rate_limited(seconds: float) -> DeliveryError:
    return DeliveryError("rate limited", retry_after=seconds)


def gone() -> DeliveryError:
    return DeliveryError("channel_not_found", permanent=True)
