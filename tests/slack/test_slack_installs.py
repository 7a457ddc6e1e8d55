"""Installing into many workspaces: Bolt's OAuth flow against the fake Slack (oauth.v2.access),
installations kept in our database with every token sealed, each workspace answered with its
own token, org-wide installs, uninstalls, a rotating token refreshed once by two replicas at
once, and no installing at all without a key to seal the tokens."""

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
from cryptography.fernet import Fernet
from pydantic import SecretStr
from slack_sdk.oauth.installation_store.models.bot import Bot
from sqlalchemy import text

from adapters.app import App
from adapters.composition import build
from adapters.doctor import check_slack
from adapters.slack.installs import BOT_SCOPES
from adapters.slack.mount import SlackAdapter, slack_mount
from adapters.slack.workspace import Workspace
from storage.slack_installs import SqlSlackInstallations
from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import CLIENT_ID, CLIENT_SECRET, TEAM, FakeSlack
from tests.slack.conftest import ANA, SIGNING_SECRET, SlackHarness, as_text
from tests.slack.test_slack_workflow import INPUTS, run_step
from tests.support.apps import app_settings

pytestmark = pytest.mark.slow
OTHER = "T0OTHER"
OLGA = "UOLGA"
SECRET_KEY = Fernet.generate_key().decode()
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
        **{"dslp_secret_key": SecretStr(SECRET_KEY), **overrides},
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


async def kept_in_clear(slack: SlackHarness) -> list[str]:
    """Every token and refresh token the fake Slack issued that a raw row of the
    installation tables holds, in any column."""

    def rows(session: Any) -> list[Any]:
        tables = ("slack_installations", "slack_bots")
        return [
            value
            for table in tables
            for row in session.execute(text(f"SELECT * FROM {table}")).all()
            for value in row
        ]

    values = [str(value) for value in await slack.app.database.read(rows)]
    issued = [*slack.fake.tokens, *slack.fake.refresh_tokens, *slack.fake.refreshes]
    return [token for token in issued if any(token in value for value in values)]


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


async def test_the_database_holds_no_token_in_clear_and_each_workspace_still_gets_its_own(
    slack: SlackHarness,
) -> None:
    assert await install(slack, "code-1", TEAM, rotating=True) == 200
    assert await install(slack, "code-2", OTHER) == 200
    issued = [*slack.fake.token_of(TEAM)[1:], *slack.fake.token_of(OTHER)]
    assert len(issued) == 2 and len(slack.fake.refresh_tokens) == 1
    assert await kept_in_clear(slack) == []
    await dm(slack, TEAM, ANA, "help")
    await dm(slack, OTHER, OLGA, "help")
    [to_ana], [to_olga] = posted_to(slack, ANA), posted_to(slack, OLGA)
    assert [to_ana.token, to_olga.token] == issued


async def test_tokens_sealed_under_another_key_read_as_not_installed(
    slack: SlackHarness,
) -> None:
    await install(slack, "code-1", TEAM)
    other_key = SqlSlackInstallations(
        slack.app.database, client_id=CLIENT_ID, secret_key=Fernet.generate_key().decode()
    )
    assert await other_key.async_find_bot(enterprise_id=None, team_id=TEAM) is None
    assert await other_key.async_find_installation(enterprise_id=None, team_id=TEAM) is None
    await dm(slack, TEAM, ANA, "help")
    assert len(posted_to(slack, ANA)) == 1  # the right key still opens them


async def test_a_token_as_long_as_slack_sdk_allows_is_kept_sealed_and_read_back(
    slack: SlackHarness,
) -> None:
    """slack_sdk's columns hold 200 characters; sealed, such a token is 356 (PostgreSQL
    would refuse it in a VARCHAR(200))."""
    store = SqlSlackInstallations(slack.app.database, client_id=CLIENT_ID, secret_key=SECRET_KEY)
    long_token, long_refresh = "xoxe.xoxb-" + "a" * 190, "xoxe-1-" + "r" * 193
    bot = Bot(
        app_id="A1",
        team_id=OTHER,
        bot_token=long_token,
        bot_refresh_token=long_refresh,
        bot_id="BBOT",
        bot_user_id="UBOT",
        installed_at=time.time(),
    )
    await store.async_save_bot(bot)
    found = await store.async_find_bot(enterprise_id=None, team_id=OTHER)
    assert found is not None and found.bot_token == long_token
    assert found.bot_refresh_token == long_refresh
    assert bot.bot_token == long_token  # the caller's object is not sealed in place


@pytest.mark.parametrize(
    ("key", "named"),
    [("", "DSLP_SECRET_KEY, which is not set"), ("not-a-key", "DSLP_SECRET_KEY is not a Fernet")],
)
async def test_without_a_usable_key_nothing_installs_and_the_doctor_says_why(
    tmp_path: Path,
    fake_github: FakeGitHub,
    fake_slack: FakeSlack,
    key: str,
    named: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    overrides = {"dslp_secret_key": SecretStr(key)}
    settings = installing_settings(tmp_path, fake_github, fake_slack, overrides)
    app = build(settings)
    try:
        off = slack_mount(app)
    finally:
        app.database.dispose()
    assert isinstance(off, str) and named in off  # no routes: /slack/install is not served
    assert named in caplog.text and "ERROR" in caplog.text
    finding = await check_slack(settings)
    assert not finding.ok and named in finding.detail
    assert "not-a-key" not in finding.detail + caplog.text


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
    assert await kept_in_clear(slack) == []  # the refreshed token is sealed too
    assert await ours.tokens.token(Workspace(TEAM)) == fresh
    assert len(slack.fake.refreshes) == 1
    await dm(slack, TEAM, ANA, "help")
    assert posted_to(slack, ANA)[-1].token == fresh
