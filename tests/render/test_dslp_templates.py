"""What the bot files, held against the DSLP's own issue templates and labels.

The outlines below are the headings (level, text, in order) of the templates in
`dslp/dslp-repo-template` (`.github/ISSUE_TEMPLATE/*.md`), and the labels are
its `.github/labels.yaml` (the one typo, `revist`, corrected). Headings are read
by a CommonMark parser, as GitHub would show them, also when every answer is
hostile Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from adapters.cli import run_init
from bot.dslp import LABELS
from bot.linked.render import Refs
from bot.render import render_ask
from bot.render.ask import RenderedIssue
from bot.render.data import render_data
from bot.render.experiment import render_experiment
from bot.render.explore import render_explore
from bot.render.model import render_model
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings

__all__ = ["fake_github"]

MARKDOWN = MarkdownIt("commonmark").enable("table")
Outline = list[tuple[int, str]]

TEMPLATE_OUTLINES: dict[str, Outline] = {
    "Ask": [
        (2, "Problem Statement"), (3, "Desired Outcome"), (3, "Current State"),
        (2, "Success Criteria"), (3, "Impact"), (3, "Metrics"), (3, "Constraints"),
        (2, "Solution Architecture"), (2, "Data Requirements"), (3, "Datasets"),
        (2, "Understanding and Exploration"), (2, "Approaches and Experiments"),
        (2, "See Also"), (3, "Background Info"), (3, "Related Projects"),
    ],
    "Data.Aquisition": [
        (2, "Dataset Description"), (2, "Source system"), (2, "Reference"), (2, "Known Issues"),
    ],
    "Data.Create": [
        (1, "Dataset Name"), (2, "Dataset Description"), (2, "Parent Sources"), (2, "Reference"),
        (2, "Known Issues"),
    ],
    "Experiment": [(2, "Description"), (2, "Metrics"), (2, "Assumptions"), (2, "Results")],
    "Explore": [
        (2, "Overview"), (2, "Goals"), (2, "What was discovered during this exploration?"),
        (3, "Insight 1"), (3, "Insight 2"), (2, "Next Steps"),
    ],
    "Model": [(2, "Description"), (2, "Steps")],
}  # fmt: skip

DSLP_LABELS = {
    "Ask": ("c9ecff", "Define and scope problem and solution"),
    "Explore": ("f0f29b", "Explore and document data to increase understanding"),
    "Experiment": ("8569c6", "Build features and train models"),
    "Data": ("1c587c", "Get and transform data"),
    "Model": ("0b4e82", "Prepare model for deployment"),
    "Deploy": ("f79499", "Register, package, and deploy model"),
    "Communicate": ("f9f345", "Write reports, create dashboards, summarize findings, etc."),
    "succeeded": ("67d157", "This was successful"),
    "failed": ("c2021c", "This didn't go as hoped"),
    "on hold": ("ffd04f", "Still seems promising, but let's revisit later"),
    "blocked - need access": (
        "ed9a53",
        "Blocked due to lack of access to data, resources, environment, etc.",
    ),
}

Renderer = Callable[[Mapping[str, str]], RenderedIssue]
KEYS: dict[str, tuple[Renderer, tuple[str, ...]]] = {
    "Ask": (
        lambda a: render_ask(a, skipped=(), requester_name="A", origin="B", draft_id="d-1"),
        ("title", "problem", "outcome", "current_state", "success", "impact", "metrics",
         "constraints", "data", "stakeholders"),
    ),
    "Data.Aquisition": (
        lambda a: render_data({**a, "kind": "get"}, Refs("d-1", "data", 12)),
        ("name", "description", "sources", "reference", "known_issues"),
    ),
    "Data.Create": (
        lambda a: render_data({**a, "kind": "create"}, Refs("d-1", "data", 12)),
        ("name", "description", "sources", "reference", "known_issues"),
    ),
    "Experiment": (
        lambda a: render_experiment(a, Refs("d-1", "experiment", 12)),
        ("title", "description", "metrics", "assumptions", "history"),
    ),
    "Explore": (
        lambda a: render_explore(a, Refs("d-1", "explore", 12)),
        ("title", "overview", "goals", "timebox"),
    ),
    "Model": (
        lambda a: render_model(a, Refs("d-1", "model", 12, 45)),
        ("name", "description"),
    ),
}  # fmt: skip
HOSTILE = [
    "",
    "Plain words",
    "# Fake\n## Results\nSection\n===\nAnother\n---",
    "```\nnever closed",
    "~~~",
    "- # in a list\n> ## in a quote\n1. ### in an ordered list",
    "<h2>html</h2>\n<!-- comment",
    "***Ask Reference:*** #2",
    "    # indented\n\t# tabbed",
]


def outline(body: str) -> Outline:
    tokens = MARKDOWN.parse(body)
    return [
        (int(t.tag[1]), tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
    ]


@pytest.mark.parametrize("template", list(TEMPLATE_OUTLINES))
@pytest.mark.parametrize("answer", HOSTILE)
def test_every_issue_type_has_the_templates_headings_in_order(template: str, answer: str) -> None:
    render, keys = KEYS[template]
    rendered = render(dict.fromkeys(keys, answer))
    assert outline(rendered.body) == TEMPLATE_OUTLINES[template]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(TEMPLATE_OUTLINES)), st.data())
def test_no_answer_adds_or_hides_a_heading(template: str, data: st.DataObject) -> None:
    render, keys = KEYS[template]
    pieces = st.one_of(st.text(max_size=6), st.sampled_from([*HOSTILE, "\n", "- ", "> ", "#"]))
    answers = data.draw(st.dictionaries(st.sampled_from(keys), st.lists(pieces).map("".join)))
    assert outline(render(answers).body) == TEMPLATE_OUTLINES[template]


def test_labels_are_the_dslps_own() -> None:
    assert {label.name: (label.color, label.description) for label in LABELS} == DSLP_LABELS
    assert [label.name for label in LABELS] == list(DSLP_LABELS)


def test_init_creates_the_labels_and_corrects_old_descriptions(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    fake_github.state.add_label(fake_github.repo(), "Ask", "c9ecff", "Define and scope the problem")
    assert run_init(app_settings(tmp_path, fake_github.api_url)) == 0
    labels = fake_github.repo().labels
    found = {label.name: (label.color, label.description) for label in labels.values()}
    assert found == DSLP_LABELS
