"""Recording how an experiment ended: one core function for the command, the flow and the digest.

`experiment 45 succeeded <TLDR>`, the guided outcome flow and a digest's
"Mark on hold" button all call `record_outcome`, so the labels, the TLDR in
Results, the comment, closing on failure and the Ask's list are the same
whichever way people get there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from bot.dslp import FAILED, ON_HOLD, SUCCEEDED, IssueType, canonical_label
from bot.flows.outcome import OUTCOME_OPTIONS, TLDR_LIMIT
from bot.linked.bodies import Edited, edit_body, list_in_ask
from bot.playbook.hold import with_hold
from bot.playbook.model import Actor
from bot.playbook.service import Playbook, verified_handle
from bot.ports import LinkStore, Tracker
from bot.render import BodyTooLong, LinkSection
from bot.render.escaping import escape_inline
from bot.render.link_lists import Link
from bot.render.references import TLDR_LINE, ask_reference, with_tldr
from bot.render.user_text import clean_line
from bot.texts import outcome as t
from bot.types import Issue

OUTCOMES = (SUCCEEDED, FAILED, ON_HOLD)


class Recorded(StrEnum):
    RECORDED = "recorded"
    BAD_OUTCOME = "bad-outcome"
    NO_TLDR = "no-tldr"
    TLDR_TOO_LONG = "tldr-too-long"
    NOT_FOUND = "not-found"
    NOT_EXPERIMENT = "not-experiment"
    CLOSED = "closed"


@dataclass(frozen=True)
class OutcomeResult:
    """What happened; `notes` are things that did not fully work (a label GitHub dropped)."""

    status: Recorded
    number: int
    outcome: str = ""
    tldr: str = ""
    issue: Issue | None = None
    ask_number: int | None = None
    ask_listed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is Recorded.RECORDED


def parse_outcome(word: str) -> str | None:
    """`Succeeded`, `on-hold`, `on hold`, `ONHOLD` -> the DSLP label; anything else -> None."""
    return next((option.value for option in OUTCOME_OPTIONS if option.matches(word)), None)


def labelled(issue: Issue, label: str) -> bool:
    return any(canonical_label(name) == label for name in issue.labels)


async def record_outcome(
    tracker: Tracker,
    links: LinkStore,
    *,
    number: int,
    outcome: str,
    tldr: str,
    by: str = "",
    platform: str = "",
    login: str = "",
    playbook: Playbook | None = None,
    until: date | None = None,
) -> OutcomeResult:
    """Label, TLDR into Results and as a comment, close on failure, re-list in the Ask
    with its TLDR; with a `playbook`, a failure closes its open pull request too.
    `until`: on hold until that day (the digest leaves it out till then); any outcome
    recorded later takes the day away. `login`: the verified login to name when the bot's
    own token writes for `by` (`Trackers.voice`).

    Raises `TrackerError` when GitHub fails; every step is safe to run again.
    """
    label = parse_outcome(outcome)
    text = clean_line(tldr)
    checked = _check_input(number, label, text)
    if checked is not None:
        return checked
    assert label is not None
    issue = await tracker.get_issue(number=number)
    refused = _check_issue(number, issue)
    if refused is not None or issue is None:
        return refused or OutcomeResult(Recorded.NOT_FOUND, number)
    actor = Actor(by, platform, login)
    result = await _record(tracker, links, issue, label, text, actor, until)
    if playbook is None or label != FAILED or result.issue is None:
        return result
    notes = await playbook.experiment_failed(
        tracker, experiment=result.issue, tldr=text, actor=actor
    )
    return replace(result, notes=result.notes + notes)


def _check_input(number: int, label: str | None, text: str) -> OutcomeResult | None:
    if label is None:
        return OutcomeResult(Recorded.BAD_OUTCOME, number)
    if not text:
        return OutcomeResult(Recorded.NO_TLDR, number, label)
    if len(text) > TLDR_LIMIT:
        return OutcomeResult(Recorded.TLDR_TOO_LONG, number, label, text)
    return None


def _check_issue(number: int, issue: Issue | None) -> OutcomeResult | None:
    if issue is None:
        return OutcomeResult(Recorded.NOT_FOUND, number)
    if not labelled(issue, IssueType.EXPERIMENT):
        return OutcomeResult(Recorded.NOT_EXPERIMENT, number, issue=issue)
    if issue.state == "closed":
        return OutcomeResult(Recorded.CLOSED, number, issue=issue)
    return None


async def _record(
    tracker: Tracker,
    links: LinkStore,
    issue: Issue,
    label: str,
    text: str,
    by: Actor,
    until: date | None,
) -> OutcomeResult:
    number = issue.number
    labelled_issue = await _relabel(tracker, issue, label)
    notes = () if labelled(labelled_issue, label) else (_label_note(tracker, label),)
    escaped = escape_inline(text)
    edited = await _write_tldr(tracker, number, escaped, until if label == ON_HOLD else None)
    comment = t.COMMENT.format(outcome=label, by=_recorded_by(by), tldr=_tldr(escaped))
    await tracker.comment(number=number, body=comment)
    if label == FAILED:
        edited = await tracker.edit_issue(number=number, state="closed")
    known = await links.set_status(repository=tracker.repository, number=number, status=label)
    ask = ask_reference(edited.body) or (known.ask_number if known else None)
    listed = await _relist(tracker, ask, Link(number, edited.title, label, text))
    return OutcomeResult(Recorded.RECORDED, number, label, text, edited, ask, listed, notes)


def _recorded_by(actor: Actor) -> str:
    """Who recorded it, escaped for GitHub Markdown; with their verified login when the
    bot's own token writes for them (GitHub shows the bot as the author)."""
    name = escape_inline(clean_line(actor.name))
    if actor.login:
        login = verified_handle(actor.login)
        return t.COMMENT_BY_VERIFIED.format(surface=actor.surface, name=name or "?", login=login)
    return t.COMMENT_BY.format(name=name) if name else ""


async def _relabel(tracker: Tracker, issue: Issue, label: str) -> Issue:
    """Exactly one outcome label: the others go, whatever case people gave them."""
    for name in issue.labels:
        if canonical_label(name) in OUTCOMES and canonical_label(name) != label:
            issue = await tracker.remove_label(number=issue.number, label=name)
    if labelled(issue, label):
        return issue
    return await tracker.add_labels(number=issue.number, labels=[label])


async def _write_tldr(tracker: Tracker, number: int, escaped: str, until: date | None) -> Issue:
    def change(body: str) -> str:
        return with_hold(with_tldr(body, escaped), until)

    result = await edit_body(tracker, number=number, change=change)
    if result.issue is not None:
        return result.issue
    fresh = await tracker.get_issue(number=number)
    if fresh is None:
        raise LookupError(f"issue #{number} disappeared while recording its outcome")
    return fresh


async def _relist(tracker: Tracker, ask: int | None, link: Link) -> bool:
    if ask is None:
        return False
    try:
        result = await list_in_ask(tracker, ask=ask, section=LinkSection.EXPERIMENTS, link=link)
    except BodyTooLong:
        return False
    return result.status in (Edited.UPDATED, Edited.UNCHANGED)


def _tldr(escaped: str) -> str:
    return TLDR_LINE.format(text=escaped)


def _label_note(tracker: Tracker, label: str) -> str:
    return t.LABEL_DROPPED.format(label=label, repository=tracker.repository)
