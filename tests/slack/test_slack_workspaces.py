"""DSLP_SLACK_TEAM_IDS, and the person's own time zone for `/dslp digest daily`.

Requests from a workspace not on the list are signed correctly (the app may
be installed there) but run nothing: a command gets a short ephemeral note,
anything else a quiet 200, and the log names the workspace, never the body.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters.app import App
from adapters.slack.allow import WorkspaceGate, parse_team_ids
from adapters.slack.mount import SlackAdapter
from bot.types import Scope
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.conftest import ANA, CHANNEL, Answer, SlackSender, as_text, settle

pytestmark = pytest.mark.slow
EVIL = "TEVIL"
SECRET_WORDS = "role add it <@UMALLORY>"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_slack_team_ids": f" TOTHER , {TEAM} ", "dslp_timezone": "America/New_York"}


def sent(fake: FakeSlack) -> list[str]:
    """Web API calls the bot made, beside Bolt's own auth.test (its authorization runs first)."""
    return [call.method for call in fake.calls if call.method != "auth.test"]


async def command_from(slack: SlackSender, team: str, text: str) -> Answer:
    form = {
        "team_id": team,
        "channel_id": CHANNEL,
        "channel_name": "data-team",
        "user_id": ANA,
        "user_name": "ana",
        "command": "/dslp",
        "text": text,
        "response_url": slack.fake.response_url("evil"),
        "trigger_id": "trigger-evil",
    }
    return await slack.post(urlencode(form), "application/x-www-form-urlencoded")


async def test_a_command_from_another_workspace_gets_a_note_and_runs_nothing(
    slack: SlackSender,
    fake_slack: FakeSlack,
    slack_app: App,
    adapter: SlackAdapter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    answer = await command_from(slack, EVIL, SECRET_WORDS)
    await settle(slack_app, adapter)
    assert answer.status == 200
    assert answer.json() == {
        "response_type": "ephemeral",
        "text": "dslp-bot is not enabled for this Slack workspace.",
    }
    people = slack_app.notifications.people
    assert await people.roles(scope=Scope("slack", TEAM), repository="octo/dslp") == {}
    assert fake_slack.responses == [] and sent(fake_slack) == []
    logged = caplog.text
    assert EVIL in logged and "UMALLORY" not in logged and "role add" not in logged

    await command_from(slack, EVIL, "ask Churn")
    await settle(slack_app, adapter)
    assert fake_slack.to("views.open") == []


async def test_events_and_buttons_from_another_workspace_get_a_quiet_200(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    event = {
        "type": "event_callback",
        "team_id": EVIL,
        "api_app_id": "A1",
        "event_id": "EvEVIL1",
        "event": {"type": "message", "channel": "DX", "channel_type": "im", "user": "UX",
                  "text": "status", "ts": "1.1"},
    }  # fmt: skip
    answer = await slack.post(json.dumps(event), "application/json")
    assert (answer.status, answer.text) == (200, "")
    action = {
        "type": "block_actions",
        "team": {"id": EVIL},
        "user": {"id": "UX", "team_id": EVIL},
        "trigger_id": "t",
        "actions": [{"action_id": "dslp_home_new", "value": "ask", "type": "button"}],
    }
    answer = await slack.post(
        urlencode({"payload": json.dumps(action)}), "application/x-www-form-urlencoded"
    )
    assert answer.status == 200
    await settle(slack_app, adapter)
    assert sent(fake_slack) == []


async def test_listed_workspaces_work_as_before(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    answer = await command_from(slack, TEAM, "help")
    assert answer.status == 200 and answer.text == ""
    responses = await fake_slack.wait_for_response()
    assert "ask [title]" in as_text(responses[0])


def test_the_team_list_is_parsed_and_empty_allows_everyone() -> None:
    assert parse_team_ids(" T1, ,E2 ") == frozenset({"T1", "E2"})
    assert WorkspaceGate(frozenset()).allows("TANY", None)
    assert WorkspaceGate(frozenset({"E2"})).allows("T9", "E2"), "an Enterprise Grid org id"
    assert not WorkspaceGate(frozenset({"T1"})).allows(None, None)


async def test_digest_daily_uses_the_persons_slack_time_zone_asked_once(
    slack: SlackSender, fake_slack: FakeSlack, slack_app: App, adapter: SlackAdapter
) -> None:
    fake_slack.zones[ANA] = "Europe/Berlin"
    await slack.command("digest daily 09:00")
    responses = await fake_slack.wait_for_response()
    assert "Europe/Berlin" in as_text(responses[0])
    await slack.command("digest daily 10:00")
    await slack.command("status")
    responses = await fake_slack.wait_for_response(3)
    assert "Europe/Berlin" in as_text(responses[1])
    assert [call["user"] for call in fake_slack.to("users.info")] == [ANA]


async def test_without_a_slack_time_zone_the_digest_falls_back_to_dslp_timezone(
    slack: SlackSender, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("users.info", "missing_scope")
    await slack.command("digest daily 09:00")
    responses = await fake_slack.wait_for_response()
    assert "America/New_York" in as_text(responses[0])
