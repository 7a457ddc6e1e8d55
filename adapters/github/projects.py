"""`projects_v2_item` events: which issue an item holds, asked with the right token.

The event names no repository, only the App installation it was sent for: the item is read
with that installation's token (through a tracker of one of its repositories), or with
GITHUB_TOKEN outside a GitHub App. The worker turns the raw inbox row into the core's
`TrackerEvent` here, after GitHub had its answer; a GitHub failure raises, and the inbox
retries the row later.
"""

from __future__ import annotations

import json

from adapters.github.events import to_project_edit
from adapters.github.structure import TrackerStructures
from bot.lifecycle.events import TrackerEvent
from bot.playbook.edits import ProjectEdits
from bot.playbook.model import ItemContent
from bot.ports import Tracker
from bot.repositories.ports import Registry, Trackers
from storage.inbox import Received


class GitHubProjectItems:
    """`bot.playbook.ports.ProjectItems` over GitHub's GraphQL API."""

    def __init__(self, *, registry: Registry, trackers: Trackers) -> None:
        self._registry = registry
        self._trackers = trackers

    async def content_of(self, *, content_id: str, installation_id: int) -> ItemContent | None:
        tracker = await self._tracker(installation_id)
        structure = TrackerStructures().of(tracker) if tracker else None
        return await structure.content_of(content_id=content_id) if structure else None

    async def _tracker(self, installation_id: int) -> Tracker | None:
        """None for an installation that serves nothing here (not ours to read for)."""
        if not installation_id:
            return self._trackers.default
        for served in await self._registry.served():
            if served.installation_id == installation_id:
                return await self._trackers.for_repository(served.full_name)
        return None


class ProjectRows:
    """The ingest worker's reader for `projects_v2_item` rows."""

    def __init__(self, edits: ProjectEdits) -> None:
        self._edits = edits

    async def __call__(self, received: Received) -> TrackerEvent | None:
        edit = to_project_edit(json.loads(received.payload))
        return await self._edits.event_of(edit, delivery=received.delivery) if edit else None
