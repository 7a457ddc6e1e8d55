"""The playbook's steps: what the DSLP asks to happen in GitHub after each move in chat.

Each step reads before it writes (a sub-issue already there, a branch already
linked, a pull request no longer open), so pressing twice, a webhook racing a
button, or a retry after a lost answer changes GitHub once. A step that changed
something leaves a comment saying who did it from where; one that GitHub refused
becomes a note for the person, and the other steps still run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from bot.playbook.model import (
    Actor,
    Attached,
    Linked,
    Placed,
    ProjectRef,
    PullRequest,
    parse_project,
)
from bot.playbook.ports import PlaybookStore, Structure, Structures
from bot.ports import Tracker, TrackerError
from bot.render.escaping import escape_inline
from bot.render.references import branch_of
from bot.render.user_text import clean_line
from bot.texts import playbook as t
from bot.types import Choice, Issue, Say

log = logging.getLogger(__name__)
T = TypeVar("T")
Note = str | Say
"""What a step tells the person: a sentence, or a question with buttons."""


@dataclass(frozen=True)
class NewWork:
    """What filing new work did: notes for the person, and whether its branch is there."""

    notes: tuple[Note, ...] = ()
    branch_ready: bool = False


def by_line(actor: Actor) -> str:
    """`by Zoë from Slack` (`by Zoë (@zoe-gh, verified) from Slack` when the bot's token
    writes for a verified person), escaped for GitHub Markdown."""
    name = escape_inline(clean_line(actor.name)) or "?"
    if actor.login:
        login = verified_handle(actor.login)
        return t.BY_VERIFIED.format(name=name, login=login, surface=actor.surface)
    return t.BY.format(name=name, surface=actor.surface)


def verified_handle(login: str) -> str:
    """`@ana-gh` as it reads in GitHub, escaped for Markdown; the mention is neutralised, so
    naming who a write was for does not notify them of their own action."""
    return escape_inline("@" + clean_line(login))


class Playbook:
    def __init__(
        self,
        *,
        structures: Structures,
        store: PlaybookStore,
        project: str = "",
        project_field: str = "Status",
    ) -> None:
        """`project`: DSLP_PROJECT (`owner/number`), where a repository chose none."""
        self._structures = structures
        self._store = store
        self._project = project
        self._field = project_field
        self._unseen: set[str] = set()
        """Projects already said to be out of the token's sight (said once per process)."""

    @property
    def project_field(self) -> str:
        return self._field

    async def project_of(self, repository: str) -> ProjectRef | None:
        """The repository's own Project, else DSLP_PROJECT, else None; None too when that
        Project has another owner than the repository (`ProjectRef.owned_with`)."""
        chosen = await self.chosen_project(repository)
        return chosen if chosen is not None and chosen.owned_with(repository) else None

    async def chosen_project(self, repository: str) -> ProjectRef | None:
        """The repository's own Project, else DSLP_PROJECT, else None, whoever owns it."""
        chosen = await self._store.project(repository=repository) or self._project
        return parse_project(chosen) if chosen else None

    async def watches_project(self, project: ProjectRef) -> bool:
        """Whether a served repository (or DSLP_PROJECT) chose this Project: others are
        none of the bot's business."""
        configured = parse_project(self._project) if self._project else None
        if configured is not None and configured.key == project.key:
            return True
        return bool(await self._store.repositories_of(project=str(project)))

    async def phase_moved(self, tracker: Tracker, *, number: int, phase: str) -> Placed | None:
        """The issue's Project field set to its new `phase` (GitHub keeps a value set twice
        once); None without a Project. A Project the token cannot see is logged once."""
        structure = self._structures.of(tracker)
        project = await self.project_of(tracker.repository)
        if structure is None or project is None:
            return None
        placed = await structure.place_in_project(
            project=project, field=self._field, number=number, phase=phase
        )
        if placed is Placed.MISSING and project.key not in self._unseen:
            self._unseen.add(project.key)
            log.warning(t.PROJECT_MISSING.format(project=project))
        return placed

    async def new_work(
        self,
        tracker: Tracker,
        *,
        issue: Issue,
        ask: int | None,
        branch: str,
        actor: Actor,
        phase: str = "",
    ) -> NewWork:
        """Sub-issue of its Ask, its DSLP branch linked, on the Project in its `phase`;
        one comment for what was done."""
        structure = self._structures.of(tracker)
        if structure is None:
            return NewWork()
        notes: list[Note] = []
        linked: Linked | None = None
        done: list[str] = []
        if ask:
            attached = await _step(notes, t.STEP_SUB_ISSUE, self._attach(structure, ask, issue))
            if attached is Attached.ADDED:
                done.append(t.SUB_ISSUE_DONE.format(ask=ask))
        if branch and await self._store.branches_on(repository=tracker.repository):
            linked = await _step(notes, t.STEP_BRANCH, structure.link_branch(
                number=issue.number, branch=branch))  # fmt: skip
            notes += await self._branch_notes(tracker.repository, issue.number, branch, linked)
            if linked is Linked.CREATED:
                done.append(t.BRANCH_DONE.format(branch=branch))
        done += await self._place(tracker, structure, issue.number, phase, notes)
        if done:
            await tracker.comment(number=issue.number, body=_comment(done, by_line(actor)))
        return NewWork(tuple(notes), linked in (Linked.CREATED, Linked.ALREADY))

    async def _place(
        self, tracker: Tracker, structure: Structure, number: int, phase: str, notes: list[Note]
    ) -> list[str]:
        project = await self.project_of(tracker.repository)
        if project is None or not phase:
            return []
        placed = await _step(notes, t.STEP_PROJECT, structure.place_in_project(
            project=project, field=self._field, number=number, phase=phase))  # fmt: skip
        if placed is Placed.MISSING:
            notes.append(t.PROJECT_MISSING.format(project=project))
        if placed is Placed.PHASED:
            return [t.PROJECT_DONE.format(project=project, field=self._field, phase=phase)]
        return [t.PROJECT_ADDED.format(project=project)] if placed is Placed.ADDED else []

    async def hand_opened(self, tracker: Tracker, *, issue: Issue, ask: int) -> bool:
        """An issue opened in GitHub with an Ask reference: made its sub-issue (webhook path)."""
        structure = self._structures.of(tracker)
        if structure is None:
            return False
        attached = await self._attach(structure, ask, issue)
        if attached is Attached.ADDED:
            text = _comment([t.SUB_ISSUE_DONE.format(ask=ask)], t.HAND_OPENED_BY)
            await tracker.comment(number=issue.number, body=text)
        return attached is Attached.ADDED

    async def _attach(self, structure: Structure, ask: int, issue: Issue) -> Attached:
        child = await structure.issue_id(number=issue.number)
        if child is None or ask == issue.number:
            return Attached.UNSUPPORTED
        return await structure.add_sub_issue(parent=ask, child_id=child)

    async def _branch_notes(
        self, repository: str, number: int, branch: str, linked: Linked | None
    ) -> list[Note]:
        if linked in (Linked.CREATED, Linked.ALREADY):
            return [t.BRANCH_CREATED.format(branch=branch)]
        if linked is Linked.TAKEN:
            return [t.BRANCH_TAKEN.format(branch=branch, number=number)]
        if linked is Linked.REFUSED and not await self._store.refusal_told(repository=repository):
            return [t.BRANCH_REFUSED.format(repository=repository, branch=branch)]
        return []

    async def experiment_failed(
        self, tracker: Tracker, *, experiment: Issue, tldr: str, actor: Actor
    ) -> tuple[str, ...]:
        """Its open pull requests closed unmerged, each with a comment carrying the TLDR."""
        structure = self._structures.of(tracker)
        branch = branch_of(experiment.body)
        if structure is None or not branch:
            return ()
        notes: list[Note] = []
        pulls = await _step(notes, t.STEP_PULL, structure.open_pulls(head=branch)) or ()
        for pull in pulls:
            text = t.PULL_CLOSED.format(
                number=experiment.number, by=by_line(actor), tldr=escape_inline(clean_line(tldr))
            )
            await tracker.comment(number=pull.number, body=text)
            if await _step(notes, t.STEP_PULL, structure.close_pull(number=pull.number)):
                notes.append(t.PULL_CLOSED_NOTE.format(number=pull.number))
        return tuple(note for note in notes if isinstance(note, str))

    async def model_opened(
        self, tracker: Tracker, *, model: Issue, model_branch: str, experiment: int, actor: Actor
    ) -> tuple[Note, ...]:
        """The experiment's open pull request retargeted to the Model's branch; offer to close it.

        The DSLP: a succeeded experiment's pull request goes on into `model/<n>-...`.
        `model_branch` is empty when the Model got no branch (off, or refused).
        """
        structure = self._structures.of(tracker)
        found = await tracker.get_issue(number=experiment)
        if structure is None or found is None:
            return ()
        notes: list[Note] = []
        branch = branch_of(found.body)
        pulls = await _step(notes, t.STEP_PULL, structure.open_pulls(head=branch)) if branch else ()
        for pull in pulls or ():
            if pull.base != model_branch:
                move = _Move(tracker, structure, model.number, model_branch, experiment, actor)
                said = await move.retarget(pull, notes)
                notes += [said] if said else []
        if found.state == "open":
            close = Choice(t.CHOICE_CLOSE, f"experiment {experiment} close")
            notes.append(Say(t.OFFER_CLOSE.format(number=experiment), (close,)))
        return tuple(notes)

    async def close_experiment(self, tracker: Tracker, *, issue: Issue, actor: Actor) -> str:
        """`experiment 45 close`: closed as completed, once, with who did it."""
        if issue.state == "closed":
            return t.ALREADY_CLOSED.format(number=issue.number)
        await tracker.edit_issue(number=issue.number, state="closed")
        await tracker.comment(
            number=issue.number, body=t.EXPERIMENT_CLOSED.format(by=by_line(actor))
        )
        return t.CLOSED_EXPERIMENT.format(number=issue.number)


@dataclass(frozen=True)
class _Move:
    """Moving a succeeded experiment's pull request on to its Model's branch."""

    tracker: Tracker
    structure: Structure
    model: int
    branch: str
    experiment: int
    actor: Actor

    async def retarget(self, pull: PullRequest, notes: list[Note]) -> str:
        """The note to give; a retarget GitHub refused adds its own note to `notes`."""
        if not self.branch:
            return t.NO_MODEL_BRANCH.format(
                experiment=self.experiment, number=pull.number, base=pull.base
            )
        moved = await _step(
            notes, t.STEP_PULL, self.structure.retarget_pull(number=pull.number, base=self.branch)
        )
        if moved is None:
            return ""
        text = t.PULL_RETARGETED.format(
            branch=self.branch, model=self.model, number=self.experiment, by=by_line(self.actor)
        )
        await self.tracker.comment(number=pull.number, body=text)
        return t.PULL_RETARGETED_NOTE.format(
            experiment=self.experiment, number=pull.number, branch=self.branch
        )


def _comment(done: list[str], by: str) -> str:
    """The steps done, joined, the first letter raised, and who did them."""
    steps = "; ".join(done)
    return t.COMMENT.format(steps=steps[:1].upper() + steps[1:], by=by)


async def _step(notes: list[Note], step: str, call: Awaitable[T]) -> T | None:
    """One GitHub step; a refusal becomes a note and the next steps still run."""
    try:
        return await call
    except TrackerError as error:
        log.info("playbook step %s failed: %s", step, error.message)
        notes.append(t.STEP_FAILED.format(step=step, reason=error.message))
        return None
