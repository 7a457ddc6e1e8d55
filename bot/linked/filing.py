"""After a linked issue is filed: its branch into its body, its line in the Ask, its record.

One hook for every kind (the differences are data in `LinkedKind`). Each
step is idempotent, so when filing is retried after a crash the hook runs
again and changes nothing that is already done.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from bot.dslp import IssueType, branch_name
from bot.filing import AfterFiled
from bot.linked.bodies import Edited, edit_body, list_in_ask
from bot.linked.model import ASK_KEY, EXPERIMENT_KEY, LinkedKind, context_number
from bot.linked.records import OPEN, LinkedIssue
from bot.playbook.model import Actor
from bot.playbook.service import Note, Playbook
from bot.ports import LinkStore, Tracker
from bot.render import BodyTooLong, LinkSection
from bot.render.link_lists import Link
from bot.render.references import with_branch
from bot.repositories.homes import owner_voice, tracker_for
from bot.repositories.ports import Trackers
from bot.texts import linked as t
from bot.types import Draft, Issue


class LinkedFiling:
    def __init__(
        self,
        *,
        trackers: Trackers,
        links: LinkStore,
        kinds: Mapping[str, LinkedKind],
        playbook: Playbook | None = None,
    ) -> None:
        """`playbook`: the sub-issue, the linked branch and the success steps in GitHub."""
        self._trackers = trackers
        self._links = links
        self._kinds = kinds
        self._playbook = playbook

    def hooks(self) -> dict[str, AfterFiled]:
        """For `Filer(after_filed=...)`: the same hook under every linked flow's name."""
        return {name: self.after_filed for name in self._kinds}

    async def after_filed(self, draft: Draft, issue: Issue) -> tuple[Note, ...]:
        """The branch exists only now that the issue has its number: one edit adds it."""
        kind = self._kinds[draft.flow]
        branch = branch_name(kind.kind, issue.number, draft.answers.get(kind.slug_key, issue.title))
        tracker = await tracker_for(self._trackers, draft, as_owner=True)
        await edit_body(tracker, number=issue.number, change=partial(with_branch, branch=branch))
        ask = context_number(draft, ASK_KEY)
        notes: list[Note] = [t.BRANCH.format(branch=branch)]
        if ask and kind.section is not None:
            notes.append(await self._list(tracker, ask, kind.section, issue))
        record = _record(draft, kind, issue, ask or 0, branch, tracker.repository)
        await self._links.record(link=record)
        return (*notes, *await self._steps(draft, kind, tracker, issue, branch))

    async def _steps(
        self, draft: Draft, kind: LinkedKind, tracker: Tracker, issue: Issue, branch: str
    ) -> tuple[Note, ...]:
        """The playbook in GitHub: sub-issue and branch; for a Model, the experiment's PR."""
        if self._playbook is None:
            return ()
        login = await owner_voice(self._trackers, draft)
        actor = Actor(draft.owner_name, draft.origin.platform, login)
        ask = context_number(draft, ASK_KEY)
        work = await self._playbook.new_work(
            tracker, issue=issue, ask=ask, branch=branch, actor=actor, phase=kind.kind.value
        )
        experiment = context_number(draft, EXPERIMENT_KEY)
        if kind.kind is not IssueType.MODEL or experiment is None:
            return work.notes
        ready = branch if work.branch_ready else ""
        return work.notes + await self._playbook.model_opened(
            tracker, model=issue, model_branch=ready, experiment=experiment, actor=actor
        )

    async def _list(self, tracker: Tracker, ask: int, section: LinkSection, issue: Issue) -> str:
        link = Link(issue.number, issue.title, OPEN)
        try:
            result = await list_in_ask(
                tracker, ask=ask, section=section, link=link, keep_status=True
            )
        except BodyTooLong as error:
            return t.ASK_NOT_UPDATED.format(number=ask, reason=error.message)
        if result.ok:
            return t.ASK_LISTED.format(number=ask)
        reason = t.ASK_GONE if result.status is Edited.MISSING else t.ASK_CHANGED
        return t.ASK_NOT_UPDATED.format(number=ask, reason=reason)


def _record(
    draft: Draft, kind: LinkedKind, issue: Issue, ask: int, branch: str, repository: str
) -> LinkedIssue:
    return LinkedIssue(
        repository=repository,
        number=issue.number,
        kind=kind.kind,
        ask_number=ask,
        title=issue.title,
        experiment_number=context_number(draft, EXPERIMENT_KEY),
        branch=branch,
        draft_id=draft.id,
        url=issue.url,
    )
