"""The conversation rules as pure functions: (flow, draft, message) -> outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.conversation.transitions import Outcome, advance, offer_resume, prompt
from bot.flows.ask import ASK
from bot.types import Draft, Place, Say, ShowPreview, Stage

PLACE = Place(platform="console", channel_id="terminal")
STRONG = {
    "title": "Predict churn next quarter",
    "problem": "Customer success learns about cancellations only after they happen.",
    "outcome": "As a CSM, I can see risky accounts each Monday so that I call them first "
    "instead of alphabetically.",
}


def new_draft(**changes: object) -> Draft:
    draft = Draft(id="d1", flow="ask", owner="console:local:ana", origin=PLACE, cursor="title")
    return replace(draft, **changes)  # type: ignore[arg-type]


def run(draft: Draft, *messages: str) -> Outcome:
    outcome = Outcome(draft, ())
    for message in messages:
        outcome = advance(ASK, outcome.draft, message)
    return outcome


def text(outcome: Outcome) -> str:
    return "\n".join(r.text for r in outcome.replies if isinstance(r, Say))


def test_a_strong_answer_moves_to_the_next_step() -> None:
    outcome = run(new_draft(), STRONG["title"])
    assert outcome.draft.answers["title"] == STRONG["title"]
    assert outcome.draft.cursor == "problem"
    assert "Problem statement" in text(outcome)


@pytest.mark.parametrize("empty", ["", "   ", "\n\t ", "\x00\x07"])
def test_empty_answers_are_refused_with_a_clear_message(empty: str) -> None:
    outcome = run(new_draft(), empty)
    assert outcome.draft.cursor == "title"
    assert "empty" in text(outcome)
    assert "title" not in outcome.draft.answers


def test_a_100_kb_paste_is_refused_with_the_limit_and_the_draft_keeps_older_answers() -> None:
    outcome = run(new_draft(), STRONG["title"], "x" * 100_000)
    assert outcome.draft.cursor == "problem"
    assert "100,000 characters" in text(outcome)
    assert "3,000" in text(outcome)
    assert outcome.draft.answers["title"] == STRONG["title"]


def test_a_multi_line_title_is_joined_and_the_person_is_told() -> None:
    outcome = run(new_draft(), "Churn\nprediction  model")
    assert outcome.draft.answers["title"] == "Churn prediction model"
    assert "one line" in text(outcome)


def test_a_one_word_problem_statement_is_coached_and_can_be_kept() -> None:
    coached = run(new_draft(), STRONG["title"], "Churn")
    assert coached.draft.stage == Stage.COACHING
    assert coached.draft.answers["problem"] == "Churn"
    assert "one or two words" in text(coached)
    kept = advance(ASK, coached.draft, "keep")
    assert kept.draft.stage == Stage.ASKING
    assert kept.draft.cursor == "outcome"
    assert kept.draft.answers["problem"] == "Churn"


def test_a_coached_answer_can_be_replaced_by_a_better_one() -> None:
    better = run(new_draft(), STRONG["title"], "Churn", STRONG["problem"])
    assert better.draft.answers["problem"] == STRONG["problem"]
    assert better.draft.cursor == "outcome"


def test_an_outcome_without_persona_or_process_change_gets_both_pieces_of_advice() -> None:
    coached = run(new_draft(), STRONG["title"], STRONG["problem"], "Better churn predictions.")
    said = text(coached)
    assert "persona" in said
    assert "today's process" in said


@pytest.mark.parametrize(
    ("metrics", "advised"),
    [
        ("We want happier customers", True),
        ("Churn down from 3.1% to 2.5%; counter-balance: calls per week must not rise", False),
    ],
)
def test_metrics_without_a_number_or_direction_are_coached(metrics: str, advised: bool) -> None:
    draft = new_draft(answers=STRONG, cursor="metrics")
    outcome = advance(ASK, draft, metrics)
    assert ("number or a direction" in text(outcome)) is advised


def test_skip_is_refused_for_required_parts_and_recorded_for_optional_ones() -> None:
    refused = run(new_draft(), "skip")
    assert refused.draft.cursor == "title"
    assert "required" in text(refused)
    draft = new_draft(answers=STRONG, cursor="current_state")
    skipped = advance(ASK, draft, "skip")
    assert "current_state" in skipped.draft.skipped
    assert skipped.draft.cursor == "success"


def test_back_returns_to_the_previous_question_with_its_answer() -> None:
    outcome = run(new_draft(), STRONG["title"], "back")
    assert outcome.draft.cursor == "title"
    assert STRONG["title"] in text(outcome)
    assert run(new_draft(), "back").draft.cursor == "title"


def test_edit_jumps_to_a_part_by_key_or_label_and_returns_to_the_next_open_one() -> None:
    draft = new_draft(answers=STRONG, cursor="current_state", trail=("title", "problem", "outcome"))
    editing = advance(ASK, draft, "edit desired outcome")
    assert editing.draft.cursor == "outcome"
    done = advance(ASK, editing.draft, STRONG["outcome"] + " Now weekly.")
    assert done.draft.cursor == "current_state"
    unknown = advance(ASK, draft, "edit budgett")
    assert "budgett" in text(unknown) and "problem" in text(unknown)


def test_submit_needs_required_parts_then_a_preview_then_files() -> None:
    missing = advance(ASK, new_draft(answers={"title": "T"}, cursor="current_state"), "submit")
    assert missing.draft.cursor == "problem"
    assert "Problem statement" in text(missing)
    ready = new_draft(answers=STRONG, cursor="current_state")
    previewed = advance(ASK, ready, "submit")
    assert not previewed.submitted
    assert any(isinstance(r, ShowPreview) for r in previewed.replies)
    filed = advance(ASK, previewed.draft, "submit")
    assert filed.submitted
    assert filed.draft.stage == Stage.SUBMITTING


def test_answering_every_part_ends_in_a_review_with_readiness() -> None:
    answers = [STRONG["title"], STRONG["problem"], STRONG["outcome"]] + ["skip"] * 7
    outcome = run(new_draft(), *answers)
    preview = next(r for r in outcome.replies if isinstance(r, ShowPreview))
    assert outcome.draft.stage == Stage.REVIEW
    assert preview.readiness.ready
    assert "Impact" in preview.readiness.missing
    assert "## Problem Statement" in preview.body


def test_free_text_in_review_explains_what_to_do() -> None:
    draft = new_draft(answers=STRONG, cursor="", stage=Stage.REVIEW)
    outcome = advance(ASK, draft, "looks good")
    assert "submit" in text(outcome)
    assert outcome.draft.answers == draft.answers


def test_cancel_discards() -> None:
    outcome = run(new_draft(), STRONG["title"], "cancel")
    assert outcome.draft.stage == Stage.DISCARDED


def test_a_submitting_draft_takes_no_changes() -> None:
    draft = new_draft(answers=STRONG, stage=Stage.SUBMITTING)
    outcome = advance(ASK, draft, "cancel")
    assert outcome.draft == draft
    assert "being filed" in text(outcome)


def test_resume_offer_accepts_only_resume_or_discard() -> None:
    offered = offer_resume(new_draft(answers=STRONG, cursor="current_state"), ASK)
    assert offered.draft.awaiting_resume
    repeated = advance(ASK, offered.draft, "what?")
    assert repeated.draft.awaiting_resume
    resumed = advance(ASK, offered.draft, "Resume")
    assert not resumed.draft.awaiting_resume and "Current state" in text(resumed)
    discarded = advance(ASK, offered.draft, "discard")
    assert discarded.restart and discarded.draft.stage == Stage.DISCARDED


def test_help_lists_the_commands_and_changes_nothing() -> None:
    draft = new_draft()
    outcome = advance(ASK, draft, "help")
    assert outcome.draft == draft
    for word in ("back", "skip", "edit", "preview", "submit", "cancel"):
        assert f"`{word}" in text(outcome)


def test_a_command_word_inside_a_sentence_is_an_answer() -> None:
    outcome = run(new_draft(), "Skip the manual review of invoices")
    assert outcome.draft.answers["title"] == "Skip the manual review of invoices"


def test_prompt_offers_skip_only_for_optional_steps() -> None:
    required = prompt(ASK, new_draft())
    optional = prompt(ASK, new_draft(cursor="impact", trail=("title",)))
    assert [c.value for c in required.replies[0].choices] == []  # type: ignore[union-attr]
    assert [c.value for c in optional.replies[0].choices] == ["back", "skip"]  # type: ignore[union-attr]
