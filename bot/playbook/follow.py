"""What the playbook does after the lifecycle recorded an event (webhook or poller, whoever
caused it: a person in GitHub, or the bot's own step from chat).

- Issues opened by hand in GitHub that name an Ask become its sub-issues. The bot's own
  issues pass here too (their `opened` webhook races the filing step): the sub-issue is then
  there already, and nothing changes.
- A transition moves the issue's Project field to its new value (`phases.py`). Each event is
  recorded once, so this runs once per event; and GitHub keeps a value set twice once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.dslp import IssueType
from bot.lifecycle.events import EventKind, TrackerEvent, issue_type
from bot.playbook.phases import phase_after
from bot.playbook.service import Playbook
from bot.render.references import ask_reference
from bot.repositories.ports import Trackers

log = logging.getLogger(__name__)
Follow = Callable[[TrackerEvent], Awaitable[None]]
"""What runs after an event is recorded for the first time (the ingest worker calls it)."""
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


class ProjectPhase:
    def __init__(self, *, playbook: Playbook, trackers: Trackers) -> None:
        self._playbook = playbook
        self._trackers = trackers

    async def __call__(self, event: TrackerEvent) -> None:
        phase = None if event.from_project or event.is_pull_request else phase_after(event)
        if phase is None:
            return  # no move, or one made on the Project itself (it shows there already)
        tracker = await self._trackers.for_repository(event.repository)
        await self._playbook.phase_moved(tracker, number=event.issue.number, phase=phase)


class Following:
    """Each follow in turn; one that fails is logged and the next still runs."""

    def __init__(self, follows: Sequence[Follow]) -> None:
        self._follows = tuple(follows)

    async def __call__(self, event: TrackerEvent) -> None:
        for follow in self._follows:
            try:
                await follow(event)
            except Exception as error:
                log.warning("following %s failed: %r", event.delivery, error)


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
