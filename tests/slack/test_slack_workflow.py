"""The Workflow Builder step "File a DSLP Ask": signed `function_executed` events in,
`functions.completeSuccess` / `functions.completeError` out to the fake Slack, with the run's
own token, and the Ask on the fake GitHub exactly as `/dslp ask` files it."""

from __future__ import annotations

import json
import time
from itertools import count
from typing import Any

import pytest

from tests.fakes.slack_api import TEAM
from tests.slack.conftest import ANA, GOOD, SlackHarness, as_text

pytestmark = pytest.mark.slow
Json = dict[str, Any]
ANA_KEY = f"slack:{TEAM}:{ANA}"
RUNS = count(1)
INPUTS: Json = {
    "title": GOOD["title"],
    "problem": GOOD["problem"],
    "outcome": GOOD["outcome"],
    "requester": ANA,
}


async def run_step(
    slack: SlackHarness, inputs: Json, *, team: str = TEAM, run: str = "", event_id: str = ""
) -> str:
    """Slack starts a run of the step: the event as its docs show it, signed. Returns the run id."""
    run = run or f"Fx{next(RUNS):06d}"
    token = slack.fake.runs.get(run) or slack.fake.start_run(run)
    body = {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id or f"EvRun{run}{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        "event": {
            "type": "function_executed",
            "function": {
                "id": "Fn0FILE",
                "callback_id": "file_dslp_ask",
                "title": "File a DSLP Ask",
                "type": "app",
                "app_id": "A1",
                "input_parameters": [],
                "output_parameters": [],
                "date_created": 1694727597,
                "date_updated": 1698947481,
                "date_deleted": 0,
            },
            "inputs": inputs,
            "function_execution_id": run,
            "workflow_execution_id": f"Wx{run}",
            "event_ts": f"{time.time():.6f}",
            "bot_access_token": token,
        },
    }
    answer = await slack.post(json.dumps(body), "application/json")
    assert answer.status == 200
    return run


async def ended(slack: SlackHarness, run: str) -> Json:
    await slack.settle()
    return await slack.fake.wait_for_end(run)


async def test_a_run_files_the_ask_with_coaching_in_its_checklist_and_hands_back_the_issue(
    slack: SlackHarness,
) -> None:
    weak = "Fewer customers cancel."  # changes no decision: coached
    run = await run_step(slack, {**INPUTS, "outcome": weak, "data": "CRM exports"})
    end = await ended(slack, run)
    [issue] = slack.github.issues()
    assert set(end) == {"outputs"} and end["outputs"]["issue_number"] == issue.number
    assert end["outputs"]["issue_url"].endswith(f"/octo/dslp/issues/{issue.number}")
    assert issue.title == GOOD["title"] and issue.labels == ["Ask"]
    body = issue.body or ""
    assert "- [ ] Desired outcome: Say what changes in today" in body
    assert "- [ ] Current State" in body and "- [ ] Datasets" not in body
    assert "CRM exports" in body and "from a Slack workflow" in body
    [ended_with] = slack.fake.delivered("functions.completeSuccess")
    assert ended_with["_token"] == slack.fake.runs[run]  # the run's own token, not the bot's
    [ask] = await slack.app.asks.by_requester(requester=ANA_KEY)
    assert ask.issue_number == issue.number and ask.origin.channel_id == f"dm:{ANA}"


async def test_a_run_delivered_twice_files_one_issue(slack: SlackHarness) -> None:
    """Slack may send the event again (a new event id when it retries the run): found by marker."""
    run = await run_step(slack, INPUTS)
    await ended(slack, run)
    slack.fake.finished.clear()
    await run_step(slack, INPUTS, run=run)
    again = await ended(slack, run)
    assert len(slack.github.issues()) == 1
    assert again["outputs"]["issue_number"] == slack.github.issues()[0].number


async def test_missing_required_inputs_end_the_step_with_what_is_missing(
    slack: SlackHarness,
) -> None:
    run = await run_step(slack, {"requester": ANA, "title": "  ", "outcome": GOOD["outcome"]})
    end = await ended(slack, run)
    assert set(end) == {"error"}
    assert "Title" in end["error"] and "Problem statement" in end["error"]
    assert "Desired outcome" not in end["error"]
    assert slack.github.issues() == []
    assert slack.fake.delivered("functions.completeSuccess") == []


async def test_a_run_without_a_requester_is_refused(slack: SlackHarness) -> None:
    without = {key: value for key, value in INPUTS.items() if key != "requester"}
    for inputs in (without, *({**INPUTS, "requester": bad} for bad in ("", "not a user", 12))):
        run = await run_step(slack, inputs)
        end = await ended(slack, run)
        assert "requester" in end["error"]
    assert slack.github.issues() == []


async def test_oversize_and_non_text_inputs_are_refused_readably(slack: SlackHarness) -> None:
    run = await run_step(slack, {**INPUTS, "problem": "x" * 5000, "impact": {"rich": "text"}})
    end = await ended(slack, run)
    assert "Problem statement: That answer is 5,000 characters" in end["error"]
    assert "at most 3,000" in end["error"]
    assert slack.github.issues() == []


async def test_github_down_ends_the_step_saying_to_run_it_again(slack: SlackHarness) -> None:
    slack.github.outage.start(status=502)
    run = await run_step(slack, INPUTS)
    end = await ended(slack, run)
    assert "not filed" in end["error"] and "again later" in end["error"]
    assert "test-token" not in as_text(end)
    slack.github.outage.stop()
    slack.fake.finished.clear()
    await run_step(slack, INPUTS, run=run)
    assert "outputs" in await ended(slack, run)
    assert len(slack.github.issues()) == 1


@pytest.mark.parametrize("slack_overrides", [{"dslp_slack_team_ids": TEAM}])
async def test_a_workspace_not_on_the_list_files_nothing_and_its_run_ends_at_once(
    slack: SlackHarness,
) -> None:
    """Ended with the run's own token (never the bot's) and a fixed sentence, not left for
    Slack to time out."""
    run = await run_step(slack, {**INPUTS, "title": "<!channel> echo me"}, team="TSTRANGER")
    end = await ended(slack, run)
    assert slack.github.issues() == []
    assert end == {"error": "dslp-bot is not enabled for this Slack workspace. Nothing was filed."}
    [refused] = slack.fake.delivered("functions.completeError")
    assert refused["_token"] == slack.fake.runs[run] != slack.fake.token
    bolt_own = {"auth.test", "functions.completeError"}  # Bolt learns whose token it holds
    assert [c.method for c in slack.fake.calls if c.method not in bolt_own] == []
    allowed = await run_step(slack, INPUTS)
    assert "outputs" in await ended(slack, allowed)
