"""`data`, `explore`, `experiment` and `model`: opening linked work from chat, and outcomes.

Every command checks the issue it names in the tracker first (it exists, it
is an Ask, or an Experiment), so nobody answers five questions for an issue
that cannot be filed. The kind of `experiment <#>` is decided by the named
issue's label: an Ask opens a new experiment, an Experiment records its
outcome (in one line, or through the short outcome flow).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.commands import Command, Commands, Handler, Request
from bot.conversation.forms import FormSpec
from bot.dslp import ON_HOLD, SUCCEEDED, IssueType
from bot.flows.data import DATA
from bot.flows.experiment import EXPERIMENT
from bot.flows.explore import EXPLORE
from bot.flows.model import MODEL
from bot.flows.outcome import EXPERIMENT_TITLE_KEY, OUTCOME_FLOW
from bot.linked.model import ASK_KEY, EXPERIMENT_KEY
from bot.linked.model import TITLE_KEY as DRAFT_TITLE
from bot.linked.outcome_replies import outcome_replies
from bot.linked.outcomes import OutcomeResult, Recorded, labelled, parse_outcome, record_outcome
from bot.mentions import untrusted
from bot.permissions.model import WRITE
from bot.playbook.hold import Hold, read_until
from bot.playbook.model import Actor
from bot.playbook.service import Playbook
from bot.ports import DraftStore, LinkStore, Tracker, TrackerError
from bot.render.experiment import DESCRIPTION, TLDR, parse_experiment
from bot.render.experiment import TITLE as EXPERIMENT_TITLE
from bot.render.model import DESCRIPTION as MODEL_DESCRIPTION
from bot.render.model import NAME as MODEL_NAME
from bot.render.references import ask_reference
from bot.repositories.homes import REPOSITORY_KEY
from bot.repositories.ports import Trackers
from bot.repositories.references import named_repository, parse_issue
from bot.texts import linked as t
from bot.texts import model as mt
from bot.texts import playbook as pt
from bot.types import Choice, Issue, Person, Place, Reply, Say, frozen_map

CLOSE = "close"
_OUTCOME = re.compile(r"(on[\s_-]*hold|\S+)\s*(.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Start:
    """A checked request to open a flow: which one, with what it refers to and knows already."""

    flow: str
    context: Mapping[str, str]
    prefill: Mapping[str, str] = field(default_factory=frozen_map)
    initial: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """The command's `<#>` looked up: the issue, and the words after the number."""

    issue: Issue
    rest: str
    tracker: Tracker


class LinkedCommands:
    def __init__(
        self,
        *,
        commands: Commands,
        trackers: Trackers,
        links: LinkStore,
        drafts: DraftStore,
        playbook: Playbook | None = None,
    ) -> None:
        self._commands = commands
        self._trackers = trackers
        self._links = links
        self._drafts = drafts
        self._playbook = playbook

    def register(self) -> None:
        for name, usage, summary in (
            (DATA.name, t.DATA_USAGE, t.DATA_SUMMARY),
            (EXPLORE.name, t.EXPLORE_USAGE, t.EXPLORE_SUMMARY),
            (EXPERIMENT.name, t.EXPERIMENT_USAGE, t.EXPERIMENT_SUMMARY),
            (MODEL.name, t.MODEL_USAGE, t.MODEL_SUMMARY),
        ):
            handler = self._handler(name)
            self._commands.register(Command(name, usage, summary, handler, WRITE, named_repository))

    def _handler(self, name: str) -> Handler:
        async def handle(request: Request) -> list[Reply]:
            return await self.run(request, name)

        return handle

    async def run(self, request: Request, name: str) -> list[Reply]:
        """The conversation style: check, then start (or record an outcome at once)."""
        prepared = await self.prepare(
            name, request.args, by=request.person, repository=request.repository
        )
        if not isinstance(prepared, Start):
            return prepared
        other = await self._other_draft(request.person, prepared)
        if other:
            return other
        replies = await self._commands.conversations.start(
            person=request.person,
            place=request.place,
            flow_name=prepared.flow,
            initial=prepared.initial,
            context={**request.context, **prepared.context},
            prefill=prepared.prefill,
        )
        return [Say(note) for note in prepared.notes] + replies

    async def form(
        self, *, person: Person, place: Place, text: str, started_in: Place | None = None
    ) -> FormSpec | list[Reply]:
        """The form style (a Slack modal, a Teams card) for `data 12`, `model 45`, ...

        The same checks as the command; replies instead of a form when they fail,
        when the command needs no form (`experiment 45 failed <TLDR>`), or when
        the person's open draft of that flow is for another issue (the form
        would reopen it, and file the wrong link).

        `started_in`: the channel the command came from, when `place` (where the form's
        answers go) is not it (Slack answers a modal to its owner alone).
        """
        checked = await self._commands.check(person=person, place=started_in or place, text=text)
        if isinstance(checked, list):
            return checked
        name, _, args = text.strip().partition(" ")
        prepared = await self.prepare(
            name.casefold().lstrip("/"), args, by=person, repository=checked.repository
        )
        if not isinstance(prepared, Start):
            return prepared
        other = await self._other_draft(person, prepared)
        if other:
            return other
        spec = await self._commands.conversations.open_form(
            person=person,
            place=place,
            flow_name=prepared.flow,
            prefill=prepared.prefill,
            context=prepared.context,
        )
        return replace(spec, notes=prepared.notes)

    async def prepare(
        self, name: str, args: str, *, by: Person, repository: str = ""
    ) -> Start | list[Reply]:
        """Look the named issue up and decide what to open; replies when that is not possible.

        `repository` is where `#N` points (the command's, from `Commands`; else the default);
        `by` is who asks: an outcome recorded at once is written as them where it can be."""
        usage = {
            DATA.name: t.DATA_USAGE,
            EXPLORE.name: t.EXPLORE_USAGE,
            EXPERIMENT.name: t.EXPERIMENT_USAGE,
            MODEL.name: t.MODEL_USAGE,
        }[name]
        try:
            target = await self._target(name, usage, args, repository)
            if not isinstance(target, Target):
                return target
            if name == MODEL.name:
                return await self._model(target)
            if name == EXPERIMENT.name and labelled(target.issue, IssueType.EXPERIMENT):
                return await self._outcome(target, by)
            return self._for_ask(name, target)
        except TrackerError as error:
            return [Say(error.message)]

    async def _target(
        self, name: str, usage: str, args: str, repository: str
    ) -> Target | list[Reply]:
        word, _, rest = args.strip().partition(" ")
        if not word:
            return [Say(t.NEED_NUMBER.format(usage=usage, name=name))]
        ref = parse_issue(word)
        if ref is None:
            return [Say(t.BAD_NUMBER.format(text=untrusted(word[:40]), usage=usage, name=name))]
        ref = ref.within(repository)
        tracker = await self._tracker(ref.repository)
        issue = await tracker.get_issue(number=ref.number)
        if issue is None:
            return [Say(t.NOT_FOUND.format(number=ref.number, repository=tracker.repository))]
        return Target(issue, rest.strip(), tracker)

    async def _tracker(self, repository: str) -> Tracker:
        """Raises `UnknownRepository` (a TrackerError, said as it is) for one not served."""
        if not repository:
            return self._trackers.default
        return await self._trackers.for_repository(repository)

    def _for_ask(self, name: str, target: Target) -> Start | list[Reply]:
        issue = target.issue
        if not labelled(issue, IssueType.ASK):
            text = t.NOT_ASK_OR_EXPERIMENT if name == EXPERIMENT.name else t.NOT_ASK
            return [Say(text.format(name=name, **_described(issue)))]
        notes = [t.FOR_ASK.format(number=issue.number, title=untrusted(issue.title))]
        if issue.state == "closed":
            notes.append(t.CLOSED_ASK.format(number=issue.number))
        kind = IssueType(name.capitalize())
        context = {
            ASK_KEY: str(issue.number),
            DRAFT_TITLE: _draft_title(kind, issue.number),
            REPOSITORY_KEY: target.tracker.repository,
        }
        return Start(name, frozen_map(context), initial=target.rest, notes=tuple(notes))

    async def _outcome(self, target: Target, by: Person) -> Start | list[Reply]:
        """`experiment 45`: the short flow; `experiment 45 failed <TLDR>`: recorded at once;
        `experiment 45 close` (offered once its Model is open): closed as completed."""
        issue, tracker = target.issue, target.tracker
        login = await self._trackers.voice(tracker.repository, by.member)
        actor = Actor(by.name, by.platform, login)
        if target.rest.casefold() == CLOSE and self._playbook is not None:
            writer = await self._trackers.writer(tracker.repository, by.member)
            closed = await self._playbook.close_experiment(writer, issue=issue, actor=actor)
            return [Say(closed)]
        if target.rest:
            match = _OUTCOME.fullmatch(target.rest)
            word, tldr = (match.group(1), match.group(2)) if match else (target.rest, "")
            hold = read_until(tldr) if parse_outcome(word) == ON_HOLD else Hold(None, tldr)
            bad_day = _bad_hold(hold)
            if bad_day:
                return [Say(bad_day)]
            writer = await self._trackers.writer(tracker.repository, by.member)
            result = await record_outcome(
                writer,
                self._links,
                number=issue.number,
                outcome=word,
                tldr=hold.rest,
                by=actor.name,
                platform=actor.platform,
                login=actor.login,
                playbook=self._playbook,
                until=hold.until,
            )
            held = (pt.HELD_UNTIL.format(day=hold.until.isoformat()),) if hold.until else ()
            return outcome_replies(replace(result, notes=result.notes + held), tracker.repository)
        refused = _closed_refusal(issue, tracker.repository)
        if refused:
            return refused
        context = {
            REPOSITORY_KEY: tracker.repository,
            EXPERIMENT_KEY: str(issue.number),
            EXPERIMENT_TITLE_KEY: untrusted(issue.title),
            DRAFT_TITLE: t.OUTCOME_TITLE.format(number=issue.number),
        }
        return Start(OUTCOME_FLOW.name, frozen_map(context))

    async def _model(self, target: Target) -> Start | list[Reply]:
        issue = target.issue
        if not labelled(issue, IssueType.EXPERIMENT):
            return [Say(t.NOT_EXPERIMENT.format(**_described(issue)))]
        ask = ask_reference(issue.body) or await self._stored_ask(target)
        if ask is None:
            return [Say(t.NO_ASK_REFERENCE.format(number=issue.number))]
        notes = () if labelled(issue, SUCCEEDED) else (_not_succeeded(issue),)
        context = {
            REPOSITORY_KEY: target.tracker.repository,
            ASK_KEY: str(ask),
            EXPERIMENT_KEY: str(issue.number),
            DRAFT_TITLE: _draft_title(IssueType.MODEL, ask),
        }
        return Start(MODEL.name, frozen_map(context), _model_prefill(issue), notes=notes)

    async def _stored_ask(self, target: Target) -> int | None:
        repository, number = target.tracker.repository, target.issue.number
        known = await self._links.get(repository=repository, number=number)
        return known.ask_number if known and known.ask_number else None

    async def _other_draft(self, person: Person, start: Start) -> list[Reply]:
        """An open draft of this flow for another issue: resuming it would file the wrong link."""
        open_draft = await self._drafts.get_open(owner=person.key, flow=start.flow)
        if open_draft is None:
            return []
        keys = (REPOSITORY_KEY, ASK_KEY, EXPERIMENT_KEY)
        theirs = {k: open_draft.context.get(k) for k in keys}
        if theirs == {k: start.context.get(k) for k in keys}:
            return []
        other = theirs[EXPERIMENT_KEY] or theirs[ASK_KEY] or "?"
        number = start.context.get(EXPERIMENT_KEY) or start.context.get(ASK_KEY) or "?"
        title = open_draft.context.get(DRAFT_TITLE, start.flow)
        text = t.OTHER_DRAFT.format(flow=start.flow, title=title, other=other, number=number)
        choices = (Choice(t.CHOICE_RESUME, "resume"), Choice(t.CHOICE_DISCARD, "cancel"))
        return [Say(text, choices)]


def _bad_hold(hold: Hold) -> str:
    """A day that is not one, or not after today, said before anything changes in GitHub."""
    if hold.bad:
        return pt.BAD_HOLD_DATE.format(text=untrusted(hold.bad[:40]))
    if hold.until is not None and hold.until <= datetime.now(UTC).date():
        return pt.PAST_HOLD_DATE.format(day=hold.until.isoformat())
    return ""


def _closed_refusal(issue: Issue, repository: str) -> list[Reply]:
    """A closed experiment cannot get a new outcome from the flow either: say so up front."""
    if issue.state != "closed":
        return []
    return outcome_replies(OutcomeResult(Recorded.CLOSED, issue.number, issue=issue), repository)


def _described(issue: Issue) -> dict[str, object]:
    labels = ", ".join(sorted(issue.labels)) or t.NO_LABELS
    return {"number": issue.number, "title": untrusted(issue.title), "labels": untrusted(labels)}


def _draft_title(kind: IssueType, ask: int) -> str:
    return t.DRAFT_TITLE.format(kind=kind.value, number=ask)


def _not_succeeded(issue: Issue) -> str:
    state = ", ".join(sorted(issue.labels)) if issue.labels else issue.state
    return t.NOT_SUCCEEDED.format(number=issue.number, state=untrusted(state))


def _model_prefill(issue: Issue) -> Mapping[str, str]:
    """Name and description from the experiment, with its TLDR: the hand-off in one click."""
    found = parse_experiment(issue.title, issue.body)
    description = found.get(DESCRIPTION, "")
    tldr = found.get(TLDR, "")
    if tldr:
        description = mt.PREFILL_DESCRIPTION.format(description=description, tldr=tldr).strip()
    prefill = {MODEL_NAME: found.get(EXPERIMENT_TITLE, ""), MODEL_DESCRIPTION: description}
    return frozen_map({key: value for key, value in prefill.items() if value})
