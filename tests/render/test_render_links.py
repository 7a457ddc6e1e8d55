"""Keeping an Ask's link lists up to date without touching what people wrote."""

from __future__ import annotations

import pytest

from bot.render import BodyTooLong, LinkSection, parse_ask, render_ask
from bot.render.link_lists import Link, link_line, parse_link_line, update_links

EXPERIMENTS = LinkSection.EXPERIMENTS
RUNS = [
    Link(44, "Logistic regression", "failed"),
    Link(45, "Churn GBM baseline", "succeeded"),
    Link(47, "Survival model", "open"),
]


@pytest.fixture
def body() -> str:
    issue = render_ask(
        {"title": "Churn", "problem": "We lose customers.", "data": "CRM"},
        skipped=(),
        requester_name="Ana",
        origin="Slack #analytics",
        draft_id="d1",
    )
    return issue.body


def block_of(body: str, section: LinkSection) -> str:
    start = f"<!-- dslp-bot:links:{section} -->"
    end = f"<!-- /dslp-bot:links:{section} -->"
    return body[body.index(start) : body.index(end) + len(end)]


def test_experiments_are_listed_succeeded_first(body: str) -> None:
    updated = update_links(body, EXPERIMENTS, RUNS)
    assert block_of(updated, EXPERIMENTS) == (
        "<!-- dslp-bot:links:experiments -->\n"
        "- [x] #45 Churn GBM baseline \u2014 succeeded\n"
        "- [x] #44 Logistic regression \u2014 failed\n"
        "- [ ] #47 Survival model \u2014 open\n"
        "<!-- /dslp-bot:links:experiments -->"
    )
    assert parse_ask("Churn", updated).links[EXPERIMENTS] == [RUNS[1], RUNS[0], RUNS[2]]


def test_other_sections_keep_their_order(body: str) -> None:
    data = [Link(3, "B", "closed"), Link(2, "A", "succeeded")]
    updated = update_links(body, LinkSection.DATASETS, data)
    assert parse_ask("Churn", updated).links[LinkSection.DATASETS] == data


def test_update_is_idempotent_and_touches_only_its_block(body: str) -> None:
    once = update_links(body, EXPERIMENTS, RUNS)
    assert update_links(once, EXPERIMENTS, RUNS) == once
    assert once.replace(block_of(once, EXPERIMENTS), block_of(body, EXPERIMENTS)) == body


def test_answers_survive_link_updates(body: str) -> None:
    updated = update_links(body, LinkSection.DATASETS, [Link(12, "Get CRM Dataset")])
    assert parse_ask("Churn", updated).answers == parse_ask("Churn", body).answers


def test_hand_written_lines_around_the_block_are_kept(body: str) -> None:
    edited = body.replace(
        "## Approaches and Experiments\n\n",
        "## Approaches and Experiments\n\nOur notes   \n  - [x] #9 listed by hand\n\n",
    )
    updated = update_links(edited, EXPERIMENTS, RUNS[:1])
    assert (
        "Our notes   \n  - [x] #9 listed by hand\n\n<!-- dslp-bot:links:experiments -->" in updated
    )


def test_a_deleted_block_comes_back_at_the_end_of_its_section(body: str) -> None:
    gone = body.replace(block_of(body, EXPERIMENTS) + "\n", "Tried things.\n")
    updated = update_links(gone, EXPERIMENTS, RUNS[1:2])
    assert (
        "## Approaches and Experiments\n\nTried things.\n\n"
        "<!-- dslp-bot:links:experiments -->\n- [x] #45 Churn GBM baseline \u2014 succeeded\n"
        "<!-- /dslp-bot:links:experiments -->\n\n## See Also"
    ) in updated
    assert update_links(updated, EXPERIMENTS, RUNS[1:2]) == updated


def test_a_half_deleted_block_is_replaced_not_doubled(body: str) -> None:
    half = body.replace("<!-- /dslp-bot:links:experiments -->\n", "")
    updated = update_links(half, EXPERIMENTS, RUNS[1:2])
    assert updated.count("<!-- dslp-bot:links:experiments -->") == 1
    assert updated.count("<!-- /dslp-bot:links:experiments -->") == 1


def test_a_deleted_heading_is_appended_at_the_end() -> None:
    body = "## Problem Statement\n\nWritten by hand."
    updated = update_links(body, LinkSection.EXPLORATIONS, [Link(7, "Look at churn")])
    assert updated == (
        "## Problem Statement\n\nWritten by hand.\n\n## Understanding and Exploration\n\n"
        "<!-- dslp-bot:links:explorations -->\n- [ ] #7 Look at churn\n"
        "<!-- /dslp-bot:links:explorations -->\n"
    )
    assert update_links(updated, LinkSection.EXPLORATIONS, [Link(7, "Look at churn")]) == updated


def test_a_heading_at_the_very_end_gets_its_block_below() -> None:
    body = "Intro\n\n### datasets\n"
    updated = update_links(body, LinkSection.DATASETS, [Link(3, "Get CRM Dataset")])
    assert updated.startswith("Intro\n\n### datasets\n\n<!-- dslp-bot:links:datasets -->\n")


def test_empty_body_gets_heading_and_block() -> None:
    updated = update_links("", EXPERIMENTS, [])
    assert updated == (
        "## Approaches and Experiments\n\n<!-- dslp-bot:links:experiments -->\n"
        "<!-- /dslp-bot:links:experiments -->\n"
    )


def test_crlf_bodies_stay_crlf(body: str) -> None:
    crlf = body.replace("\n", "\r\n")
    updated = update_links(crlf, EXPERIMENTS, RUNS)
    assert "\n" not in updated.replace("\r\n", "")
    assert update_links(updated, EXPERIMENTS, RUNS) == updated
    gone = crlf.replace(block_of(crlf, EXPERIMENTS), "")
    assert "\n" not in update_links(gone, EXPERIMENTS, RUNS).replace("\r\n", "")


def test_duplicate_numbers_are_listed_once(body: str) -> None:
    updated = update_links(body, EXPERIMENTS, [Link(5, "first"), Link(5, "second")])
    assert parse_ask("", updated).links[EXPERIMENTS] == [Link(5, "first")]


def test_titles_from_github_are_untrusted_too() -> None:
    link = Link(8, "Ping @alice <img src=x onerror=y> \u2014 --> done", "succeeded")
    line = link_line(link)
    assert line == (
        "- [x] #8 Ping @\u200balice &lt;img src=x onerror=y&gt; &mdash; --&gt; done"
        " \u2014 succeeded"
    )
    assert parse_link_line(line) == link


def test_too_many_links_raise_body_too_long(body: str) -> None:
    links = [Link(n, "x" * 200) for n in range(1, 400)]
    with pytest.raises(BodyTooLong):
        update_links(body, EXPERIMENTS, links)
