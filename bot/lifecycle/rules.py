"""Who hears about which transition: the table in the README, as pure functions.

`notices(event, context, config)` names the rule an event triggers and
builds its message; it never looks anything up. What it needs beyond the
event (the Ask, the requester's thread, the Model issue a branch names) is
looked up beforehand into an `AskContext`. Who exactly is in an audience is
decided later, by `bot.lifecycle.audience.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.dslp import BLOCKED_NEED_ACCESS, DEPLOY, FAILED, SUCCEEDED, IssueType
from bot.lifecycle.events import (
    EventKind,
    TrackerEvent,
    has_label,
    issue_type,
)
from bot.mentions import untrusted
from bot.render.references import ask_reference, tldr_of
from bot.repositories.references import issue_reference
from bot.texts import notifications as t
from bot.types import Choice, FiledAsk, Issue

# Audience words; anything else in an audience is a role name.
REQUESTER = "requester"
ASSIGNEES = "assignees"
CHANNEL = "channel"
WATCHERS = "watchers"
RESERVED = frozenset({REQUESTER, ASSIGNEES, CHANNEL, WATCHERS})

ASK_OPENED = "ask-opened"
DATA_OPENED = "data-opened"
BLOCKED = "blocked"
UNBLOCKED = "unblocked"
WORK_STARTED = "work-started"
EXPERIMENT_SUCCEEDED = "experiment-succeeded"
EXPERIMENT_FAILED = "experiment-failed"
MODEL_OPENED = "model-opened"
MODEL_DEPLOY = "model-deploy"
MODEL_MERGED = "model-merged"
ASK_CLOSED = "ask-closed"

DEFAULT_AUDIENCES: Mapping[str, tuple[str, ...]] = {
    ASK_OPENED: (CHANNEL, "data-scientist"),
    DATA_OPENED: ("data-engineer", REQUESTER),
    BLOCKED: ("it", "data-engineer", ASSIGNEES),
    UNBLOCKED: ("data-engineer", ASSIGNEES),
    WORK_STARTED: (REQUESTER,),
    EXPERIMENT_SUCCEEDED: ("ml-engineer", REQUESTER),
    EXPERIMENT_FAILED: (REQUESTER, "data-scientist"),
    MODEL_OPENED: ("ml-engineer", "devops", REQUESTER),
    MODEL_DEPLOY: ("devops", REQUESTER),
    MODEL_MERGED: ("devops", CHANNEL),
    ASK_CLOSED: (REQUESTER, WATCHERS),
}
ONCE_PER_ISSUE = frozenset(
    {
        ASK_OPENED,
        DATA_OPENED,
        WORK_STARTED,
        EXPERIMENT_SUCCEEDED,
        EXPERIMENT_FAILED,
        MODEL_OPENED,
        MODEL_DEPLOY,
    }
)
"""Rules that can happen only once to an issue, however many events report them.

GitHub reports an issue created with labels as `opened` plus one `labeled`
per label, and a failed experiment is usually labelled and then closed:
these rules are keyed by issue, not by delivery, so each is told once
(a Model labelled `Deploy` and later closed as completed is deployed once).
"""
FIRST_WORK = frozenset({DATA_OPENED, WORK_STARTED})
"""The requester hears of the first of these per Ask, not of every Data issue or experiment."""

PHASES = ("Ask", "Data", "Explore", "Experiment", "Model", "Deploy")
ROLES_VIA_CHANNEL = "channel"
ROLES_VIA_DM = "dm"


@dataclass(frozen=True)
class NotifyConfig:
    """Audiences per rule and how roles are reached (mention in the channel, or DM)."""

    audiences: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: frozen_audiences(DEFAULT_AUDIENCES)
    )
    roles_via: str = ROLES_VIA_CHANNEL


def frozen_audiences(values: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True)
class AskContext:
    """What was looked up for an event: its Ask, and for a merged branch the Model issue."""

    ask_number: int | None = None
    ask_title: str = ""
    ask_url: str = ""
    ask_author: str = ""
    filed: FiledAsk | None = None
    subject: Issue | None = None


@dataclass(frozen=True)
class Notice:
    """One rule's message and its audience; `scope` makes it count once."""

    rule: str
    scope: str
    text: str
    audience: tuple[str, ...]
    ask_number: int | None
    choices: tuple[Choice, ...] = ()
    requester_scope: str = ""
    """What makes the requester's copy count once, when that is wider than `scope` (the first
    work of an Ask); their copy also carries the Ask's "Mute" button (`requester_choices`)."""
    requester_choices: tuple[Choice, ...] = ()
    requester_text: str = ""
    """The requester's copy in one line (the milestone, its link, an outcome's TLDR): they
    asked the question; the next DSLP step is for the people doing the work."""


def rule_for(event: TrackerEvent) -> str | None:
    """The table's row an event is, or None: most events tell nobody anything."""
    if event.is_pull_request:
        merged = event.kind is EventKind.MERGED
        return MODEL_MERGED if merged and event.head_branch.startswith("model/") else None
    kind = issue_type(event.issue)
    if event.kind is EventKind.OPENED:
        return _opened_rule(kind)
    if event.kind is EventKind.LABELED:
        return _labeled_rule(event, kind)
    if event.kind is EventKind.UNLABELED and event.label == BLOCKED_NEED_ACCESS:
        return UNBLOCKED
    if event.kind is EventKind.CLOSED:
        return _closed_rule(event, kind)
    return None


def _opened_rule(kind: IssueType | None) -> str | None:
    return (
        {
            IssueType.ASK: ASK_OPENED,
            IssueType.DATA: DATA_OPENED,
            IssueType.EXPLORE: WORK_STARTED,
            IssueType.EXPERIMENT: WORK_STARTED,
            IssueType.MODEL: MODEL_OPENED,
        }.get(kind)
        if kind
        else None
    )


def _labeled_rule(event: TrackerEvent, kind: IssueType | None) -> str | None:
    """A type label added to an open issue counts as its opening (tokens that may only
    triage get their labels dropped on create, and the bot adds them right after)."""
    label = event.label
    if label == BLOCKED_NEED_ACCESS:
        return BLOCKED
    if kind is IssueType.EXPERIMENT and label in (SUCCEEDED, FAILED):
        return EXPERIMENT_SUCCEEDED if label == SUCCEEDED else EXPERIMENT_FAILED
    if kind is IssueType.MODEL and label == DEPLOY:
        return MODEL_DEPLOY
    if kind is not None and label == kind.value and event.issue.state == "open":
        return _opened_rule(kind)
    return None


def _closed_rule(event: TrackerEvent, kind: IssueType | None) -> str | None:
    issue = event.issue
    if kind is IssueType.ASK:
        return ASK_CLOSED
    if kind is IssueType.MODEL and event.reason == "completed":
        return MODEL_DEPLOY
    if kind is IssueType.EXPERIMENT and not has_label(issue, SUCCEEDED):
        return EXPERIMENT_FAILED
    return None


def ask_number_of(event: TrackerEvent, subject: Issue | None = None) -> int | None:
    """The Ask an event belongs to: the issue itself, or the one its body references."""
    issue = subject or event.issue
    if not event.is_pull_request and issue_type(issue) is IssueType.ASK:
        return issue.number
    return ask_reference(issue.body)


def notices(event: TrackerEvent, context: AskContext, config: NotifyConfig) -> tuple[Notice, ...]:
    rule = rule_for(event)
    audience = config.audiences.get(rule, ()) if rule else ()
    if rule is None or not audience:
        return ()
    scope = _scope(event, rule)
    text = "\n".join(_lines(rule, event, context))
    choices = _choices(rule, event)
    first = rule in FIRST_WORK and context.ask_number is not None
    wider = f"{event.repository}#{context.ask_number}:first-work" if first else ""
    mute = _mute_choice(event, context)
    short = " ".join(_lines(rule, event, context)[:1] + _tldr_lines(rule, event))
    notice = Notice(
        rule, scope, text, tuple(audience), context.ask_number, choices, wider, mute, short
    )
    return (notice,)


def _mute_choice(event: TrackerEvent, context: AskContext) -> tuple[Choice, ...]:
    """Only for an Ask the bot filed: the requester it knows is the one who may mute it."""
    if context.filed is None or context.ask_number is None:
        return ()
    return (Choice(t.MUTE, f"mute {event.repository}#{context.ask_number}"),)


def _scope(event: TrackerEvent, rule: str) -> str:
    if rule in ONCE_PER_ISSUE:
        return f"{event.repository}#{event.issue.number}:{rule}"
    return f"{event.delivery}:{rule}"


def _lines(rule: str, event: TrackerEvent, context: AskContext) -> list[str]:
    issue = event.issue
    lines = [_headline(rule, event)]
    if context.ask_number is not None and context.ask_number != issue.number:
        title = untrusted(context.ask_title)
        lines.append(t.ASK_LINE.format(number=context.ask_number, title=title, url=context.ask_url))
    if rule == MODEL_MERGED and context.subject is not None:
        subject = context.subject
        title = untrusted(subject.title)
        lines.append(t.MODEL_LINE.format(number=subject.number, title=title, url=subject.url))
    lines += _tldr_lines(rule, event)
    step = _next_step(rule, issue).format(number=issue.number, ask=context.ask_number or "<ask#>")
    lines.append(t.NEXT_LINE.format(step=step))
    return lines


def _tldr_lines(rule: str, event: TrackerEvent) -> list[str]:
    if rule not in (EXPERIMENT_SUCCEEDED, EXPERIMENT_FAILED):
        return []
    tldr = untrusted(tldr_of(event.issue.body))
    return [t.TLDR_LINE.format(tldr=tldr) if tldr else t.NO_TLDR]


def _next_step(rule: str, issue: Issue) -> str:
    if rule == WORK_STARTED and issue_type(issue) is IssueType.EXPLORE:
        return t.NEXT_EXPLORE
    return _NEXT[rule]


def _headline(rule: str, event: TrackerEvent) -> str:
    issue = event.issue
    template = _HEADLINES[rule]
    if rule == EXPERIMENT_FAILED and event.kind is EventKind.CLOSED:
        template = t.CLOSED_UNSUCCESSFUL
    kind = issue_type(issue)
    return template.format(
        number=issue.number,
        title=untrusted(issue.title),
        url=issue.url,
        kind=kind.value if kind else "",
        branch=untrusted(event.head_branch),
    )


def _choices(rule: str, event: TrackerEvent) -> tuple[Choice, ...]:
    if rule == EXPERIMENT_SUCCEEDED:
        model = f"model {issue_reference(event.repository, event.issue.number)}"
        return (Choice(t.OPEN_MODEL, model),)
    return ()


_HEADLINES = {
    ASK_OPENED: t.ASK_OPENED,
    DATA_OPENED: t.DATA_OPENED,
    BLOCKED: t.BLOCKED,
    UNBLOCKED: t.UNBLOCKED,
    WORK_STARTED: t.WORK_STARTED,
    EXPERIMENT_SUCCEEDED: t.SUCCEEDED,
    EXPERIMENT_FAILED: t.FAILED,
    MODEL_OPENED: t.MODEL_OPENED,
    MODEL_DEPLOY: t.MODEL_DEPLOY,
    MODEL_MERGED: t.MODEL_MERGED,
    ASK_CLOSED: t.ASK_CLOSED,
}
_NEXT = {
    ASK_OPENED: t.NEXT_ASK_OPENED,
    DATA_OPENED: t.NEXT_DATA_OPENED,
    BLOCKED: t.NEXT_BLOCKED,
    UNBLOCKED: t.NEXT_UNBLOCKED,
    WORK_STARTED: t.NEXT_EXPERIMENT,
    EXPERIMENT_SUCCEEDED: t.NEXT_SUCCEEDED,
    EXPERIMENT_FAILED: t.NEXT_FAILED,
    MODEL_OPENED: t.NEXT_MODEL_OPENED,
    MODEL_DEPLOY: t.NEXT_MODEL_DEPLOY,
    MODEL_MERGED: t.NEXT_MODEL_MERGED,
    ASK_CLOSED: t.NEXT_ASK_CLOSED,
}


def phase_after(event: TrackerEvent, current: str) -> str | None:
    """The Ask's new phase after an event, or None if it stays; phases only move forward."""
    reached = _phase_reached(event)
    if reached is None or _rank(reached) <= _rank(current):
        return None
    return reached


def _phase_reached(event: TrackerEvent) -> str | None:
    rule = rule_for(event)
    if rule in (MODEL_DEPLOY, MODEL_MERGED):
        return "Deploy"
    if rule in (DATA_OPENED, WORK_STARTED, MODEL_OPENED):
        kind = issue_type(event.issue)
        return kind.value if kind else None
    return None


def _rank(phase: str) -> int:
    return PHASES.index(phase) if phase in PHASES else 0
