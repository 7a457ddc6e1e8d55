"""Properties that must hold for any text at all, not just the examples we thought of."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bot.render import (
    ASK_KEYS,
    ASK_OUTLINE,
    TITLE_LIMIT,
    LinkSection,
    clean_answers,
    clean_title,
    clean_user_text,
    marker_for,
    parse_ask,
    render_ask,
)
from bot.render.escaping import escape_block, escape_line, unescape_block, unescape_line
from bot.render.link_lists import Link, update_links
from bot.render.titles import escape_title
from bot.render.user_text import clean_line

PROPERTY = settings(max_examples=200, deadline=None)
MARKDOWN = MarkdownIt("commonmark").enable("table")
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
OUR_MARKUP = re.compile(r"<!-- /?dslp-bot:[^<>]*? -->|</?sub>")
TRICKY = [
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "#",
    "## Success Criteria",
    "### Impact",
    "\\",
    "@",
    "@alice",
    "@org/team",
    "a@b",
    "&",
    "&amp;",
    "&lt;",
    "&mdash;",
    "<",
    ">",
    "<!--",
    "-->",
    "--!>",
    "```",
    "~~~",
    "---",
    "===",
    "- [x] #4 x",
    "\u2014",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\x00",
    "\x85",
    "<!-- dslp-bot:footer -->",
    "<!-- dslp-bot:links:experiments -->",
    "<!-- /dslp-bot:links:experiments -->",
    "<!-- dslp-bot:ask draft=x v=1 -->",
    "<!-- dslp-bot:closed-fence -->",
    "e\u0301",
    "\U0001f468\u200d\U0001f469",
    "\u05d0",
    "<sub>",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "1\\.",
    "> ",
    "| a |",
    "***",
    "_ _ _",
    "    ",
    "\\```",
    "\\#",
]
texts = st.lists(st.one_of(st.text(max_size=8), st.sampled_from(TRICKY)), max_size=25).map("".join)
answers = st.dictionaries(st.sampled_from(ASK_KEYS), texts, max_size=len(ASK_KEYS))
links = st.lists(
    st.builds(
        Link,
        st.integers(1, 10**6),
        st.text(max_size=20),
        st.sampled_from(["", "open", "succeeded", "failed"]),
    ),
    max_size=6,
)
# Hand-written lines: anything, except a line that is exactly one of our markers.
hand_lines = st.lists(
    st.one_of(
        st.sampled_from(["", "## See Also", "### Datasets", "- [x] #3 mine", "Notes  "]), texts
    ),
    max_size=12,
).map(lambda lines: [ln for ln in "\n".join(lines).split("\n") if "dslp-bot:" not in ln])


def render(values: dict[str, str]) -> tuple[str, str]:
    issue = render_ask(
        values, skipped=(), requester_name="@Ana <x>", origin="Slack #a", draft_id="d-1"
    )
    return issue.title, issue.body


@PROPERTY
@given(texts)
def test_cleaning_is_idempotent(text: str) -> None:
    assert clean_user_text(clean_user_text(text)) == clean_user_text(text)
    assert clean_title(clean_title(text)) == clean_title(text)
    assert len(escape_title(clean_title(text))) <= TITLE_LIMIT


@PROPERTY
@given(texts)
def test_block_escaping_round_trips(text: str) -> None:
    clean = clean_user_text(text)
    assert unescape_block(escape_block(clean)) == clean


@PROPERTY
@given(texts)
def test_line_escaping_round_trips_and_starts_no_block(text: str) -> None:
    """A one-line value on a line of its own (a dataset name) is one paragraph, or nothing."""
    line = clean_line(text)
    escaped = escape_line(line)
    assert unescape_line(escaped) == line
    found = [t.type for t in MARKDOWN.parse(f"# Name\n\n{escaped}\n\n## Next") if t.level == 0]
    middle = found[3:-3]
    assert middle in ([], ["paragraph_open", "paragraph_close"])


@PROPERTY
@given(answers)
def test_the_outline_is_the_bots_whatever_the_answers(values: dict[str, str]) -> None:
    """What GitHub would show as headings is exactly the DSLP outline: no answer adds one."""
    tokens = MARKDOWN.parse(render(values)[1])
    found = [
        ("#" * int(t.tag[1]), tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]
    assert found == [("#" * h.level, h.text) for h in ASK_OUTLINE]


@PROPERTY
@given(answers)
def test_parse_gives_back_what_was_rendered(values: dict[str, str]) -> None:
    parsed = parse_ask(*render(values))
    expected = clean_answers(values)
    expected.setdefault("title", "Untitled Ask")
    assert parsed.answers == expected
    assert parsed.draft_id == "d-1"


@PROPERTY
@given(answers)
def test_user_text_cannot_mention_inject_html_or_fake_markers(values: dict[str, str]) -> None:
    title, body = render(values)
    assert not MENTION.search(body)
    assert not MENTION.search(title)
    assert "<" not in OUR_MARKUP.sub("", body)
    assert body.count(marker_for("d-1")) == 1
    assert body.count("<!-- dslp-bot:ask ") == 1


@PROPERTY
@given(answers, st.sampled_from(list(LinkSection)), links)
def test_update_links_is_idempotent_and_keeps_answers(
    values: dict[str, str], section: LinkSection, listed: list[Link]
) -> None:
    title, body = render(values)
    once = update_links(body, section, listed)
    assert update_links(once, section, listed) == once
    assert parse_ask(title, once).answers == parse_ask(title, body).answers
    assert not MENTION.search(once)


@PROPERTY
@given(hand_lines, hand_lines, st.sampled_from(list(LinkSection)), links, links)
def test_update_links_keeps_hand_written_text(
    before: list[str], after: list[str], section: LinkSection, first: list[Link], then: list[Link]
) -> None:
    body = "\n".join(before)
    once = update_links(body, section, first)
    for updated in (once, update_links(once, section, then)):
        assert _in_order(list(body), list(updated))
        assert _in_order(_lines(body), _lines(updated))
    wrapped = "\n".join([*before, *once.split("\n"), *after])
    assert _in_order(
        _lines("\n".join([*before, *after])), _lines(update_links(wrapped, section, then))
    )


def _lines(text: str) -> list[str]:
    """Lines without CR: a last line without a newline gets one when a block follows it."""
    return [line.rstrip("\r") for line in text.split("\n")]


def _in_order(wanted: list[str], got: list[str]) -> bool:
    """Everything wanted appears in `got`, in the same order (new things may sit between)."""
    rest = iter(got)
    return all(any(item == candidate for candidate in rest) for item in wanted)
