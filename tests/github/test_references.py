"""The one parser for issue references and repository names (bot.repositories.references)."""

from __future__ import annotations

import pytest

from bot.repositories.references import IssueRef, named_repository, parse_issue, parse_repository


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("12", IssueRef("", 12)),
        ("#12", IssueRef("", 12)),
        ("octo/dslp#12", IssueRef("octo/dslp", 12)),
        ("Acme-1/models.v2#7", IssueRef("Acme-1/models.v2", 7)),
        ("octo/dslp12", None),
        ("#x", None),
        ("octo/dslp#", None),
        ("-octo/dslp#1", None),
        ("a/b/c#1", None),
        ("1234567890", None),
        ("", None),
    ],
)
def test_issue_references(word: str, expected: IssueRef | None) -> None:
    assert parse_issue(word) == expected


def test_a_reference_without_a_repository_means_the_channels() -> None:
    assert IssueRef("", 3).within("acme/models") == IssueRef("acme/models", 3)
    assert IssueRef("octo/dslp", 3).within("acme/models") == IssueRef("octo/dslp", 3)


def test_named_repository_reads_only_the_first_word() -> None:
    assert named_repository("acme/models#3 failed no/lift") == "acme/models"
    assert named_repository("acme/models confirm") == "acme/models"
    assert named_repository("#3 failed acme/models") is None
    assert parse_repository("acme/" + "m" * 101) is None


def test_hostile_input_is_refused_in_linear_time() -> None:
    """Long near-misses end quickly: the input is capped before matching, the pattern has
    no nested repetition (a regression would hang this test, not slow it measurably)."""
    assert parse_issue("a" * 100_000 + "/b#1") is None
    assert parse_issue("a/" + "b" * 100_000 + "#1") is None
    assert parse_repository("a/" + "-" * 100_000) is None
