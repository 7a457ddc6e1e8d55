"""Body edits that tolerate people editing at the same time; choice steps; outcome words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from bot.conversation.forms import apply_form, form_spec
from bot.conversation.transitions import advance, prompt
from bot.flows.data import DATA
from bot.flows.outcome import OUTCOME_FLOW
from bot.linked.bodies import Edited, edit_body, list_in_ask, with_link
from bot.linked.outcomes import parse_outcome
from bot.render import LinkSection, parse_ask, render_ask
from bot.render.link_lists import Link, update_links
from bot.render.references import OWNED, tldr_of, with_tldr
from bot.types import Draft, Issue, LabelSpec, Place, Say

HEADING = "## Approaches and Experiments\n"
ASK_BODY = render_ask(
    {"title": "Churn", "problem": "p", "outcome": "o"},
    skipped=(), requester_name="Z", origin="slack", draft_id="a-1",
).body.replace(HEADING, HEADING + "\nBy hand.\n")  # fmt: skip


@dataclass
class BodyTracker:
    """A recording Tracker for body edits; each of `human` lands just before a re-read."""

    body: str
    human: list[str] = field(default_factory=list)
    reads: int = 0
    edits: list[str] = field(default_factory=list)

    @property
    def repository(self) -> str:
        return "octo/dslp"

    async def get_issue(self, *, number: int) -> Issue | None:
        self.reads += 1
        if self.reads > 1 and self.human:
            self.body = self.human.pop(0)
        return Issue(number, "Churn", self.body, "https://x/1", labels=frozenset({"Ask"}))

    async def edit_issue(
        self, *, number: int, body: str | None = None, state: str | None = None
    ) -> Issue:
        assert body is not None
        self.body = body
        self.edits.append(body)
        return Issue(number, "Churn", body, "https://x/1")

    async def create_issue(
        self, *, title: str, body: str, labels: Sequence[str], marker: str
    ) -> Issue:
        raise NotImplementedError

    async def find_by_marker(self, *, marker: str) -> Issue | None:
        raise NotImplementedError

    async def add_labels(self, *, number: int, labels: Sequence[str]) -> Issue:
        raise NotImplementedError

    async def remove_label(self, *, number: int, label: str) -> Issue:
        raise NotImplementedError

    async def comment(self, *, number: int, body: str) -> None:
        raise NotImplementedError

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open"
    ) -> Sequence[Issue]:
        raise NotImplementedError

    async def ensure_labels(self, *, labels: Sequence[LabelSpec]) -> Sequence[str]:
        raise NotImplementedError

    async def can_label(self) -> bool:
        return True

    async def is_private(self) -> bool:
        return False


def experiments(body: str) -> list[tuple[int, str]]:
    return [
        (link.number, link.status) for link in parse_ask("", body).links[LinkSection.EXPERIMENTS]
    ]


async def test_listing_is_idempotent_and_keeps_hand_written_lines() -> None:
    tracker = BodyTracker(ASK_BODY)
    link = Link(45, "Churn GBM", "open")
    first = await list_in_ask(tracker, ask=1, section=LinkSection.EXPERIMENTS, link=link)  # type: ignore[arg-type]
    again = await list_in_ask(tracker, ask=1, section=LinkSection.EXPERIMENTS, link=link)  # type: ignore[arg-type]
    assert (first.status, again.status) == (Edited.UPDATED, Edited.UNCHANGED)
    assert len(tracker.edits) == 1
    assert "By hand." in tracker.body
    assert experiments(tracker.body) == [(45, "open")]


async def test_a_human_edit_between_reads_is_kept_and_the_edit_retried() -> None:
    edited_by_hand = ASK_BODY.replace("By hand.", "By hand, and edited just now.")
    tracker = BodyTracker(ASK_BODY, human=[edited_by_hand])
    link = Link(45, "Churn GBM", "open")
    result = await list_in_ask(tracker, ask=1, section=LinkSection.EXPERIMENTS, link=link)  # type: ignore[arg-type]
    assert result.status is Edited.UPDATED
    assert "edited just now" in tracker.body and experiments(tracker.body) == [(45, "open")]


async def test_an_ask_that_keeps_changing_is_left_alone() -> None:
    tracker = BodyTracker(ASK_BODY, human=[ASK_BODY + "a", ASK_BODY + "b", ASK_BODY + "c"])
    result = await edit_body(tracker, number=1, change=lambda body: body + "\nbot")  # type: ignore[arg-type]
    assert result.status is Edited.CONFLICT and tracker.edits == []


def test_succeeded_experiments_are_listed_first_and_statuses_are_kept_when_asked() -> None:
    links = [Link(40, "A", "failed"), Link(41, "B", "open")]
    assert with_link(links, Link(41, "B", "succeeded"), keep_status=False)[1].status == "succeeded"
    assert with_link(links, Link(40, "A", "open"), keep_status=True)[0].status == "failed"
    body = BodyTracker(ASK_BODY).body
    updated = update_links(
        body,
        LinkSection.EXPERIMENTS,
        with_link(links, Link(41, "B", "succeeded"), keep_status=False),
    )
    assert experiments(updated) == [(41, "succeeded"), (40, "failed")]


@pytest.mark.parametrize(
    ("word", "label"),
    [("succeeded", "succeeded"), ("Succeeded", "succeeded"), ("FAILED", "failed"),
     ("on-hold", "on hold"), ("on hold", "on hold"), ("onhold", "on hold"), ("On_Hold", "on hold"),
     ("great", None), ("", None), ("12", None)],
)  # fmt: skip
def test_outcome_words(word: str, label: str | None) -> None:
    assert parse_outcome(word) == label


def test_tldr_is_added_at_the_end_of_results_or_replaces_the_last_line() -> None:
    body = "## Results\r\nSome numbers\r\n\r\n## Discussion\r\nx\r\n"
    added = with_tldr(body, "It worked")
    assert added.index("***TLDR:*** It worked") < added.index("## Discussion")
    assert f"\r\n***TLDR:*** It worked {OWNED}\r\n" in added
    assert tldr_of(with_tldr(added, "Replaced")) == "Replaced"
    assert with_tldr(added, "Replaced").count("TLDR") == 1
    assert with_tldr("", "t") == f"## Results\n\n***TLDR:*** t {OWNED}\n"


def draft(flow_name: str) -> Draft:
    return Draft(id="d-1", flow=flow_name, owner="slack:T1:U1", origin=Place("slack", "C1"),
                 cursor="kind" if flow_name == "data" else "outcome")  # fmt: skip


def test_a_choice_step_offers_its_options_and_accepts_aliases() -> None:
    shown = prompt(DATA, draft("data")).replies[0]
    assert isinstance(shown, Say)
    assert [c.value for c in shown.choices] == ["get", "create"]
    refused = advance(DATA, draft("data"), "maybe")
    assert refused.draft.answers == {} and refused.replies[0].choices  # type: ignore[union-attr]
    accepted = advance(DATA, draft("data"), "New")
    assert accepted.draft.answers["kind"] == "create" and accepted.draft.cursor == "name"


def test_the_outcome_form_has_a_select_and_checks_it() -> None:
    spec = form_spec(OUTCOME_FLOW, draft(OUTCOME_FLOW.name))
    assert spec.fields[0].options[2] == ("on hold", "On hold")
    result = apply_form(OUTCOME_FLOW, draft(OUTCOME_FLOW.name), {"outcome": "ON-HOLD", "tldr": "x"})
    assert result.ok and result.draft.answers["outcome"] == "on hold"
    bad = apply_form(OUTCOME_FLOW, draft(OUTCOME_FLOW.name), {"outcome": "later", "tldr": "x"})
    assert set(bad.errors) == {"outcome"}


def test_the_outcome_flow_runs_an_action_and_files_nothing() -> None:
    assert OUTCOME_FLOW.action and not OUTCOME_FLOW.issue_label
    context = {"experiment": "45", "experiment_title": "GBM"}
    answers = {"outcome": "failed", "tldr": "No lift"}
    with_context = replace(draft(OUTCOME_FLOW.name), context=context, answers=answers)
    title, body = OUTCOME_FLOW.render(with_context)
    assert title == "Experiment #45 GBM: failed" and "***TLDR:*** No lift" in body
