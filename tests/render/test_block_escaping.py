"""Values that stand on a line of their own start no block, in any issue type.

Held against a CommonMark parser (markdown-it-py, with GFM tables), not against
our own idea of Markdown: what GitHub would make of the body is what counts.
"""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from bot.linked.render import Refs, read_sections
from bot.render.data import render_data
from bot.render.escaping import escape_block, escape_line, unescape_block, unescape_line

MARKDOWN = MarkdownIt("commonmark").enable("table")
BLOCK_STARTS = [
    "# Evil",
    "###### Evil",
    "```",
    "```python",
    "~~~",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "12) item",
    "> quoted",
    "---",
    "===",
    "***",
    "_ _ _",
    "<div>",
    "<!-- x",
    "| a | b |",
    "\\# already escaped",
    "1\\. already escaped",
    "\\\\```",
]


def blocks(markdown: str) -> list[str]:
    """The top-level block tokens, as `type/tag`: headings, paragraphs, lists, code..."""
    return [f"{t.type}/{t.tag}" for t in MARKDOWN.parse(markdown) if t.level == 0]


@pytest.mark.parametrize("value", BLOCK_STARTS)
def test_a_one_line_value_on_its_own_line_is_one_paragraph(value: str) -> None:
    assert blocks(escape_line(value)) == ["paragraph_open/p", "paragraph_close/p"]
    assert unescape_line(escape_line(value)) == value


@pytest.mark.parametrize("name", BLOCK_STARTS)
def test_a_dataset_name_cannot_become_a_heading_or_swallow_the_template(name: str) -> None:
    answers = {"kind": "create", "name": name, "description": "One row per account"}
    rendered = render_data(answers, Refs("d-1", "data", 12))
    headings = [
        f"{t.tag} {MARKDOWN.parse(rendered.body)[i + 1].content}"
        for i, t in enumerate(MARKDOWN.parse(rendered.body))
        if t.type == "heading_open"
    ]
    assert headings == [
        "h1 Dataset Name", "h2 Dataset Description", "h2 Parent Sources", "h2 Reference",
        "h2 Known Issues",
    ]  # fmt: skip
    sections = (
        "Dataset Name",
        "Dataset Description",
        "Parent Sources",
        "Reference",
        "Known Issues",
    )
    read = read_sections(rendered.body, {s: s for s in sections}, one_line=("Dataset Name",))
    assert read["Dataset Name"] == name


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("- first\n- second", "bullet_list_open/ul"),
        ("1. first\n2. second", "ordered_list_open/ol"),
        ("> quoted", "blockquote_open/blockquote"),
        ("```\ncode", "fence/code"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "table_open/table"),
    ],
)
def test_multi_line_answers_keep_their_own_formatting_inside_their_section(
    answer: str, kept: str
) -> None:
    """Lists, quotes, code and tables are what people meant; headings are not theirs to add."""
    escaped = escape_block(f"{answer}\n# not a heading\nsetext\n===")
    found = blocks(escaped)
    assert kept in found
    assert not any(block.startswith("heading") for block in found)
    assert unescape_block(escaped) == f"{answer}\n# not a heading\nsetext\n==="
