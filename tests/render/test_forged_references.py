"""References typed into answers never win over the bot's own, for every issue type.

Each body goes through the real renderer, then through the readers the
lifecycle, the digest and the linked-work commands use. The same bodies with
the bot's ownership marks taken out stand for issues filed before the marks
existed: there the bot's lines still win by their position.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.lifecycle.rules import AskContext, NotifyConfig, notices
from bot.linked.render import Refs, read_sections
from bot.render import render_ask
from bot.render.ask import RenderedIssue
from bot.render.data import render_data
from bot.render.experiment import parse_experiment, render_experiment
from bot.render.explore import render_explore
from bot.render.model import render_model
from bot.render.references import (
    OWNED,
    ask_reference,
    branch_of,
    experiment_reference,
    tldr_of,
    with_branch,
    with_tldr,
)
from bot.texts import notifications
from bot.types import Issue

FORGERIES = (
    "Ask Reference: #2",
    "***Ask Reference:*** #2",
    "**Ask reference**: #2 and ***Based on Experiment:*** #3",
    "***Based on Experiment:*** #3",
    f"***Ask Reference:*** #2 {OWNED}",
    "## Reference\n\n***Ask Reference:*** #2\n\n***Based on Experiment:*** #3",
    "## Description\n***Ask Reference:*** #2",
    "Reference\n---\n***Ask Reference:*** #2",
    "***Branch:*** `main`",
    f"***Branch:*** `main` {OWNED}",
)
Render = Callable[[Mapping[str, str], Refs], RenderedIssue]


def _everywhere(keys: tuple[str, ...], forged: str, **fixed: str) -> dict[str, str]:
    """Every free-text answer is the forgery (one-line answers get its first line)."""
    return {**{key: forged for key in keys}, **fixed}


CASES: list[tuple[str, Render, dict[str, str], Refs]] = []
for forged in FORGERIES:
    CASES += [
        ("data get", render_data,
         _everywhere(("description", "sources", "reference", "known_issues"), forged,
                     kind="get", name=forged.split("\n")[0]),
         Refs("d-1", "data", 12)),
        ("data create", render_data,
         _everywhere(("name", "description", "sources", "reference", "known_issues"), forged,
                     kind="create"),
         Refs("d-1", "data", 12)),
        ("explore", render_explore,
         _everywhere(("title", "overview", "goals", "timebox"), forged),
         Refs("d-1", "explore", 12)),
        ("explore, no timebox", render_explore,
         _everywhere(("title", "overview", "goals"), forged),
         Refs("d-1", "explore", 12)),
        ("experiment", render_experiment,
         _everywhere(("title", "description", "metrics", "assumptions", "history"), forged),
         Refs("d-1", "experiment", 12)),
        ("model", render_model,
         _everywhere(("name", "description"), forged),
         Refs("d-1", "model", 12, 45)),
    ]  # fmt: skip


def _old_layout(body: str) -> str:
    """The body as the bot filed it before its lines carried the ownership mark."""
    return body.replace(f" {OWNED}", "")


@pytest.mark.parametrize(("kind", "render", "answers", "refs"), CASES)
def test_a_reference_typed_into_any_answer_is_ignored(
    kind: str, render: Render, answers: dict[str, str], refs: Refs
) -> None:
    body = render(answers, refs).body
    for layout in (body, _old_layout(body)):
        assert ask_reference(layout) == 12, kind
        assert experiment_reference(layout) == refs.experiment, kind


@pytest.mark.parametrize(("kind", "render", "answers", "refs"), CASES)
def test_the_branch_goes_on_the_bots_line_not_on_a_typed_one(
    kind: str, render: Render, answers: dict[str, str], refs: Refs
) -> None:
    body = render(answers, refs).body
    for layout in (body, _old_layout(body)):
        assert branch_of(layout) == "", kind
        once = with_branch(layout, "data/5-crm")
        assert branch_of(once) == "data/5-crm", kind
        assert with_branch(once, "data/5-crm") == once
        assert "dslp-bot:branch" not in once
        assert ask_reference(once) == 12


@pytest.mark.parametrize("forged", FORGERIES)
def test_an_ask_references_no_other_ask_whatever_its_answers_say(forged: str) -> None:
    answers = dict.fromkeys(("title", "problem", "outcome", "data", "stakeholders"), forged)
    issue = render_ask(answers, skipped=(), requester_name="A", origin="B", draft_id="d-1")
    assert ask_reference(issue.body) is None
    assert experiment_reference(issue.body) is None


def test_a_model_prefilled_from_a_forging_experiment_keeps_the_real_references() -> None:
    """The Model flow copies the Experiment's description; the copy stays an answer."""
    forged = "Ask Reference: #2\nBased on Experiment: #3"
    experiment = render_experiment(
        {"title": "GBM", "description": forged}, Refs("d", "experiment", 12)
    )
    description = parse_experiment(experiment.title, experiment.body)["description"]
    model = render_model({"name": "GBM", "description": description}, Refs("d", "model", 12, 45))
    assert (ask_reference(model.body), experiment_reference(model.body)) == (12, 45)
    assert read_sections(model.body, {"Description": "description"})["description"] == description


@pytest.mark.parametrize(
    ("body", "ask", "experiment"),
    [
        # The DSLP's own Model template, filled in by hand on GitHub.
        ("## Description\n\n***Ask Reference:*** #7  \n***Based on Experiment:*** #9  \n\n"
         "Describe what your model is doing.\nAsk Reference: #1", 7, 9),
        # The Experiment template: the reference leads Description, prose mentions come later.
        ("## Description\n\n***Ask Reference:*** #7\n\nWhat is the goal?\n\n## Metrics\n\n"
         "***Ask Reference:*** #1", 7, None),
        # Written anywhere by hand: still found, there is no bot text to forge.
        ("Some notes first.\n\n**Ask reference**: #7", 7, None),
        ("## Dataset Description\n***Ask Reference:*** #7\n", 7, None),
    ],
)  # fmt: skip
def test_hand_written_issues_are_read_from_the_templates_position_first(
    body: str, ask: int, experiment: int | None
) -> None:
    assert ask_reference(body) == ask
    assert experiment_reference(body) == experiment


def test_a_bot_issue_whose_reference_lines_were_deleted_has_no_reference() -> None:
    """Without the bot's line, a typed one elsewhere in a bot-filed issue is still no reference."""
    body = render_data(
        {"kind": "get", "name": "CRM", "description": "Ask Reference: #2"}, Refs("d", "data", 12)
    ).body
    lines = [line for line in body.split("\n") if not line.startswith("***Ask Reference")]
    assert ask_reference("\n".join(lines)) is None


TLDR_FORGERIES = (
    "TLDR: it worked, ship it",
    "***TLDR:*** it worked, ship it",
    f"***TLDR:*** it worked, ship it {OWNED}",
    "## Results\n\nTL;DR: it worked, ship it",
    "What was discovered during this exploration?\n===\nTLDR: it worked, ship it",
)
TLDR_CASES = list({case[0]: case for case in CASES}.values())


@pytest.mark.parametrize("forged", TLDR_FORGERIES)
@pytest.mark.parametrize(("kind", "render", "answers", "refs"), TLDR_CASES)
def test_a_tldr_typed_into_any_answer_is_no_tldr(
    kind: str, render: Render, answers: dict[str, str], refs: Refs, forged: str
) -> None:
    typed = {key: forged for key in answers if key != "kind"}
    body = render({**answers, **typed}, refs).body
    for layout in (body, _old_layout(body)):
        assert tldr_of(layout) == "", kind


@pytest.mark.parametrize("forged", TLDR_FORGERIES)
def test_an_outcome_goes_on_the_bots_tldr_line_and_the_typed_one_stays_an_answer(
    forged: str,
) -> None:
    experiment = render_experiment({"title": "GBM", "description": forged}, Refs("d", "x", 12))
    for layout in (experiment.body, _old_layout(experiment.body)):
        recorded = with_tldr(layout, "Recall up 4 points")
        assert tldr_of(recorded) == "Recall up 4 points"
        before, _ = layout.split("\n## Results\n")
        assert recorded.startswith(before + "\n## Results\n")
        assert recorded.index("Recall up 4 points") > recorded.index("## Results")


def test_the_success_notice_shows_no_typed_tldr() -> None:
    """Labelled `succeeded` on GitHub before any outcome was recorded: no TLDR yet."""
    body = render_experiment(
        {"title": "GBM", "description": "TLDR: it worked, ship it"}, Refs("d", "x", 12)
    ).body
    issue = Issue(number=4, title="GBM", body=body, url="u", labels=frozenset({"Experiment"}))
    event = TrackerEvent("d1", EventKind.LABELED, "o/r", issue, label="succeeded")
    [notice] = notices(event, AskContext(ask_number=12), NotifyConfig())
    assert notifications.NO_TLDR in notice.text and "ship it" not in notice.text


@pytest.mark.parametrize(
    ("body", "tldr"),
    [
        # Filled in on GitHub: the bot's empty line, text typed before or after its mark.
        (f"<!-- dslp-bot:experiment draft=d v=1 -->\n## Results\n***TLDR:*** ok {OWNED}", "ok"),
        (f"<!-- dslp-bot:experiment draft=d v=1 -->\n## Results\n***TLDR:*** {OWNED} ok", "ok"),
        # A person's own line in a bot-filed issue's Results, under a subheading too.
        ("<!-- dslp-bot:experiment draft=d v=1 -->\n## Results\n### Status\nTLDR: ok", "ok"),
        ("<!-- dslp-bot:explore draft=d v=1 -->\n## What was discovered during this "
         "exploration?\n### Insight 1\nx\n\nTLDR: ok\n## Next Steps\nTLDR: no", "ok"),
        # Hand-written issues: anywhere, the last one.
        ("Notes\nTLDR: first\n\nmore\n**TL;DR**: ok", "ok"),
    ],
)  # fmt: skip
def test_tldrs_written_by_people_on_github_are_read(body: str, tldr: str) -> None:
    assert tldr_of(body) == tldr
