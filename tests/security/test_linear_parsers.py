"""Every parser of untrusted text finishes in linear time, whatever the text.

Each parser gets inputs far beyond what any platform sends (`SIZE`
characters, repeating a fragment known to make backtracking regexes
rescan to the end from every occurrence). A linear parser needs well under
a second for each; a quadratic one needs minutes, and pytest-timeout fails
the test. No timing is asserted: the results are.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.render import plain
from adapters.slack.blocks import mrkdwn
from adapters.slack.mentions_in import tokens_from_slack
from adapters.slack.payloads import MAX_TEXT, text_of
from adapters.slack.redact import Redact
from adapters.teams.mentions_in import Found, rewrite
from bot.commands import split_command
from bot.mentions import mention, split_mentions, untrusted
from bot.render.ask import parse_ask
from bot.render.ask_sections import LinkSection
from bot.render.errors import BodyTooLong
from bot.render.escaping import escape_block, escape_inline, unescape_block
from bot.render.experiment import parse_experiment
from bot.render.link_lists import update_links
from bot.render.markdown import drop_comments
from bot.render.references import (
    ask_reference,
    branch_of,
    experiment_reference,
    tldr_of,
    with_branch,
    with_tldr,
)
from bot.render.user_text import clean_user_text

pytestmark = pytest.mark.timeout(60)

SIZE = 400_000
"""Ten times Slack's message cap and six times GitHub's body cap; minutes for a quadratic parser."""

HOSTILE = (
    "<!x|",
    "<@U1|",
    "<!subteam^S1|",
    "<#C1|",
    "<http://a|",
    "<!--",
    "<",
    "**a",
    "# \n",
    "\n",
    " ",
    "\t ",
    "=\n",
    "\\",
    "```\n",
    "@a",
    "&amp;",
    "tl;dr: ",
    "ask reference: ",
    "branch: `",
    "- [ ] #1 ",
    "\ue000",
    "\ue000a",
    "body: ",
    "xoxb-",
    "## Experiments\n",
)

BOB = Found("<at>Bob</at>", "teams:t1:bob", "Bob")
UNMATCHED = [Found("<at>Ghost</at>", "teams:t1:ghost", "Ghost")] * SIZE
"""Entities whose markup the text lacks: each used to rescan the whole text."""

PARSERS: dict[str, Callable[[str], object]] = {
    "slack markup": lambda text: tokens_from_slack(text, "T1", bot_user="UB"),
    "slack text": lambda text: text_of(text, "T1", bot_user="UB"),
    "log redaction": Redact(("secret",)).clean,
    "mention tokens": split_mentions,
    "untrusted": untrusted,
    "command words": split_command,
    "ask body": lambda body: parse_ask("title", body),
    "experiment body": lambda body: parse_experiment("title", body),
    "ask reference": ask_reference,
    "experiment reference": experiment_reference,
    "tldr": tldr_of,
    "with tldr": lambda body: with_tldr(body, "x"),
    "branch": branch_of,
    "with branch": lambda body: with_branch(body, "model/1-x"),
    "link lists": lambda body: update_links(body, LinkSection.EXPERIMENTS, []),
    "comments": drop_comments,
    "escape block": escape_block,
    "unescape block": unescape_block,
    "escape inline": escape_inline,
    "clean text": clean_user_text,
    "slack mrkdwn": mrkdwn,
    "console": plain,
    "teams mentions": lambda text: rewrite(text, [*UNMATCHED, BOB]),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_each_parser_reads_huge_hostile_text_in_linear_time(name: str) -> None:
    parse = PARSERS[name]
    for fragment in HOSTILE:
        text = fragment * (SIZE // len(fragment))
        try:
            parse(text)
        except BodyTooLong:  # refused by length, which is what GitHub would do
            continue


@pytest.mark.parametrize("fragment", ["<!x|", "<@U1|", "<!subteam^S1|", "<#C1|", "<http://a|"])
def test_unclosed_slack_markup_stays_as_typed(fragment: str) -> None:
    text = fragment * (SIZE // len(fragment))
    assert tokens_from_slack(text, "T1") == text


def test_closed_slack_markup_is_each_rewritten() -> None:
    count = SIZE // 20
    text = "<!x|y><@U1|ana><#C1|general>" * count
    expected = ("y" + mention("slack:T1:U1") + "#general") * count
    assert tokens_from_slack(text, "T1") == expected


def test_slack_text_past_slacks_cap_is_not_read() -> None:
    """Slack sends at most 40,000 characters; the rest of a forged body is dropped unread."""
    text = text_of("<!xy|zw>" * SIZE, "T1")
    assert text == "zw" * (MAX_TEXT // len("<!xy|zw>"))


def test_teams_mentions_are_each_rewritten_among_many_entities() -> None:
    count = SIZE // 16
    text = "<at>Bob</at> x <at><at>Bob</at>" * count
    expected = (mention(BOB.key) + " x " + mention(BOB.key)) * count
    assert rewrite(text, [*UNMATCHED, *[BOB] * (2 * count)]) == expected


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<!--" * (SIZE // 4), ""),
        ("## " + " \t" * (SIZE // 2) + "x", ""),
        ("## Problem Statement\n" + "-->\n" * (SIZE // 4), ("-->\n" * (SIZE // 4)).strip()),
        ("a" + "=" * SIZE + "x\n" + "@" * 1000, ""),
    ],
)
def test_ask_bodies_that_made_old_regexes_backtrack_are_read(body: str, problem: str) -> None:
    """Unclosed comments, long blank heading lines, setext-looking runs: each read once."""
    assert parse_ask("", body).answers.get("problem", "") == problem
