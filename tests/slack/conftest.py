"""The real server with the Slack mount, a fake Slack Web API and FakeGitHub, and signed requests.

A Slack test takes one fixture, `slack` (a `SlackHarness`): it sends requests exactly
as Slack does (slash commands form-encoded, interactivity as a `payload=` form field,
events as JSON, each signed with `v0:{timestamp}:{body}`, HMAC-SHA256 with the signing
secret) and holds what a test looks at: the app, its Slack adapter, the fake Slack Web
API, the fake GitHub, and the clock whose `slept` lists the waits of Web API retries
(recorded, not waited). The other fixtures here are the parts it is built from.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from adapters.app import App
from adapters.composition import build
from adapters.github.webhook import webhook_mount
from adapters.slack.mount import SlackAdapter
from adapters.web import create_web_app
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import TEAM, TOKEN, FakeSlack
from tests.support.apps import app_settings
from tests.support.doubles import FakeClock
from tests.support.identities import grant

__all__ = ["fake_github"]

SIGNING_SECRET = "test-signing-secret-0123456789"
ANA = "UANA"
BEN = "UBEN"
CHANNEL = "CDATA"
Json = dict[str, Any]


@dataclass
class Answer:
    status: int
    text: str

    def json(self) -> Json:
        return json.loads(self.text) if self.text.startswith("{") else {}


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str, content_type: str, *, secret: str = SIGNING_SECRET, age: int = 0
) -> dict[str, str]:
    """The headers Slack sends with `body`, signed now (or `age` seconds ago)."""
    timestamp = int(time.time()) - age
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(body, timestamp, secret),
    }


@dataclass
class SlackSender:
    """Sends what Slack would send to /slack/events; `secret`/`age` let tests forge and replay."""

    session: ClientSession
    url: str
    fake: FakeSlack
    events: count[int] = field(default_factory=lambda: count(1))
    triggers: count[int] = field(default_factory=lambda: count(1))

    def trigger(self, user: str) -> str:
        """Slack gives every command and interaction a trigger id of its own, so no two
        requests are alike (a byte-identical request is a replay, run once)."""
        return f"trigger-{user}-{next(self.triggers)}"

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        secret: str = SIGNING_SECRET,
        age: int = 0,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {**signed_headers(body, content_type, secret=secret, age=age), **(headers or {})}
        return await self.send(body.encode(), sent)

    async def send(self, body: bytes, headers: dict[str, str]) -> Answer:
        """Exactly these bytes and headers (a replay sends one request's twice)."""
        async with self.session.post(self.url, data=body, headers=headers) as response:
            text = await response.text()
        return Answer(response.status, text)

    async def command(
        self, text: str, *, user: str = ANA, channel: str = CHANNEL, **kw: Any
    ) -> Answer:
        body = self.command_body(text, user=user, channel=channel)
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    def command_body(self, text: str, *, user: str = ANA, channel: str = CHANNEL) -> str:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "data-team",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/dslp",
            "text": text,
            "api_app_id": "A1",
            "response_url": self.fake.response_url(f"cmd-{user}"),
            "trigger_id": self.trigger(user),
        }
        return urlencode(form)

    async def interaction(self, payload: Json, **kw: Any) -> Answer:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **kw)

    async def submit_view(
        self, view: Json, values: dict[str, str | None], *, user: str = ANA
    ) -> Answer:
        selects = {
            block["block_id"]
            for block in view.get("blocks", [])
            if block.get("element", {}).get("type") == "static_select"
        }
        state = {key: {key: typed(value, select=key in selects)} for key, value in values.items()}
        submitted = {
            "type": "modal",
            **view,
            "id": view.get("id", "V1"),
            "state": {"values": state},
        }
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM},
            "user": person(user),
            "trigger_id": self.trigger(user),
            "view": submitted,
        }
        return await self.interaction(payload)

    async def press(
        self, action: Json, *, user: str = ANA, channel: str = "", view: Json | None = None
    ) -> Answer:
        payload: Json = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": person(user),
            "trigger_id": self.trigger(user),
            "actions": [{**action, "type": "button", "action_ts": "1.2"}],
        }
        if channel:
            payload["channel"] = {"id": channel}
            payload["container"] = {"type": "message", "channel_id": channel, "message_ts": "1.1"}
            payload["message"] = {"ts": "1.1", "text": "", "type": "message"}
            payload["response_url"] = self.fake.response_url(f"action-{user}")
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        return await self.interaction(payload)

    async def event(self, event: Json, *, event_id: str = "", retry: int = 0, **kw: Any) -> Answer:
        body = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self.events):06d}",
            "event_time": int(time.time()),
            "event": event,
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return await self.post(json.dumps(body), "application/json", headers=headers, **kw)

    async def dm(self, text: str, *, user: str = ANA, **kw: Any) -> Answer:
        event = {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        }
        return await self.event(event, **kw)


@dataclass(kw_only=True)
class SlackHarness(SlackSender):
    """The sender, and the app behind the server it sends to."""

    app: App
    adapter: SlackAdapter
    github: FakeGitHub
    clock: FakeClock

    async def settle(self) -> None:
        """Wait for the work started after acks and for any filing it kicked off."""
        for _ in range(3):
            await self.adapter.drain()
            await self.app.worker.drain()


def typed(value: str | None, *, select: bool) -> Json:
    """An input's state as Slack sends it: a text value, or a select's chosen option."""
    if not select:
        return {"type": "plain_text_input", "value": value}
    chosen = {"value": value, "text": {"type": "plain_text", "text": value}} if value else None
    return {"type": "static_select", "selected_option": chosen}


def person(user: str) -> Json:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM}


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    """More settings for a test module's app (a module overrides this fixture)."""
    return {}


@pytest.fixture
def slack_app(
    tmp_path: Path, fake_github: FakeGitHub, fake_slack: FakeSlack, slack_overrides: dict[str, Any]
) -> App:
    settings = app_settings(
        tmp_path,
        fake_github.api_url,
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_app_token=SecretStr(""),
        slack_api_url=fake_slack.api_url,
        **slack_overrides,
    )
    return build(settings)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def adapter(slack_app: App, clock: FakeClock) -> AsyncIterator[SlackAdapter]:
    adapter = SlackAdapter(slack_app, sleep=clock.sleep)
    yield adapter
    await connections_returned(slack_app)
    slack_app.database.dispose()


async def connections_returned(app: App, timeout: float = 5.0) -> None:
    """A job cancelled at shutdown may still hold a connection in its worker thread: wait for it.

    Disposing the engine first would orphan that connection (a ResourceWarning on PostgreSQL).
    """
    pool = app.database.engine.pool
    deadline = time.monotonic() + timeout
    while getattr(pool, "checkedout", lambda: 0)() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


@pytest.fixture
async def slack(
    slack_app: App,
    adapter: SlackAdapter,
    fake_slack: FakeSlack,
    fake_github: FakeGitHub,
    clock: FakeClock,
) -> AsyncIterator[SlackHarness]:
    """Ana is signed in as ana-gh, a maintainer of octo/dslp; Ben is not signed in."""
    await grant(slack_app, fake_github, f"slack:{TEAM}:{ANA}", "ana-gh", "maintain")
    webhook = webhook_mount(slack_app)  # on when a test's settings give a webhook secret
    mounts = [adapter.mount(), *([] if isinstance(webhook, str) else [webhook])]
    server = TestServer(create_web_app(slack_app, mounts), host="127.0.0.1")
    await server.start_server()
    url = str(server.make_url("/slack/events"))
    async with ClientSession() as session:
        yield SlackHarness(
            session,
            url,
            fake_slack,
            app=slack_app,
            adapter=adapter,
            github=fake_github,
            clock=clock,
        )
    await server.close()


GOOD: dict[str, str | None] = {
    "title": "Predict which customers will cancel next quarter",
    "problem": (
        "Customer success learns about cancellations after they happen, so offers come too late."
    ),
    "outcome": (
        "As a CSM, I can see risky accounts each Monday so that I call them first instead of last."
    ),
    "current_state": None,
    "success": None,
    "impact": None,
    "metrics": None,
    "constraints": None,
    "data": None,
    "stakeholders": None,
}


def as_text(value: object) -> str:
    """Everything a payload says, for `in` checks."""
    return json.dumps(value, ensure_ascii=False)


async def open_form(slack: SlackSender, text: str = "ask", *, user: str = ANA) -> Json:
    """`/dslp ask`, then the view the bot opened (as Slack would hand it back, with an id)."""
    before = len(slack.fake.delivered("views.open"))
    answer = await slack.command(text, user=user)
    assert answer.status == 200
    opened = await slack.fake.wait_for("views.open", before + 1)
    assert len(opened) > before, "the bot opened no modal"
    return {**opened[-1]["view"], "id": f"V{len(opened)}"}


async def file_form(
    slack: SlackSender, values: dict[str, str | None], *, user: str = ANA
) -> Answer:
    """Submit the form, then the review: the two submissions that file an Ask."""
    view = await open_form(slack, user=user)
    review = await slack.submit_view(view, values, user=user)
    assert review.json().get("response_action") == "update", review.text
    return await slack.submit_view({**review.json()["view"], "id": view["id"]}, {}, user=user)
