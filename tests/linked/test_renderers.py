"""The Data, Explore, Experiment and Model renderers: DSLP sections, escaping, round trips.

Only the Experiment is read back in the product (`model <#>` prefills from it), so only its
parser is round-tripped; the other kinds are pinned by their sections and titles.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.linked.render import Refs, checklist
from bot.render.data import render_data
from bot.render.experiment import parse_experiment, render_experiment
from bot.render.explore import render_explore
from bot.render.model import render_model
from bot.render.references import (
    ask_reference,
    branch_of,
    experiment_reference,
    tldr_of,
    with_branch,
    with_tldr,
)
from bot.render.user_text import clean_line, clean_user_text

REFS = Refs(draft_id="d-1", kind="experiment", ask=12)


def headings(body: str) -> list[str]:
    return re.findall(r"^#{1,6} .*$", body, re.MULTILINE)


def test_data_acquisition_sections_and_title() -> None:
    answers = {"kind": "get", "name": "CRM", "description": "All accounts", "sources": "SFDC",
               "reference": "https://wiki", "known_issues": "Gaps"}  # fmt: skip
    rendered = render_data(answers, Refs("d-1", "data", 12))
    assert rendered.title == "Get CRM Dataset"
    assert headings(rendered.body) == [
        "## Dataset Description", "## Source system", "## Reference", "## Known Issues",
    ]  # fmt: skip
    reference = rendered.body.split("## Reference")[1]
    assert reference.lstrip().startswith("***Ask Reference:*** #12")
    assert rendered.body.startswith("<!-- dslp-bot:data draft=d-1 v=1 -->")


def test_data_creation_sections_and_title() -> None:
    answers = {"kind": "create", "name": "Churn labels", "description": "One row per account",
               "sources": "CRM, usage logs"}  # fmt: skip
    rendered = render_data(answers, Refs("d-1", "data", 12))
    assert rendered.title == "Create Churn labels Dataset"
    assert headings(rendered.body) == [
        "# Dataset Name", "## Dataset Description", "## Parent Sources", "## Reference",
        "## Known Issues",
    ]  # fmt: skip


def test_explore_sections_and_goals_checklist() -> None:
    answers = {"title": "Usage before churn", "overview": "Six months of logs.",
               "goals": "Does usage drop?\nHow early?", "timebox": "3 days"}  # fmt: skip
    rendered = render_explore(answers, Refs("d-1", "explore", 12))
    assert headings(rendered.body) == [
        "## Overview", "## Goals", "## What was discovered during this exploration?",
        "### Insight 1", "### Insight 2", "## Next Steps",
    ]  # fmt: skip
    overview = rendered.body.split("## Overview")[1].lstrip()
    assert overview.startswith("***Ask Reference:*** #12")
    assert "- [ ] Does usage drop?\n- [ ] How early?" in rendered.body


def test_experiment_sections_references_and_empty_tldr() -> None:
    answers = {"title": "Churn GBM baseline", "description": "GBM on usage.",
               "metrics": "Recall >= 0.5", "assumptions": "Logs complete",
               "history": "https://mlflow/1"}  # fmt: skip
    rendered = render_experiment(answers, REFS)
    assert headings(rendered.body) == [
        "## Description",
        "## Metrics",
        "## Assumptions",
        "## Results",
    ]
    description = rendered.body.split("## Description")[1].lstrip()
    assert description.startswith("***Ask Reference:*** #12")
    results = rendered.body.split("## Results")[1]
    for line in ("***Experiment History:*** https://mlflow/1", "***Related PR:***", "***TLDR:***"):
        assert line in results
    assert tldr_of(rendered.body) == ""  # nothing to report yet: the digest sees no TLDR
    assert ask_reference(rendered.body) == 12
    assert parse_experiment(rendered.title, rendered.body) == answers


def test_model_title_references_and_steps() -> None:
    answers = {"name": "churn GBM", "description": "Score weekly."}
    rendered = render_model(answers, Refs("d-1", "model", 12, 45))
    assert rendered.title == "Implement churn GBM model"
    assert headings(rendered.body) == ["## Description", "## Steps"]
    assert ask_reference(rendered.body) == 12 and experiment_reference(rendered.body) == 45
    steps = rendered.body.split("## Steps")[1]
    for word in ("Parametrise", "API schema", "Profile", "tests", "Register", "Deploy",
                 "Monitor", "retraining plan"):  # fmt: skip
        assert word in steps
    assert steps.count("- [ ] ") == 8


def test_untrusted_text_cannot_mention_inject_or_fake_headings() -> None:
    answers = {"title": "@team <script>", "description": "## Results\n<!-- x -->\n@alice",
               "metrics": "***TLDR:*** fake"}  # fmt: skip
    rendered = render_experiment(answers, REFS)
    assert "@\u200bteam" in rendered.title
    assert "\\## Results" in rendered.body and "&lt;!-- x" in rendered.body
    assert "@\u200balice" in rendered.body
    # People's own TLDR-like lines stay theirs; the outcome goes on the bot's line, the last.
    assert tldr_of(with_tldr(rendered.body, "real")) == "real"
    assert "***TLDR:*** fake" in with_tldr(rendered.body, "real")
    assert headings(rendered.body).count("## Results") == 1


def test_branch_placeholder_is_replaced_once() -> None:
    rendered = render_experiment({"title": "X", "description": "d", "metrics": "m"}, REFS)
    once = with_branch(rendered.body, "experiment/45-x")
    assert branch_of(once) == "experiment/45-x"
    assert "dslp-bot:branch" not in once
    assert with_branch(once, "experiment/45-x") == once


# Lines as input cleaning leaves them: a line that cleans to nothing (only a private-use
# mention delimiter, say) is no goal at all, and the checklist rightly drops it.
_line = (
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u200b\ufeff"
        ),
        min_size=1,
        max_size=40,
    )
    .map(clean_line)
    .filter(bool)
)


@given(st.lists(_line.filter(lambda goal: not goal.startswith(("- ", "* ", "+ "))), min_size=1))
def test_goals_checklist_has_one_box_per_goal(goals: list[str]) -> None:
    cleaned = [clean_line(goal) for goal in goals]
    lines = checklist("\n".join(cleaned)).split("\n")
    assert len(lines) == len(cleaned) and all(line.startswith("- [ ] ") for line in lines)


@given(_line, st.text(min_size=1, max_size=200).filter(str.strip))
def test_experiment_round_trips_any_text(title: str, description: str) -> None:
    answers = {"title": title, "description": description, "metrics": "m"}
    rendered = render_experiment(answers, REFS)
    parsed = parse_experiment(rendered.title, rendered.body)
    assert parsed["title"] == clean_line(title)
    expected = clean_user_text(description)
    if expected and not expected.lstrip().startswith("***"):
        assert parsed.get("description") == expected
