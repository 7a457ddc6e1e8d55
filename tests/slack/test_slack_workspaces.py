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

from adapters.slack.allow import WorkspaceGate, acting_team, parse_team_ids
from bot.types import Scope
from tests.fakes.slack_api import TEAM, FakeSlack
from tests.slack.conftest import ANA, CHANNEL, Answer, SlackHarness, as_text

pytestmark = pytest.mark.slow
EVIL = "TEVIL"
SECRET_WORDS = "role add it <@UMALLORY>"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_slack_team_ids": f" TOTHER , {TEAM} ", "dslp_timezone": "America/New_York"}


def sent(fake: FakeSlack) -> list[str]:
    """Web API calls the bot made, beside Bolt's own auth.test (its authorization runs first)."""
    return [call.method for call in fake.calls if call.method != "auth.test"]


async def command_from(slack: SlackHarness, team: str, text: str) -> Answer:
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
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    answer = await command_from(slack, EVIL, SECRET_WORDS)
    await slack.settle()
    assert answer.status == 200
    assert answer.json() == {
        "response_type": "ephemeral",
        "text": "dslp-bot is not enabled for this Slack workspace.",
    }
    people = slack.app.notifications.people
    assert await people.roles(scope=Scope("slack", TEAM), repository="octo/dslp") == {}
    assert slack.fake.responses == [] and sent(slack.fake) == []
    logged = caplog.text
    assert EVIL in logged and "UMALLORY" not in logged and "role add" not in logged

    await command_from(slack, EVIL, "ask Churn")
    await slack.settle()
    assert slack.fake.to("views.open") == []


async def test_events_and_buttons_from_another_workspace_get_a_quiet_200(
    slack: SlackHarness,
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
    await slack.settle()
    assert sent(slack.fake) == []


async def test_listed_workspaces_work_as_before(slack: SlackHarness) -> None:
    answer = await command_from(slack, TEAM, "help")
    assert answer.status == 200 and answer.text == ""
    responses = await slack.fake.wait_for_response()
    assert "ask [title]" in as_text(responses[0])


EXTERNAL = "TPARTNER"
"""Another organisation's workspace, sharing CHANNEL with ours through Slack Connect."""


def from_partner(user: str = "UPARTNER", team: str = EXTERNAL) -> dict[str, str]:
    """`user` as interactivity payloads carry it: their own workspace in `team_id`."""
    return {"id": user, "username": "pat", "name": "pat", "team_id": team}


async def test_a_slash_command_by_someone_from_another_organisation_runs_nothing(
    slack: SlackHarness,
) -> None:
    body = slack.command_body(SECRET_WORDS, user="UPARTNER") + f"&user_team={EXTERNAL}"
    answer = await slack.post(body, "application/x-www-form-urlencoded")
    await slack.settle()
    assert answer.json()["text"] == "dslp-bot is not enabled for this Slack workspace."
    people = slack.app.notifications.people
    assert await people.roles(scope=Scope("slack", TEAM), repository="octo/dslp") == {}
    assert slack.fake.responses == [] and sent(slack.fake) == []


async def test_a_message_event_by_someone_from_another_organisation_runs_nothing(
    slack: SlackHarness,
) -> None:
    event = {"type": "message", "channel": "DPARTNER", "channel_type": "im",
             "user": "UPARTNER", "text": "status", "ts": "1.1"}  # fmt: skip
    for shape in ({"user_team": EXTERNAL, "team": TEAM}, {"team": EXTERNAL}):
        answer = await slack.event({**event, **shape})
        assert (answer.status, answer.text) == (200, "")
    await slack.settle()
    assert sent(slack.fake) == []


async def test_buttons_and_forms_used_by_someone_from_another_organisation_run_nothing(
    slack: SlackHarness,
) -> None:
    press = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "test"},
        "user": from_partner(),
        "trigger_id": "trigger-partner",
        "actions": [{"action_id": "dslp_home_new", "value": "ask", "type": "button"}],
    }
    submit = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "test"},
        "user": from_partner(),
        "trigger_id": "trigger-partner-2",
        "view": {"id": "V1", "type": "modal", "callback_id": "dslp_ask_form",
                 "team_id": TEAM, "private_metadata": "", "state": {"values": {}}},
    }  # fmt: skip
    for payload in (press, submit):
        answer = await slack.interaction(payload)
        assert (answer.status, answer.text) == (200, "")
    await slack.settle()
    assert sent(slack.fake) == []


async def test_people_from_a_listed_workspace_in_a_shared_channel_are_heard(
    slack: SlackHarness,
) -> None:
    body = slack.command_body("help", user="UOTHER") + "&user_team=TOTHER"
    answer = await slack.post(body, "application/x-www-form-urlencoded")
    assert (answer.status, answer.text) == (200, "")
    responses = await slack.fake.wait_for_response()
    assert "ask [title]" in as_text(responses[0])


def test_the_acting_team_is_read_where_each_payload_type_names_it() -> None:
    assert acting_team({"user": {"id": "U1", "team_id": "T2"}, "team": {"id": "T1"}}) == "T2"
    assert acting_team({"user_id": "U1", "team_id": "T1", "user_team": "T2"}) == "T2"
    assert acting_team({"team_id": "T1", "event": {"user_team": "T2", "team": "T1"}}) == "T2"
    assert acting_team({"team_id": "T1", "event": {"team": "T2"}}) == "T2"
    assert acting_team({"team_id": "T1", "event": {"type": "app_home_opened"}}) is None
    assert acting_team({"user": "U1", "user_team": 7}) is None
    gate = WorkspaceGate(frozenset({"T1", "E1"}))
    assert gate.allows_actor(None, "T1", None) and gate.allows_actor("T1", "T1", None)
    assert gate.allows_actor("T9", "T9", "E1"), "another workspace of a listed Grid org"
    assert not gate.allows_actor("T9", "T1", None)


def test_the_team_list_is_parsed_and_empty_allows_everyone() -> None:
    assert parse_team_ids(" T1, ,E2 ") == frozenset({"T1", "E2"})
    assert WorkspaceGate(frozenset()).allows("TANY", None)
    assert WorkspaceGate(frozenset({"E2"})).allows("T9", "E2"), "an Enterprise Grid org id"
    assert not WorkspaceGate(frozenset({"T1"})).allows(None, None)


async def test_digest_daily_uses_the_persons_slack_time_zone_asked_once(
    slack: SlackHarness,
) -> None:
    slack.fake.zones[ANA] = "Europe/Berlin"
    await slack.command("digest daily 09:00")
    responses = await slack.fake.wait_for_response()
    assert "Europe/Berlin" in as_text(responses[0])
    await slack.command("digest daily 10:00")
    await slack.command("status")
    responses = await slack.fake.wait_for_response(3)  # the last two in either order
    assert sum("Europe/Berlin" in as_text(response) for response in responses) == 2
    assert [call["user"] for call in slack.fake.to("users.info")] == [ANA]


async def test_without_a_slack_time_zone_the_digest_falls_back_to_dslp_timezone(
    slack: SlackHarness,
) -> None:
    slack.fake.fail_next("users.info", "missing_scope")
    await slack.command("digest daily 09:00")
    responses = await slack.fake.wait_for_response()
    assert "America/New_York" in as_text(responses[0])
