"""Odd and stale input: a clear reply or a quiet 200, never a 500, never a lost draft."""

from __future__ import annotations

import pytest

from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import ALICE, BOB, Teams, card_data, inputs
from tests.teams.test_teams_flows import ANSWERS, form_values

pytestmark = pytest.mark.slow


async def open_form(teams: Teams) -> str:
    form = await teams.press({"dslp": "form", "flow": "ask", "v": 1})
    return str(card_data(form[0], "submit_form")["draft"])


async def answers_of(teams: Teams, draft_id: str) -> dict[str, str]:
    draft = await teams.app.drafts.get(draft_id=draft_id)
    assert draft is not None
    return dict(draft.answers)


async def test_unknown_command_and_empty_messages_get_the_usage(teams: Teams) -> None:
    unknown = await teams.say("frobnicate")
    assert "don't know the command" in unknown[0].words and "ask" in unknown[0].words
    empty = await teams.say("   ")
    assert "Commands" in empty[0].words
    no_text = await teams.send(teams.message())
    assert "Commands" in no_text[0].words


async def test_fields_missing_from_a_card_keep_their_saved_answers(teams: Teams) -> None:
    draft_id = await open_form(teams)
    await teams.press(form_values(draft_id))
    only_title = {"dslp": "submit_form", "draft": draft_id, "flow": "ask", "v": 1}
    only_title |= {"field:title": "Predict churn next quarter", "field:bogus": "x", "extra": 1}
    review = await teams.press(only_title)
    assert "Ready to file" in review[0].words
    saved = await answers_of(teams, draft_id)
    assert saved["title"] == "Predict churn next quarter"
    assert saved["problem"] == ANSWERS["problem"]


async def test_a_card_from_an_older_version_changes_nothing_and_keeps_the_typing(
    teams: Teams,
) -> None:
    draft_id = await open_form(teams)
    await teams.press(form_values(draft_id))
    before = await answers_of(teams, draft_id)
    for version in (0, "1", None):
        stale = {**form_values(draft_id, title="Typed in an old card"), "v": version}
        sent = await teams.press(stale)
        assert "older version" in sent[0].words
        assert inputs(sent[1])["field:title"]["value"] == "Typed in an old card"
    assert await answers_of(teams, draft_id) == before


async def test_someone_elses_card_does_not_touch_their_draft(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    draft_id = await open_form(teams)
    await teams.press(form_values(draft_id))
    before = await answers_of(teams, draft_id)
    sent = await teams.press(form_values(draft_id, title="Bob was here"), user=BOB)
    assert "not yours" in sent[0].words
    assert inputs(sent[1])["field:title"]["value"] == "Bob was here"
    confirm = {"dslp": "confirm", "draft": draft_id, "flow": "ask", "v": 1}
    refused = await teams.press(confirm, user=BOB)
    assert "no longer waiting" in refused[0].words
    await teams.filed()
    assert await answers_of(teams, draft_id) == before
    assert fake_github.issues() == []


async def test_a_gone_draft_and_an_unknown_button_get_clear_replies(teams: Teams) -> None:
    gone = await teams.press(form_values("no-such-draft"))
    assert "filed, discarded or not yours" in gone[0].words
    unknown = await teams.press({"dslp": "launch-rockets", "v": 1})
    assert "don't recognise that button" in unknown[0].words
    odd = await teams.press({"dslp": ["not", "a", "kind"], "draft": {"x": 1}})
    assert "don't recognise" in odd[0].words


async def test_unknown_activity_types_get_a_quiet_answer(teams: Teams) -> None:
    for kind in ("typing", "messageReaction", "somethingNew", "event"):
        response = await teams.post(teams.activity(kind))
        assert response.status in (200, 202)
    assert teams.connector.sent == []


async def test_an_unknown_invoke_and_a_card_invoke_answer_200(teams: Teams) -> None:
    other = teams.activity("invoke")
    other["name"] = "composeExtension/query"
    response = await teams.post(other)
    assert response.status == 200
    execute = teams.activity("invoke")
    execute["name"] = "adaptiveCard/action"
    execute["value"] = {"action": {"type": "Action.Execute", "data": {"dslp": "form", "v": 1}}}
    response = await teams.post(execute)
    assert response.status == 200
    assert (await response.json())["statusCode"] == 200
    assert len(inputs(teams.connector.sent[-1])) == 10


async def test_broken_bodies_are_400_not_500(teams: Teams) -> None:
    response = await teams.client.post("/api/messages", data=b"{not json")
    assert response.status == 400
    no_conversation = teams.activity("message")
    del no_conversation["conversation"]
    assert (await teams.post(no_conversation)).status == 400
    bad_shape = teams.activity("message")
    bad_shape["from"] = "alice"
    assert (await teams.post(bad_shape)).status == 400


async def test_a_failing_turn_tells_the_user_and_answers_200(teams: Teams) -> None:
    teams.connector.fail_next(400)
    response = await teams.post(teams.message(text="help", user=ALICE))
    assert response.status in (200, 202)
    assert "something went wrong" in teams.connector.sent[-1].words
