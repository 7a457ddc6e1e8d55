"""Pure checks of form widgets: choice steps as selects, notes above the form, phases on Home."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from adapters.slack.home import home_view
from adapters.slack.modal import Meta, form_values, form_view, review_view
from bot.conversation.forms import form_spec
from bot.flows.ask import ASK
from bot.flows.outcome import OUTCOME_FLOW
from bot.types import Draft, FiledAsk, Place

ORIGIN = Place("slack", "C1", "T1")


def outcome_draft(**answers: str) -> Draft:
    return Draft(
        id="d1", flow=OUTCOME_FLOW.name, owner="slack:T1:U1", origin=ORIGIN, answers=answers
    )


def test_a_choice_step_is_a_static_select_with_the_saved_answer_chosen() -> None:
    spec = form_spec(OUTCOME_FLOW, outcome_draft(outcome="on hold"))
    view = form_view(replace(spec, notes=("For experiment #45 <!channel>",)), Meta("d1", "U1"))
    note, select, tldr = view["blocks"]
    assert note["type"] == "context" and "&lt;!channel&gt;" in json.dumps(note)
    element = select["element"]
    assert element["type"] == "static_select" and element["action_id"] == "outcome"
    assert [o["value"] for o in element["options"]] == ["succeeded", "failed", "on hold"]
    assert element["initial_option"]["value"] == "on hold"
    assert tldr["element"]["type"] == "plain_text_input"
    assert view["title"]["text"] == "Experiment outcome"


def test_a_select_reads_back_its_chosen_value_or_none() -> None:
    state: dict[str, dict[str, dict[str, Any]]] = {
        "outcome": {"outcome": {"type": "static_select", "selected_option": {"value": "failed"}}},
        "tldr": {"tldr": {"type": "plain_text_input", "value": "No signal."}},
    }
    assert form_values({"state": {"values": state}}, ("outcome", "tldr")) == {
        "outcome": "failed",
        "tldr": "No signal.",
    }
    state["outcome"]["outcome"]["selected_option"] = None
    values = form_values({"state": {"values": state}}, ("outcome", "tldr"))
    assert values is not None and values["outcome"] is None


def test_review_titles_fit_slacks_24_characters() -> None:
    for flow in ("ask", "data", "explore", "experiment", "model", "experiment-outcome", "new"):
        title = review_view("t", "s", "", Meta("d1", "U1"), flow)["title"]["text"]
        assert len(title) <= 24


def test_home_shows_the_phase_the_lifecycle_stored() -> None:
    ask = FiledAsk(1, "https://x/1", "Churn", "k", "n", ORIGIN, "d", phase="Deploy")
    view = home_view([ask], [], {"ask": ASK})
    assert "phase: *Deploy*" in json.dumps(view)
