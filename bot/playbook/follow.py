"""Issues opened by hand in GitHub that name an Ask become its sub-issues when their event arrives.

Also the bot's own issues pass here (their `opened` webhook races the filing step): the
sub-issue is then there already, and nothing changes.
"""

from __future__ import annotations

from bot.dslp import IssueType
from bot.lifecycle.events import EventKind, TrackerEvent, issue_type
from bot.playbook.service import Playbook
from bot.render.references import ask_reference
from bot.repositories.ports import Trackers

CHILD_TYPES = frozenset({IssueType.DATA, IssueType.EXPLORE, IssueType.EXPERIMENT, IssueType.MODEL})


class HandOpened:
    def __init__(self, *, playbook: Playbook, trackers: Trackers) -> None:
        self._playbook = playbook
        self._trackers = trackers

    async def __call__(self, event: TrackerEvent) -> None:
        ask = _ask_of(event)
        if ask is None:
            return
        tracker = await self._trackers.for_repository(event.repository)
        await self._playbook.hand_opened(tracker, issue=event.issue, ask=ask)


def _ask_of(event: TrackerEvent) -> int | None:
    """Opened, or given its type label (labels dropped on create come right after), while open."""
    if event.is_pull_request or event.issue.state != "open":
        return None
    kind = issue_type(event.issue)
    if kind not in CHILD_TYPES:
        return None
    if event.kind is EventKind.LABELED and event.label != kind:
        return None
    if event.kind not in (EventKind.OPENED, EventKind.LABELED):
        return None
    return ask_reference(event.issue.body)
