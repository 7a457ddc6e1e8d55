"""A Project field a person changed in GitHub, read as a DSLP transition.

The `projects_v2_item` event names no repository: the item's issue is looked up (with the
token that received the event), and the edit counts only where that issue's repository is
served and chose this very Project. It then becomes the label change of the same name on
that issue, so the lifecycle's rules, once-per-issue keys and hand-off pings apply as they
do to labels; anything else (another field, a draft issue, a pull request, an option that is
no DSLP label, another Project) is dropped quietly.

Editing a Project item needs write access to the Project, not to the repository: the edit's
author must also have what a label change needs there (triage, as GitHub says), or the edit
is dropped with a log line and nobody is pinged. GitHub not saying is retried like any lookup.
"""

from __future__ import annotations

import logging

from bot.lifecycle.events import EventKind, TrackerEvent
from bot.permissions.model import Access
from bot.permissions.service import Permissions
from bot.playbook.model import ProjectEdit, ProjectRef
from bot.playbook.phases import label_for
from bot.playbook.ports import ProjectItems
from bot.playbook.service import Playbook
from bot.repositories.ports import Trackers
from bot.repositories.service import UnknownRepository

log = logging.getLogger(__name__)

LABELS = Access.TRIAGE
"""What GitHub asks of a person who changes an issue's labels."""


class ProjectEdits:
    def __init__(
        self,
        *,
        playbook: Playbook,
        items: ProjectItems,
        trackers: Trackers,
        permissions: Permissions,
    ) -> None:
        self._playbook = playbook
        self._items = items
        self._trackers = trackers
        self._permissions = permissions

    def wanted(self, edit: ProjectEdit) -> bool:
        """The field the bot keeps, set to an option that is a DSLP label (no lookup)."""
        same_field = edit.field.casefold() == self._playbook.project_field.casefold()
        return same_field and label_for(edit.option) is not None

    async def watches(self, project: ProjectRef) -> bool:
        return await self._playbook.watches_project(project)

    async def event_of(self, edit: ProjectEdit, *, delivery: str) -> TrackerEvent | None:
        """The label change the edit stands for, or None. GitHub failing raises (retried)."""
        label = label_for(edit.option)
        if label is None or not self.wanted(edit):
            return None
        content = await self._items.content_of(
            content_id=edit.content_id, installation_id=edit.installation_id
        )
        if content is None:
            return None
        chosen = await self._playbook.project_of(content.repository)
        if chosen is None or chosen.key != edit.project.key:
            return None
        try:
            tracker = await self._trackers.for_repository(content.repository)
        except UnknownRepository:
            return None  # a repository the bot does not serve
        if not await self._permissions.allows(
            login=edit.actor, repository=tracker.repository, access=LABELS
        ):
            log.info(
                "Project edit %s dropped: %s may not change labels in %s",
                delivery,
                edit.actor or "nobody",
                tracker.repository,
            )
            return None
        issue = await tracker.get_issue(number=content.number)
        if issue is None:
            return None
        return TrackerEvent(
            delivery=delivery,
            kind=EventKind.LABELED,
            repository=tracker.repository,
            issue=issue,
            label=label,
            actor=edit.actor,
            from_project=True,
        )
