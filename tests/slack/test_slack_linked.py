"""Linked work and outcomes as Slack modals, end to end: signed requests in, fakes out.

`/dslp data 1` opens the Data form (its kind a select) for Ask #1, the
review follows, and filing links it; `/dslp experiment 2` on an Experiment
opens the outcome form, whose result offers "Open the Model issue", which
opens the Model form prefilled. What the core refuses comes back ephemeral.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.github_api import FakeGitHub
from tests.slack.conftest import ANA, CHANNEL, Json, SlackHarness, as_text

pytestmark = pytest.mark.slow

DATA: dict[str, str | None] = {
    "kind": "get",
    "name": "Customer usage events",
    "description": "Daily product usage per account for the last two years, one row per event.",
    "sources": "The events warehouse (analytics.events), loaded nightly from the app.",
    "reference": None,
    "known_issues": None,
}
EXPERIMENT_BODY = (
    "***Ask Reference:*** #1\n\n## Experiment Description\n"
    "Gradient boosting on usage features against the rules baseline.\n"
)


def add_ask(fake: FakeGitHub) -> int:
    body = "## Problem Statement\nChurn surprises us.\n\n## Approaches and Experiments\n"
    return fake.add_issue(title="Predict churn", body=body, labels=["Ask"]).number


def add_experiment(fake: FakeGitHub) -> int:
    return fake.add_issue(title="GBM baseline", body=EXPERIMENT_BODY, labels=["Experiment"]).number


async def opened_view(slack: SlackHarness, text: str, before: int = 0) -> Json:
    answer = await slack.command(text)
    assert answer.status == 200
    opened = await slack.fake.wait_for("views.open", before + 1)
    assert len(opened) > before, f"no modal for {text!r}"
    return {**opened[-1]["view"], "id": f"V{len(opened)}"}


def inputs(view: Json) -> dict[str, Json]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


async def review_and_file(slack: SlackHarness, view: Json, values: dict[str, Any]) -> Json:
    review = await slack.submit_view(view, values)
    assert review.json().get("response_action") == "update", review.text
    reviewed = review.json()["view"]
    assert reviewed["callback_id"] == "dslp_review"
    filed = await slack.submit_view({**reviewed, "id": view["id"]}, {})
    assert filed.json()["response_action"] == "update", filed.text
    done: Json = filed.json()["view"]
    return done


async def test_data_for_an_ask_opens_a_modal_with_a_select_and_files_the_linked_issue(
    slack: SlackHarness,
) -> None:
    ask = add_ask(slack.github)
    view = await opened_view(slack, f"data {ask}")
    assert view["callback_id"] == "dslp_form" and view["title"]["text"] == "New Data issue"
    assert view["blocks"][0]["type"] == "context" and f"#{ask}" in as_text(view["blocks"][0])
    kind = inputs(view)["kind"]
    assert kind["type"] == "static_select"
    assert [o["value"] for o in kind["options"]] == ["get", "create"]
    assert list(inputs(view)) == list(DATA)
    assert slack.fake.responses == [], "a form, not an ephemeral answer"

    done = await review_and_file(slack, view, DATA)
    assert "Filing *Data for Ask #1*" in as_text(done)
    await slack.settle()
    data = [i for i in slack.github.issues() if "Data" in i.labels]
    assert len(data) == 1 and "Customer usage events" in data[0].title
    assert f"#{ask}" in (data[0].body or "")
    posts = await slack.fake.wait_for("chat.postMessage")
    assert posts[0]["channel"] == CHANNEL and f"/issues/{data[0].number}" in as_text(posts[0])


async def test_a_form_with_a_required_part_missing_gets_inline_errors(slack: SlackHarness) -> None:
    ask = add_ask(slack.github)
    view = await opened_view(slack, f"data {ask}")
    answer = await slack.submit_view(view, {**DATA, "kind": None, "sources": ""})
    body = answer.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"kind", "sources"}


async def test_the_edit_button_reopens_the_linked_form_not_the_ask(slack: SlackHarness) -> None:
    ask = add_ask(slack.github)
    view = await opened_view(slack, f"explore {ask}")
    values = {
        "title": "Usage patterns before churn",
        "overview": "Look at usage in the 90 days before accounts cancel.",
        "goals": "Find which usage drops come first.",
        "timebox": None,
    }
    review = (await slack.submit_view(view, values)).json()["view"]
    edit = next(b for b in review["blocks"] if b["type"] == "actions")["elements"][0]
    await slack.press(edit, view={**review, "id": view["id"]})
    await slack.settle()
    updated = await slack.fake.wait_for("views.update")
    again = updated[0]["view"]
    assert list(inputs(again)) == list(values)
    assert inputs(again)["title"]["initial_value"] == values["title"]


async def test_an_outcome_modal_records_it_and_its_model_button_opens_the_model_modal(
    slack: SlackHarness,
) -> None:
    add_ask(slack.github)
    experiment = add_experiment(slack.github)
    view = await opened_view(slack, f"experiment {experiment}")
    assert view["title"]["text"] == "Experiment outcome"
    assert inputs(view)["outcome"]["type"] == "static_select"
    done = await review_and_file(
        slack, view, {"outcome": "succeeded", "tldr": "GBM beats the rules by 4 points of recall."}
    )
    assert "Recording" in as_text(done)
    await slack.settle()
    issue = next(i for i in slack.github.issues() if i.number == experiment)
    assert any(label.casefold() == "succeeded" for label in issue.labels)
    posts = await slack.fake.wait_for("chat.postMessage")
    result = posts[0]
    assert "Recorded" in as_text(result)
    button = next(
        e
        for b in result["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("value") == f"model octo/dslp#{experiment}"
    )

    await slack.press(button, channel=CHANNEL)
    await slack.settle()
    opened = await slack.fake.wait_for("views.open", 2)
    model = opened[-1]["view"]
    assert model["title"]["text"] == "New Model issue"
    assert inputs(model)["name"]["initial_value"] == "GBM baseline"


async def test_a_full_outcome_command_stays_a_command_with_its_replies(slack: SlackHarness) -> None:
    add_ask(slack.github)
    experiment = add_experiment(slack.github)
    await slack.command(f"experiment {experiment} succeeded GBM beats the rules by 4 points.")
    responses = await slack.fake.wait_for_response()
    assert responses[0]["response_type"] == "ephemeral"
    assert "Recorded" in as_text(responses[0]) and f"model octo/dslp#{experiment}" in as_text(
        responses[0]
    )
    assert slack.fake.to("views.open") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("data 999", "no issue #999"), ("data", "Which issue?"), ("model 1", "not an Experiment")],
)
async def test_what_the_core_refuses_comes_back_ephemeral_and_opens_nothing(
    slack: SlackHarness, text: str, expected: str
) -> None:
    add_ask(slack.github)
    await slack.command(text)
    responses = await slack.fake.wait_for_response()
    assert responses and expected in as_text(responses[0])
    assert slack.fake.to("views.open") == []


async def test_a_draft_for_another_ask_is_not_reopened_under_a_new_number(
    slack: SlackHarness,
) -> None:
    first, second = add_ask(slack.github), add_ask(slack.github)
    await opened_view(slack, f"data {first}")
    await slack.command(f"data {second}")
    responses = await slack.fake.wait_for_response()
    assert f"#{first}" in as_text(responses[0]) and "resume" in as_text(responses[0])
    assert len(slack.fake.to("views.open")) == 1


async def test_a_trigger_that_expired_while_github_answered_leaves_a_button(
    slack: SlackHarness,
) -> None:
    ask = add_ask(slack.github)
    slack.fake.fail_next("views.open", "expired_trigger_id")
    await slack.command(f"data {ask}")
    responses = await slack.fake.wait_for_response()
    late = as_text(responses[0])
    assert "Open the form" in late and f'"value": "data {ask}"' in late
    drafts = await slack.app.drafts.list_open(owner=f"slack:T0TEST:{ANA}")
    assert [d.flow for d in drafts] == ["data"]

    await slack.press({"action_id": "dslp_choice:0", "value": f"data {ask}"}, channel=CHANNEL)
    await slack.settle()
    opened = await slack.fake.wait_for("views.open")
    assert opened and opened[0]["view"]["title"]["text"] == "New Data issue"
    drafts = await slack.app.drafts.list_open(owner=f"slack:T0TEST:{ANA}")
    assert len(drafts) == 1, "the same draft, reopened"


async def test_home_lists_a_linked_draft_and_resume_reopens_its_own_form(
    slack: SlackHarness,
) -> None:
    ask = add_ask(slack.github)
    await opened_view(slack, f"data {ask}")
    await slack.event({"type": "app_home_opened", "user": ANA, "tab": "home"})
    await slack.settle()
    home = as_text((await slack.fake.wait_for("views.publish"))[0]["view"])
    assert f"Data for Ask #{ask}" in home and "0 of 6 parts answered" in home

    await slack.press({"action_id": "dslp_home_resume", "value": "data"})
    await slack.settle()
    opened = await slack.fake.wait_for("views.open", 2)
    assert opened[-1]["view"]["title"]["text"] == "New Data issue"
    drafts = await slack.app.drafts.list_open(owner=f"slack:T0TEST:{ANA}")
    assert len(drafts) == 1 and drafts[0].context["ask"] == str(ask)
