"""Installing into many workspaces: Bolt's OAuth flow against the fake Slack (oauth.v2.access),
installations kept in our database, each workspace answered with its own token, org-wide
installs, uninstalls, and a rotating token refreshed once by two replicas at once."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import ClientSession, DummyCookieJar
from pydantic import SecretStr
from sqlalchemy import text

from adapters.app import App
from adapters.composition import build
from adapters.slack.installs import BOT_SCOPES
from adapters.slack.mount import SlackAdapter
from adapters.slack.workspace import Workspace
from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, TEAM, FakeSlack
from tests.slack.conftest import ANA, SIGNING_SECRET, SlackHarness, as_text
from tests.slack.test_slack_workflow import INPUTS, run_step
from tests.support.apps import app_settings

pytestmark = pytest.mark.slow
OTHER = "T0OTHER"
OLGA = "UOLGA"
Json = dict[str, Any]


@pytest.fixture
def slack_app(
    tmp_path: Path, fake_github: FakeGitHub, fake_slack: FakeSlack, slack_overrides: dict[str, Any]
) -> App:
    """No SLACK_BOT_TOKEN: a client id and secret, so workspaces install through OAuth."""
    return build(installing_settings(tmp_path, fake_github, fake_slack, slack_overrides))


def installing_settings(
    tmp_path: Path, github: FakeGitHub, slack: FakeSlack, overrides: dict[str, Any]
) -> Any:
    return app_settings(
        tmp_path,
        github.api_url,
        slack_bot_token=SecretStr(""),
        slack_client_id=CLIENT_ID,
        slack_client_secret=SecretStr(CLIENT_SECRET),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_app_token=SecretStr(""),
        slack_api_url=slack.api_url,
        dslp_public_url="https://bot.example.com",
        **overrides,
    )


async def install(slack: SlackHarness, code: str, team: str | None, **grant: Any) -> int:
    """A person clicks Add to Slack, approves on Slack's page, and comes back: the status of
    the page our redirect answers. `team=None` without an org: the code Slack gave earlier."""
    if team is not None or grant:
        slack.fake.grant(code, team, **grant)
    base = slack.url.removesuffix("/slack/events")
    async with ClientSession(cookie_jar=DummyCookieJar()) as browser:
        started = await browser.get(base + "/slack/install", allow_redirects=False)
        assert started.status == 302
        # The state cookie is Secure: a browser sends it back over the deployment's HTTPS.
        cookie = SimpleCookie(started.headers["Set-Cookie"])
        assert all(morsel["secure"] and morsel["httponly"] for morsel in cookie.values())
        sent_back = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
        sent_to = urlsplit(started.headers["Location"])
        query = parse_qs(sent_to.query)
        assert query["client_id"] == [CLIENT_ID]
        assert query["redirect_uri"] == ["https://bot.example.com/slack/oauth_redirect"]
        back = await browser.get(
            base + "/slack/oauth_redirect",
            params={"code": code, "state": query["state"][0]},
            headers={"Cookie": sent_back},
            allow_redirects=False,
        )
        return back.status


async def event_from(
    slack: SlackHarness, team: str, event: Json, *, enterprise: str | None = None, **extra: Any
) -> None:
    body = {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "event": event,
        **({"enterprise_id": enterprise} if enterprise else {}),
        **extra,
    }
    answer = await slack.post(json.dumps(body), "application/json")
    assert answer.status == 200


async def dm(slack: SlackHarness, team: str, user: str, words: str, **kw: Any) -> None:
    event = {
        "type": "message",
        "channel": f"D{user}",
        "channel_type": "im",
        "user": user,
        "text": words,
        "ts": f"{time.time():.6f}",
    }
    await event_from(slack, team, event, **kw)
    await slack.settle()


def posted_to(slack: SlackHarness, user: str) -> list[Any]:
    return [
        c
        for c in slack.fake.calls
        if c.method == "chat.postMessage"
        and c.params.get("channel") == f"D{user}"
        and c.params.get("_ok")
    ]


async def test_two_workspaces_install_and_each_is_answered_with_its_own_token(
    slack: SlackHarness,
) -> None:
    assert await install(slack, "code-1", TEAM) == 200
    assert await install(slack, "code-2", OTHER) == 200
    await dm(slack, TEAM, ANA, "help")
    await dm(slack, OTHER, OLGA, "help")
    [to_ana] = posted_to(slack, ANA)
    [to_olga] = posted_to(slack, OLGA)
    assert slack.fake.tokens[to_ana.token] == TEAM and to_ana.token != slack.fake.token
    assert slack.fake.tokens[to_olga.token] == OTHER


async def test_each_workspace_sees_only_its_own_asks(slack: SlackHarness) -> None:
    await install(slack, "code-1", TEAM)
    await install(slack, "code-2", OTHER)
    run = await run_step(slack, {**INPUTS, "title": "Churn in the north region"})
    assert "outputs" in await slack.fake.wait_for_end(run)
    await dm(slack, TEAM, ANA, "status")
    await dm(slack, OTHER, OLGA, "status")
    assert "Churn in the north region" in as_text(posted_to(slack, ANA)[-1].params)
    assert "Churn in the north region" not in as_text([c.params for c in posted_to(slack, OLGA)])


async def test_a_workspace_that_has_not_installed_gets_nothing(slack: SlackHarness) -> None:
    await install(slack, "code-1", TEAM)
    await dm(slack, OTHER, OLGA, "help")
    assert posted_to(slack, OLGA) == []


async def test_a_forged_or_reused_state_installs_nothing(slack: SlackHarness) -> None:
    slack.fake.grant("code-x", OTHER)
    base = slack.url.removesuffix("/slack/events")
    async with ClientSession() as browser:
        forged = await browser.get(
            base + "/slack/oauth_redirect", params={"code": "code-x", "state": "made-up"}
        )
        assert forged.status in (400, 401)
    assert slack.fake.grants["code-x"].used is False
    assert await install(slack, "code-1", TEAM) == 200
    assert await install(slack, "code-1", None) != 200  # Slack's codes work once
    assert len(slack.fake.token_of(TEAM)) == 2  # the fake's own, and the one install


@pytest.mark.parametrize("slack_overrides", [{"dslp_slack_team_ids": TEAM}])
async def test_only_listed_workspaces_may_install(slack: SlackHarness) -> None:
    assert await install(slack, "code-2", OTHER) != 200
    assert await install(slack, "code-1", TEAM) == 200
    await dm(slack, OTHER, OLGA, "help")
    assert posted_to(slack, OLGA) == []


async def test_an_org_wide_install_serves_every_workspace_of_the_org(slack: SlackHarness) -> None:
    assert await install(slack, "code-org", None, enterprise="E0ORG", org_wide=True) == 200
    await dm(slack, "T0WEST", "UWEST", "help", enterprise="E0ORG", is_enterprise_install=True)
    [answer] = posted_to(slack, "UWEST")
    assert slack.fake.tokens[answer.token] == "E0ORG"


async def test_uninstalling_deletes_the_workspace_tokens_and_data_only(
    slack: SlackHarness,
) -> None:
    await install(slack, "code-1", TEAM)
    await install(slack, "code-2", OTHER)
    await dm(slack, TEAM, ANA, "ask Kept for the workspace that stays")
    await dm(slack, OTHER, OLGA, "ask Gone with the workspace")
    await event_from(slack, OTHER, {"type": "app_uninstalled"})
    await slack.settle()
    tokens = slack.adapter.installs.tokens if slack.adapter.installs else None
    assert tokens is not None
    assert await tokens.bot(Workspace(OTHER)) is None
    assert await tokens.bot(Workspace(TEAM)) is not None
    assert await slack.app.drafts.list_open(owner=f"slack:{OTHER}:{OLGA}") == []
    assert len(await slack.app.drafts.list_open(owner=f"slack:{TEAM}:{ANA}")) == 1
    before = len(posted_to(slack, OLGA))
    await dm(slack, OTHER, OLGA, "help")
    assert len(posted_to(slack, OLGA)) == before


async def test_a_revoked_bot_token_is_deleted(slack: SlackHarness) -> None:
    await install(slack, "code-2", OTHER)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    await event_from(slack, OTHER, revoked)
    await slack.settle()
    assert slack.adapter.installs is not None
    assert await slack.adapter.installs.tokens.bot(Workspace(OTHER)) is None


def test_the_install_asks_for_the_scopes_the_manifest_declares() -> None:
    manifest = json.loads(Path("manifest.json").read_text())
    assert set(BOT_SCOPES) == set(manifest["oauth_config"]["scopes"]["bot"])


@pytest.fixture
async def replica(
    tmp_path: Path,
    fake_github: FakeGitHub,
    fake_slack: FakeSlack,
    slack_overrides: dict[str, Any],
) -> AsyncIterator[SlackAdapter]:
    """A second server on the same database, as a second replica would be."""
    app = build(installing_settings(tmp_path, fake_github, fake_slack, slack_overrides))
    yield SlackAdapter(app)
    app.database.dispose()


async def test_a_rotating_token_is_refreshed_once_by_two_replicas_at_once(
    slack: SlackHarness, replica: SlackAdapter
) -> None:
    await install(slack, "code-1", TEAM, rotating=True)
    [first] = slack.fake.token_of(TEAM)[1:]  # [0] is the fake's single-workspace token
    soon = time.time() + 60  # an hour inside the refresh margin: due now
    await slack.app.database.run(
        lambda session: session.execute(
            text("UPDATE slack_bots SET bot_token_expires_at = :at"),
            {"at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(soon))},
        )
    )
    ours, theirs = slack.adapter.installs, replica.installs
    assert ours is not None and theirs is not None
    got = await asyncio.gather(
        ours.tokens.token(Workspace(TEAM)), theirs.tokens.token(Workspace(TEAM))
    )
    assert len(slack.fake.refreshes) == 1
    fresh = slack.fake.token_of(TEAM)[-1]
    assert fresh != first and list(got) == [fresh, fresh]
    assert await ours.tokens.token(Workspace(TEAM)) == fresh
    assert len(slack.fake.refreshes) == 1
    await dm(slack, TEAM, ANA, "help")
    assert posted_to(slack, ANA)[-1].token == fresh
