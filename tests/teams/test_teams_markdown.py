"""Text from outside shows in Teams as typed: never a link, image, autolink, HTML or heading."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from adapters.teams.markdown import WORD_JOINER, escape

PHISH = "[Your session expired - sign in again](https://evil.example/login)"
LINK_OPENING = re.compile(r"\]\(|\]\[|\]:|<(?!/?at>)[A-Za-z/!?]")
"""What a Markdown renderer could turn into a link, an image, an autolink or HTML."""
ESCAPED = re.compile(r"\\.", re.DOTALL)


def opens_a_link(markdown: str) -> bool:
    """Backslash escapes read as CommonMark reads them (left to right), then any opening left.

    An escaped character is still a character: it becomes a letter, not nothing, or `]\\[[`
    (a `]`, an escaped `[`, a `[`) would read as the `][` it never is.
    """
    return LINK_OPENING.search(ESCAPED.sub("x", markdown)) is not None


def test_a_markdown_link_is_shown_as_typed_with_its_address_as_a_bare_url() -> None:
    assert escape(PHISH) == (
        r"\[Your session expired - sign in again\]\(https://evil.example/login\)"
    )


def test_images_autolinks_and_html_are_words() -> None:
    assert escape("![pixel](https://evil.example/p.png)") == (
        r"!\[pixel\]\(https://evil.example/p.png\)"
    )
    assert escape("<https://evil.example> <b>hi</b>") == (r"\<https://evil.example\> \<b\>hi\</b\>")
    assert escape("<https://evil.example>", html_text=True) == "&lt;https://evil.example&gt;"
    assert escape("[a][1]\n[1]: https://evil.example") == (
        "\\[a\\]\\[1\\]\n\\[1\\]: https://evil.example"
    )


def test_the_cores_own_vocabulary_stays_markdown() -> None:
    text = "**Ask #12: Churn**\n- see https://github.com/octo/my_repo/issues/12 (phase: Ask)"
    assert escape(text) == (
        "**Ask #12: Churn**\n- see https://github.com/octo/my_repo/issues/12 \\(phase: Ask\\)"
    )


def test_headings_emphasis_and_backslashes_are_escaped() -> None:
    assert escape("# Urgent") == r"\# Urgent"
    assert escape("ok\n   ## Urgent") == "ok\n   \\## Urgent"
    assert escape("x # y") == "x # y"
    assert escape("_a_ *b* ~~c~~ \\[") == r"_a_ \*b\* \~\~c\~\~ \\\["


def test_code_spans_stay_readable_and_hold_no_link() -> None:
    assert escape("say `data <ask#> [get|create]`") == (
        f"say `data <{WORD_JOINER}ask#> [get|create]`"
    )
    assert escape(f"`{PHISH}`") == f"`{PHISH.replace('](', ']' + WORD_JOINER + '(')}`"
    assert escape("a `` b ` c `` [x](y)") == r"a `` b ` c `` \[x\]\(y\)"


def test_an_unclosed_backtick_is_prose() -> None:
    assert escape("`[x](https://evil.example)") == r"`\[x\]\(https://evil.example\)"


SPECIALS = st.sampled_from([*"[]()!<>`*_~#\\: \nab/", "https://", "http://e.x/"])


@given(st.lists(SPECIALS, max_size=40).map("".join))
def test_nothing_that_comes_out_opens_a_link(text: str) -> None:
    assert not opens_a_link(escape(text))
    assert not opens_a_link(escape(text, html_text=True))


@given(st.text(max_size=200))
def test_any_text_escapes_without_error_and_keeps_its_letters(text: str) -> None:
    letters = [c for c in text if c.isalnum()]
    assert [c for c in escape(text) if c.isalnum()] == letters


def test_an_escaped_bracket_inside_code_stays_two_characters() -> None:
    """Hypothesis found it: in a code span `]\\[[` shows as typed and opens nothing."""
    assert escape("`]\\[[`") == "`]\\[[`"
    assert not opens_a_link(escape("`]\\[[`"))
