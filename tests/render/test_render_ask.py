"""Rendering an Ask into DSLP Markdown and reading it back: examples of every bad input."""

from __future__ import annotations

import re

import pytest

from bot.render import (
    ASK_OUTLINE,
    BODY_LIMIT,
    BodyTooLong,
    LinkSection,
    RenderedIssue,
    clean_answers,
    marker_for,
    parse_ask,
    render_ask,
)
from bot.render.fences import open_fence

MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
FULL = {
    "title": "Reduce churn of small business customers",
    "problem": "We lose 4% of **small business** customers a month.\n\n- mostly after month 3",
    "outcome": "As a CSM I can see who is at risk, so that I call them first.",
    "current_state": "CSMs call customers alphabetically.",
    "success": "Churn down to 3% within two quarters.",
    "impact": "About 1.2M EUR a year.",
    "metrics": "Monthly churn rate; counter-metric: discount cost.",
    "constraints": "No personal data leaves the EU.",
    "data": "CRM export, billing events (see #12)",
    "stakeholders": "Ana (Customer Success), Ben (Finance)",
}


STOLEN = "***Stakeholders:*** Mallory\nfirst line of the problem"


def render(answers: dict[str, str], **overrides: object) -> RenderedIssue:
    options: dict[str, object] = {
        "skipped": frozenset(),
        "requester_name": "Ana",
        "origin": "Slack #analytics",
        "draft_id": "d1",
    }
    options.update(overrides)
    return render_ask(answers, **options)  # type: ignore[arg-type]


def headings(body: str) -> list[str]:
    return [line for line in body.split("\n") if re.match(r"#{1,6} ", line)]


def test_headings_follow_the_dslp_order() -> None:
    expected = [heading.markdown for heading in ASK_OUTLINE]
    assert headings(render(FULL).body) == expected
    assert expected[:4] == [
        "## Problem Statement",
        "### Desired Outcome",
        "### Current State",
        "## Success Criteria",
    ]


def test_answers_sit_under_their_headings() -> None:
    body = render(FULL).body
    assert "### Impact\n\nAbout 1.2M EUR a year.\n\n### Metrics" in body
    assert "## Success Criteria\n\nChurn down to 3% within two quarters.\n\n### Impact" in body
    assert (
        "## See Also\n\n***Stakeholders:*** Ana (Customer Success), Ben (Finance)\n\n### Background"
    ) in body


def test_stakeholders_sit_on_one_bold_line_as_the_template_writes_its_references() -> None:
    answers = {**FULL, "stakeholders": "Ana (CS)\n\n@ben <b>Finance</b>", "problem": STOLEN}
    issue = render(answers)
    assert "***Stakeholders:*** Ana (CS); @\u200bben &lt;b&gt;Finance&lt;/b&gt;\n" in issue.body
    parsed = parse_ask(issue.title, issue.body).answers
    assert parsed["stakeholders"] == "Ana (CS); @ben <b>Finance</b>"
    assert parsed["problem"] == STOLEN


def test_asks_filed_with_a_stakeholders_heading_are_still_read() -> None:
    """Asks filed before the template match had `### Stakeholders` under See Also."""
    old = render(FULL).body.replace(
        "***Stakeholders:*** Ana (Customer Success), Ben (Finance)",
        "### Stakeholders\n\nAna (Customer Success),\nBen (Finance)",
    )
    parsed = parse_ask("Reduce churn", old).answers
    assert parsed["stakeholders"] == "Ana (Customer Success),\nBen (Finance)"
    assert parsed["problem"] == FULL["problem"]


def test_link_sections_hold_only_an_empty_bot_block() -> None:
    body = render(FULL).body
    assert (
        "## Understanding and Exploration\n\n"
        "<!-- dslp-bot:links:explorations -->\n<!-- /dslp-bot:links:explorations -->\n\n"
        "## Approaches and Experiments\n\n"
        "<!-- dslp-bot:links:experiments -->\n<!-- /dslp-bot:links:experiments -->\n"
    ) in body
    assert (
        "(see #12)\n\n<!-- dslp-bot:links:datasets -->\n<!-- /dslp-bot:links:datasets -->" in body
    )


def test_footer_names_who_asked_and_from_where() -> None:
    body = render(FULL).body
    assert body.endswith("<sub>Framed with dslp-bot by Ana from Slack #analytics</sub>\n")


def test_footer_escapes_names_too() -> None:
    body = render(FULL, requester_name="@root <img src=x>", origin="").body
    assert "by @\u200broot &lt;img src=x&gt;</sub>" in body


def test_marker_is_hidden_exact_and_once() -> None:
    issue = render(FULL, draft_id="4f1c9a")
    assert marker_for("4f1c9a") == "<!-- dslp-bot:ask draft=4f1c9a v=1 -->"
    assert issue.body.count(marker_for("4f1c9a")) == 1
    assert parse_ask(issue.title, issue.body).draft_id == "4f1c9a"


@pytest.mark.parametrize("bad", ["", "a b", "x-->", "<", "a" * 200])
def test_marker_refuses_ids_that_could_break_the_comment(bad: str) -> None:
    with pytest.raises(ValueError):
        marker_for(bad)


def test_round_trip_gives_back_the_answers_and_draft() -> None:
    issue = render(FULL)
    parsed = parse_ask(issue.title, issue.body)
    assert parsed.answers == FULL
    assert parsed.draft_id == "d1"
    assert parsed.links == {section: [] for section in LinkSection}


def test_still_to_define_lists_missing_parts_and_marks_skipped_ones() -> None:
    answers = {k: FULL[k] for k in ("title", "problem", "outcome", "current_state", "success")}
    body = render(answers, skipped={"impact", "metrics"}).body
    checklist = [line for line in body.split("\n") if line.startswith("- [ ]")]
    assert checklist == [
        "- [ ] Impact (skipped while framing)",
        "- [ ] Metrics (skipped while framing)",
        "- [ ] Constraints",
        "- [ ] Datasets",
        "- [ ] Stakeholders",
    ]
    assert body.index("Still to define") < body.index("## Problem Statement")


def test_nothing_to_define_means_no_checklist() -> None:
    assert "Still to define" not in render(FULL).body


@pytest.mark.parametrize("blank", ["", "   ", "\n\t\n", "\u200b\ufeff"])
def test_empty_and_whitespace_answers_count_as_missing(blank: str) -> None:
    issue = render({"title": blank, "problem": blank, "impact": blank})
    assert issue.title == "Untitled Ask"
    assert "## Problem Statement\n\n### Desired Outcome" in issue.body
    assert "- [ ] Problem Statement" in issue.body
    assert parse_ask(issue.title, issue.body).answers == {"title": "Untitled Ask"}


def test_a_huge_paste_raises_instead_of_truncating() -> None:
    with pytest.raises(BodyTooLong) as raised:
        render({**FULL, "problem": "word " * 20_000})
    assert raised.value.limit == BODY_LIMIT
    assert raised.value.length > BODY_LIMIT
    assert "65,536" in raised.value.message
    assert str(raised.value) == raised.value.message


def test_mentions_never_notify() -> None:
    text = "cc @alice and @org/team, mail me at ana@example.com, `@decorator`"
    issue = render({**FULL, "title": "For @alice", "problem": text})
    assert not MENTION.search(issue.body)
    assert not MENTION.search(issue.title)
    assert parse_ask(issue.title, issue.body).answers["problem"] == text


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<!-- hidden",
        "end -->",
        "--!>",
        "<details><summary>open me</summary>x</details>",
        "<!-- dslp-bot:ask draft=evil v=1 -->",
        "<!-- dslp-bot:footer -->",
    ],
)
def test_html_is_shown_not_run(html: str) -> None:
    issue = render({**FULL, "problem": html})
    user_part = issue.body.split("## Problem Statement\n\n", 1)[1].split("\n\n###", 1)[0]
    assert "<" not in user_part
    assert "-->" not in user_part and "--!>" not in user_part
    parsed = parse_ask(issue.title, issue.body)
    assert parsed.answers["problem"] == html
    assert parsed.draft_id == "d1"


def test_fake_headings_stay_text() -> None:
    fake = "## Success Criteria\nnone\n   ### Impact\n\\# escaped already\nSetext\n---\nAlso\n==="
    issue = render({**FULL, "metrics": fake})
    assert headings(issue.body) == [heading.markdown for heading in ASK_OUTLINE]
    assert "\\## Success Criteria\nnone\n   \\### Impact\n\\\\# escaped" in issue.body
    assert "Setext\n\\---\nAlso\n\\===" in issue.body
    parsed = parse_ask(issue.title, issue.body)
    assert parsed.answers["metrics"] == fake
    assert parsed.answers["success"] == FULL["success"]


def test_fake_link_blocks_do_not_become_links() -> None:
    fake = (
        "<!-- dslp-bot:links:experiments -->\n- [x] #1 fake\n<!-- /dslp-bot:links:experiments -->"
    )
    issue = render({**FULL, "problem": fake})
    parsed = parse_ask(issue.title, issue.body)
    assert parsed.links[LinkSection.EXPERIMENTS] == []
    assert parsed.answers["problem"] == fake


def test_markdown_people_wrote_is_kept() -> None:
    text = (
        "1. **bold** and _italic_\n- [link](https://example.com)\n"
        "> quoted\n\n```sql\nselect 1\n```\nsee #123 and `code`"
    )
    body = render({**FULL, "problem": text}).body
    assert text in body


def test_unclosed_fence_is_closed_so_headings_stay_headings() -> None:
    issue = render({**FULL, "problem": "look:\n```python\nx = 1"})
    before_outcome = issue.body.split("### Desired Outcome")[0]
    assert open_fence(before_outcome) is None
    assert parse_ask(issue.title, issue.body).answers["problem"] == "look:\n```python\nx = 1"


def test_unclosed_fence_in_a_list_item_is_closed_at_its_indent() -> None:
    text = "- step\n  ~~~~\n  code"
    body = render({**FULL, "problem": text}).body
    assert "  code\n  ~~~~\n<!-- dslp-bot:closed-fence -->" in body


def test_typed_escapes_round_trip() -> None:
    text = "&amp; &lt; \\## x \\\\# y @\u200c no"
    issue = render({**FULL, "problem": text})
    assert parse_ask(issue.title, issue.body).answers["problem"] == text


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family \U0001f1e9\U0001f1ea",
        "نريد تقليل التسرب",
        "אנחנו מאבדים @דנה",
    ],
)
def test_emoji_and_rtl_round_trip(text: str) -> None:
    issue = render({**FULL, "title": text, "outcome": text})
    assert parse_ask(issue.title, issue.body).answers == {**FULL, "title": text, "outcome": text}


def test_control_characters_are_cleaned_before_rendering() -> None:
    issue = render({**FULL, "problem": "a\x00b\u202ec\r\nd"})
    assert "ab" + "c\nd" in issue.body
    assert parse_ask(issue.title, issue.body).answers["problem"] == "abc\nd"


def test_clean_answers_drops_unknown_keys() -> None:
    assert clean_answers({"problem": " x ", "secret": "y", "impact": " "}) == {"problem": "x"}


def test_an_answer_beats_a_stale_skip() -> None:
    body = render(FULL, skipped={"impact"}).body
    assert "- [ ] Impact" not in body
    assert "### Impact\n\nAbout 1.2M EUR a year." in body
