"""Cleaning what people type: what goes, what must stay."""

from __future__ import annotations

import pytest

from bot.render import clean_title, clean_user_text
from bot.render.escaping import escape_inline, unescape_inline
from bot.render.titles import TITLE_LIMIT, escape_title, unescape_title

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
FLAG_DE = "\U0001f1e9\U0001f1ea"
FLAG_ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
ARABIC = "نريد تقليل التسرب"
HEBREW = "אנחנו מאבדים לקוחות"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        ("   \n\t  \n ", ""),
        ("  padded \n", "padded"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("tab\tkept\nline kept", "tab\tkept\nline kept"),
        ("bell\x07 nul\x00 esc\x1b[31m del\x7f c1\x85\x9b", "bell nul esc[31m del c1"),
        ("safe\u202eevil\u202c and \u2066isolate\u2069", "safeevil and isolate"),
        ("\ufeffbom and zero\u200bwidth", "bom and zerowidth"),
        ("cafe\u0301", "caf\u00e9"),
        ("lone \ud800 surrogate", "lone  surrogate"),
    ],
)
def test_clean_user_text(raw: str, clean: str) -> None:
    assert clean_user_text(raw) == clean


@pytest.mark.parametrize("kept", [FAMILY, FLAG_DE, FLAG_ENGLAND, ARABIC, HEBREW, "a\u200fb\u200ec"])
def test_clean_keeps_emoji_rtl_and_direction_marks(kept: str) -> None:
    """ZWJ joins emoji families and LRM/RLM are needed by RTL writers; only overrides go."""
    assert clean_user_text(f" {kept} ") == kept


def test_title_is_one_line_without_mentions() -> None:
    title = clean_title("  Churn\nfor   @alice\tand @org/team ")
    assert title == "Churn for @alice and @org/team"
    assert escape_title(title) == "Churn for @\u200balice and @\u200borg/team"
    assert unescape_title(escape_title(title)) == title


def test_long_title_is_cut_to_fit_with_an_ellipsis() -> None:
    title = clean_title("@a " * 200)
    assert len(escape_title(title)) <= TITLE_LIMIT
    assert title.endswith("\u2026")
    assert clean_title(title) == title


def test_title_of_exactly_the_limit_is_kept() -> None:
    assert clean_title("x" * TITLE_LIMIT) == "x" * TITLE_LIMIT


def test_inline_escape_round_trips_our_own_syntax() -> None:
    text = "A & B <b> \u2014 @bob --> &amp;"
    escaped = escape_inline(text)
    assert "<" not in escaped and "\u2014" not in escaped and ">" not in escaped
    assert unescape_inline(escaped) == text
