"""Linked work in Teams: `data 12` as a conversation and as a card form, and outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.bot_connector import Sent
from tests.fakes.github_api import FakeGitHub
from tests.teams.conftest import Teams, card_data

pytestmark = pytest.mark.slow

DATA_ANSWERS = {
    "name": "CRM accounts",
    "description": "Every account with its plan and renewal date.",
    "sources": "Salesforce export owned by Sales Ops.",
}


def ask(fake: FakeGitHub) -> int:
    return fake.add_issue(title="Predict churn", body="## Problem\nChurn.", labels=["Ask"]).number


def experiment(fake: FakeGitHub, ask_number: int) -> int:
    body = f"***Ask Reference:*** #{ask_number}\n\n## Description\nGradient boosting baseline."
    return fake.add_issue(title="GBM baseline", body=body, labels=["Experiment"]).number


def choice_sets(sent: Sent) -> dict[str, dict[str, Any]]:
    return {
        element["id"]: element
        for card in sent.cards
        for element in card["body"]
        if element.get("type") == "Input.ChoiceSet"
    }


def submitted(form: Sent, **values: str) -> dict[str, Any]:
    data = card_data(form, "submit_form")
    return {**data, **{f"field:{key}": value for key, value in values.items()}}


async def test_data_as_a_card_form_files_a_linked_data_issue(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    number = ask(fake_github)
    started = await teams.say(f"data {number}", channel=True)
    assert f"#{number}" in started[0].words
    offer = card_data(started[-1], "form")
    assert offer["command"] == f"data {number}" and offer["flow"] == "data"

    form = await teams.press(offer, channel=True)
    kind = choice_sets(form[0])["field:kind"]
    assert [c["value"] for c in kind["choices"]] == ["get", "create"]
    assert kind["isRequired"] is True

    review = await teams.press(submitted(form[0], kind="create", **DATA_ANSWERS), channel=True)
    assert "Review" in review[0].words
    await teams.press(card_data(review[0], "confirm"), channel=True)
    filed = await teams.filed()
    assert "Filed #" in filed[0].words
    data_issue = fake_github.issues()[-1]
    assert data_issue.title == "Create CRM accounts Dataset"
    assert f"#{number}" in (data_issue.body or "") and "Data" in data_issue.labels


async def test_the_form_button_checks_the_issue_like_the_command(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    not_an_ask = fake_github.add_issue(title="A bug", body="", labels=["bug"]).number
    sent = await teams.press({"dslp": "form", "flow": "data", "command": f"data {not_an_ask}"})
    assert "not an Ask" in sent[0].words and not sent[0].cards


async def test_an_answer_that_looks_like_a_command_gets_no_form_offer(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    number = ask(fake_github)
    await teams.say("ask")
    sent = await teams.say(f"data {number}")  # the Ask's title, not a command
    assert all("Open the form" not in s.words for s in sent)


async def test_the_outcome_flow_as_a_form_labels_the_experiment(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    number = experiment(fake_github, ask(fake_github))
    started = await teams.say(f"experiment {number}")
    form = await teams.press(card_data(started[-1], "form"))
    outcome = choice_sets(form[0])["field:outcome"]
    assert {c["value"] for c in outcome["choices"]} == {"succeeded", "failed", "on hold"}

    wrong = await teams.press(submitted(form[0], outcome="great", tldr="Recall 0.61"))
    assert "Please fix" in wrong[0].words
    review = await teams.press(submitted(form[0], outcome="succeeded", tldr="Recall 0.61"))
    await teams.press(card_data(review[0], "confirm"))
    done = await teams.filed()
    assert done, "the outcome is reported back"
    labelled = fake_github.repo().issues[number]
    assert "succeeded" in {label.casefold() for label in labelled.labels}
    assert "Recall 0.61" in (labelled.body or "")


async def test_experiment_outcome_in_one_line_needs_no_form(
    teams: Teams, fake_github: FakeGitHub
) -> None:
    number = experiment(fake_github, ask(fake_github))
    sent = await teams.say(f"experiment {number} failed No signal beyond the rules")
    assert all("Open the form" not in s.words for s in sent)
    assert fake_github.repo().issues[number].state == "closed"
