"""Reading Asks that people edited on GitHub, or wrote without the bot."""

from __future__ import annotations

import pytest

from bot.render import LinkSection, parse_ask, render_ask
from bot.render.markdown import heading_of

TEMPLATE_ASK = """## Problem Statement

Forecast demand per store.

### Current State

Store managers guess.

### Desired Outcome

<!-- write a user story -->
As a planner I see next week's demand.

## Success Criteria

### Impact

### Metrics


### Constraints

## Solution architecture

[Solution Architecture Description](docs/solution-architecture.md)

## Data Requirements

### Datasets

- POS sales 2019-2024

## Relevant Knowledge

- links to docs/notebooks

## Approaches

## See Also

### Background Info

### Related projects
"""


def test_an_ask_from_the_dslp_template_without_the_bot() -> None:
    parsed = parse_ask("Demand forecast", TEMPLATE_ASK)
    assert parsed.draft_id is None
    assert parsed.links == {}
    assert parsed.answers == {
        "title": "Demand forecast",
        "problem": "Forecast demand per store.",
        "current_state": "Store managers guess.",
        "outcome": "As a planner I see next week's demand.",
        "data": "- POS sales 2019-2024",
    }


def test_crlf_bodies_from_the_github_editor() -> None:
    parsed = parse_ask("T", TEMPLATE_ASK.replace("\n", "\r\n"))
    assert parsed.answers["outcome"] == "As a planner I see next week's demand."


def test_hand_edits_are_read_as_they_stand() -> None:
    issue = render_ask(
        {"title": "T", "problem": "P", "impact": "I"},
        skipped=(),
        requester_name="Ana",
        origin="Teams",
        draft_id="d9",
    )
    body = (
        issue.body.replace("### Impact\n\nI", "### impact ###\n\nI, now 2M\n\n#### Detail\n\nmore")
        .replace("### Current State\n\n", "")
        .replace("## See Also", "Note added by hand\n\n## See Also")
    )
    parsed = parse_ask("T edited", body)
    assert parsed.answers == {
        "title": "T edited",
        "problem": "P",
        "impact": "I, now 2M\n\n#### Detail\n\nmore",
    }
    assert parsed.draft_id == "d9"


def test_footer_ends_the_last_answer_when_later_headings_are_gone() -> None:
    issue = render_ask(
        {"title": "T", "stakeholders": "Ana"},
        skipped=(),
        requester_name="Ben",
        origin="Slack",
        draft_id="d2",
    )
    body = issue.body.replace("### Background Info\n\n### Related Projects\n\n", "")
    assert parse_ask("T", body).answers["stakeholders"] == "Ana"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "\n\n\n",
        "####",
        "## Problem Statement",
        "<!--",
        "<!-- dslp-bot:links:experiments -->\n- [x] #1 never closed",
        "<!-- /dslp-bot:links:datasets -->\n<!-- dslp-bot:links:datasets -->",
        "<!-- dslp-bot:ask draft= v=1 -->",
        "```\n## Problem Statement\nin code",
        "\x00\ud800\u202e",
        "- [x] #99999999999999999999999 huge",
    ],
)
def test_odd_bodies_never_raise(body: str) -> None:
    parsed = parse_ask("", body)
    assert isinstance(parsed.answers, dict)


def test_links_are_read_from_complete_blocks_only() -> None:
    body = (
        "## Approaches and Experiments\n\n<!-- dslp-bot:links:experiments -->\n"
        "- [x] #4 GBM \u2014 succeeded\nnot a link\n- [ ] #5\n"
        "<!-- /dslp-bot:links:experiments -->\n"
        "<!-- dslp-bot:links:datasets -->\n- [ ] #6 orphan\n"
    )
    links = parse_ask("", body).links
    assert list(links) == [LinkSection.EXPERIMENTS]
    assert [(link.number, link.title, link.status) for link in links[LinkSection.EXPERIMENTS]] == [
        (4, "GBM", "succeeded"),
        (5, "", ""),
    ]


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("## Impact", "impact"),
        ("   ###   Success   criteria  ##  ", "success criteria"),
        ("## C#", "c#"),
        ("## ##", ""),
        ("#", ""),
        ("#\tMetrics\r", "metrics"),
    ],
)
def test_headings_are_recognised_like_github_does(title: str, heading: str) -> None:
    found = heading_of(title)
    assert found is not None and found.key == heading


@pytest.mark.parametrize(
    "line", ["#Impact", "    ## code", "####### seven", "\\## escaped", " \t# x"]
)
def test_non_headings_are_not_headings(line: str) -> None:
    assert heading_of(line) is None
