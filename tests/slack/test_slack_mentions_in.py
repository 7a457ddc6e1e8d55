"""Slack's mention syntax becomes the core's tokens, so `role add` reads people and groups."""

from __future__ import annotations

import pytest

from adapters.slack.mentions_in import tokens_from_slack
from bot.mentions import mention
from bot.people.commands import read_members


def test_people_and_groups_become_member_keys() -> None:
    text = tokens_from_slack("ml-engineer <@U1|ana> <@W2> <!subteam^S3|@ml-team> <!channel>", "T1")
    assert text.startswith("ml-engineer ")
    assert mention("slack:T1:U1") in text and mention("slack:T1:group:S3") in text
    members, bad = read_members(text.removeprefix("ml-engineer"))
    assert (members, bad) == (["slack:T1:U1", "slack:T1:W2", "slack:T1:group:S3"], "")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("<@U1>", mention("slack:T1:U1")),
        ("<@W2|ana>", mention("slack:T1:W2")),
        ("<@UB> hi", " hi"),
        ("<!subteam^S3>", mention("slack:T1:group:S3")),
        ("<!here> <!channel|@channel> <!everyone>", "  "),
        ("<!date^1^{date}|Feb 1>", "Feb 1"),
        ("<!subteam^s3|lower>", "lower"),
        ("<!x>", ""),
        ("<#C1|general> <#G2>", "#general #G2"),
        ("<https://a.io/x|click> <mailto:a@b.io|a@b.io>", "https://a.io/x a@b.io"),
        (
            "<> <x> <@U1abc> <#X1> <ftp://a> <https://a b>",
            "<> <x> <@U1abc> <#X1> <ftp://a> <https://a b>",
        ),
        ("<<!here>@U1>", "<@U1>"),
        ("<!x|<@U1>", "<!x|" + mention("slack:T1:U1")),
    ],
)
def test_each_kind_of_markup_in_one_pass(typed: str, expected: str) -> None:
    """Kinds are tried in order; markup of no kind, and what a removal leaves next to it,
    stays as typed (one pass: nothing a rewrite produces is read again)."""
    assert tokens_from_slack(typed, "T1", bot_user="UB") == expected


def test_markup_of_no_kind_stays_whole_at_any_length() -> None:
    """`<>` was classified in Python one by one (25 ms for a DM); now the pattern skips it."""
    text = "<>" * 20_000 + "<x>" * 1000
    assert tokens_from_slack(text, "T1") == text
