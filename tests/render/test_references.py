"""Cross-references and TLDRs as people really write them."""

from __future__ import annotations

import pytest

from bot.render.references import ask_reference, experiment_reference, tldr_of


@pytest.mark.parametrize(
    "body",
    [
        "## Description\n***Ask Reference:*** #12\nmore",
        "**Ask reference**: #12",
        "- Ask Reference: #12 (the churn one)",
        "Ask  Reference:#12",
    ],
)
def test_ask_references_in_their_usual_spellings(body: str) -> None:
    assert ask_reference(body) == 12


def test_no_reference_and_references_in_prose_are_not_taken() -> None:
    assert ask_reference("") is None
    assert ask_reference("see the ask reference in #12") is None
    assert experiment_reference("***Based on Experiment:*** #45") == 45


def test_the_latest_tldr_wins_and_empty_ones_are_ignored() -> None:
    body = "***TLDR:*** first try\n...\n***TLDR:***\nTL;DR: GBM beats baseline by 4 points"
    assert tldr_of(body) == "GBM beats baseline by 4 points"
    assert tldr_of("no summary") == ""
