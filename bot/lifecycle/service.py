"""Receiving one tracker event: look up its context, apply the rules, record it all at once.

This is the single path for every event, whoever caused it (a person in
GitHub, or the bot filing an Ask or setting a label): the webhook and the
poller call `receive`, command handlers never notify directly. Nothing is
sent here; deliveries are written to the journal in the same transaction as
the event and a worker sends them, so a crash in between loses nothing.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.lifecycle.audience import Delivery, Directory, Recording, plan
from bot.lifecycle.events import KnownIssue, TrackerEvent, model_issue_number
from bot.lifecycle.prefetch import FetchedAsks, FetchedJournal
from bot.lifecycle.rules import (
    ASSIGNEES,
    WATCHERS,
    AskContext,
    Notice,
    NotifyConfig,
    ask_number_of,
    notices,
    phase_after,
)
from bot.people.snapshot import PeopleSnapshot
from bot.ports import AskStore, EventJournal, PeopleStore, Tracker, TrackerError
from bot.render.references import ASK_REFERENCE
from bot.repositories.ports import Trackers
from bot.types import Issue, Place

log = logging.getLogger(__name__)
LOOKUP_SECONDS = 2.0
_ISSUE_PATH = re.compile(r"/(?:issues|pull)/\d+$")


@dataclass(frozen=True)
class Receipt:
    recorded: bool
    deliveries: int = 0


class Lifecycle:
    def __init__(
        self,
        *,
        asks: AskStore,
        people: PeopleStore,
        journal: EventJournal,
        trackers: Trackers,
        config: NotifyConfig,
        repository: str = "",
    ) -> None:
        """`repository` is the one always watched (GITHUB_REPOSITORY), the default tracker's
        unless given; an issue is read through the tracker of its own repository."""
        self._home = repository or trackers.default.repository
        self._asks = asks
        self._people = people
        self._journal = journal
        self._trackers = trackers
        self._config = config

    def for_batch(self) -> Lifecycle:
        """The same lifecycle, reading who-is-who once for a batch of events (see snapshot)."""
        batch = copy.copy(self)
        batch._people = PeopleSnapshot(self._people)
        return batch

    async def for_round(self, events: Sequence[TrackerEvent]) -> Lifecycle:
        """The same lifecycle, with what these events read first fetched together.

        For events of different Asks only (bot.lifecycle.prefetch explains why).
        Each repository's roles and channels are read here, once, into the
        batch's who-is-who (`for_batch`), before the events look them up side
        by side (each would miss it and read them itself).
        """
        events = [self._ours(event) for event in events]
        for repository in {event.repository for event in events}:
            await self._people.roles_everywhere(repository=repository)
            await self._people.channels(repository=repository)
        round_ = copy.copy(self)
        round_._journal = await FetchedJournal.fetch(self._journal, events)
        round_._asks = await FetchedAsks.fetch(self._asks, events)
        return round_

    async def watches(self, repository: str) -> bool:
        """Events of other repositories are none of our business (ignored quietly)."""
        if repository.casefold() == self._home.casefold():
            return True
        return await self._people.is_subscribed(repository=repository)

    async def receive(self, event: TrackerEvent) -> Receipt:
        recording = await self.decide(event)
        if recording is None:
            return Receipt(recorded=False)
        recorded = await self._journal.record(
            event=recording.event,
            ask_number=recording.ask_number,
            deliveries=recording.deliveries,
            phase=recording.phase,
        )
        if recorded:
            _log_recorded(recording)
        return Receipt(recorded=recorded, deliveries=len(recording.deliveries) if recorded else 0)

    async def decide(self, event: TrackerEvent) -> Recording | None:
        """What the event causes, from reads alone; None when it was recorded before."""
        event = self._ours(event)
        if await self._journal.seen(delivery=event.delivery):
            return None
        context = await self._context(event)
        found = notices(event, context, self._config)
        deliveries = [d for notice in found for d in await self._plan(notice, event, context)]
        phase = phase_after(event, context.filed.phase) if context.filed else None
        return Recording(event, context.ask_number, tuple(deliveries), phase)

    async def record_all(self, recordings: Sequence[Recording]) -> set[str]:
        """Write decided events in one transaction; the delivery ids that were new."""
        recorded = await self._journal.record_all(recordings=recordings)
        for recording in recordings:
            if recording.event.delivery in recorded:
                _log_recorded(recording)
        return recorded

    def _ours(self, event: TrackerEvent) -> TrackerEvent:
        """GitHub ignores the case of a repository's name; our keys do not."""
        if event.repository.casefold() == self._home.casefold():
            return replace(event, repository=self._home)
        return event

    async def _plan(
        self, notice: Notice, event: TrackerEvent, context: AskContext
    ) -> list[Delivery]:
        directory = await self._directory(notice, event, context)
        issue = context.subject or event.issue
        config = self._config
        return list(plan(notice, issue=issue, context=context, directory=directory, config=config))

    async def _directory(
        self, notice: Notice, event: TrackerEvent, context: AskContext
    ) -> Directory:
        repository = event.repository
        logins = [context.ask_author]
        if ASSIGNEES in notice.audience:
            logins += list((context.subject or event.issue).assignees)
        watchers: tuple[Place, ...] = ()
        if WATCHERS in notice.audience and context.ask_number is not None:
            found = await self._journal.watchers(
                repository=repository, ask_number=context.ask_number
            )
            watchers = tuple(found)
        return Directory(
            roles=await self._people.roles_everywhere(repository=repository),
            logins=await self._people.linked_everywhere(logins=[x for x in logins if x]),
            channels=tuple(await self._people.channels(repository=repository)),
            watchers=watchers,
        )

    async def _context(self, event: TrackerEvent) -> AskContext:
        subject = await self._subject(event)
        number = ask_number_of(event, subject)
        if number is None:
            return AskContext(subject=subject)
        filed = await self._asks.by_number(repository=event.repository, number=number)
        known = await self._ask_issue(event, number)
        return AskContext(
            ask_number=number,
            ask_title=filed.title if filed else known.title if known else "",
            ask_url=filed.issue_url
            if filed
            else known.url
            if known
            else _sibling_url(event, number),
            ask_author=known.author if known else "",
            filed=filed,
            subject=subject,
        )

    async def _subject(self, event: TrackerEvent) -> Issue | None:
        """For a merged `model/<n>-...` branch: Model issue n, whose body names the Ask."""
        number = model_issue_number(event.head_branch) if event.is_pull_request else None
        if number is None:
            return None
        return await self._lookup(event.repository, number)

    async def _ask_issue(self, event: TrackerEvent, number: int) -> Issue | None:
        if not event.is_pull_request and event.issue.number == number:
            return event.issue
        return await self._lookup(event.repository, number)

    async def _lookup(self, repository: str, number: int) -> Issue | None:
        """The journal first (no request to GitHub); the tracker, briefly, when it never saw it."""
        known = await self._journal.known_issue(repository=repository, number=number)
        if known is not None:
            return _issue_of(known)
        try:
            tracker = await self._tracker_of(repository)
            return await asyncio.wait_for(tracker.get_issue(number=number), LOOKUP_SECONDS)
        except (TrackerError, TimeoutError) as error:
            log.info("could not look up %s#%s: %s", repository, number, error)
            return None

    async def _tracker_of(self, repository: str) -> Tracker:
        """GITHUB_REPOSITORY's is the default tracker (offline, the local one stands in for
        it); any other is its own, and one the bot does not serve raises `UnknownRepository`."""
        if repository.casefold() == self._home.casefold():
            return self._trackers.default
        return await self._trackers.for_repository(repository)


def _log_recorded(recording: Recording) -> None:
    event, count = recording.event, len(recording.deliveries)
    log.info(
        "event %s (%s #%s): %d deliveries", event.delivery, event.kind, event.issue.number, count
    )


def _issue_of(known: KnownIssue) -> Issue:
    """Enough of an issue for the rules: its Ask reference survives as a body line."""
    body = ASK_REFERENCE.format(number=known.ask_number) if known.ask_number else ""
    labels = frozenset({known.kind}) if known.kind else frozenset()
    return Issue(known.number, known.title, body, known.url, labels=labels, author=known.author)


def _sibling_url(event: TrackerEvent, number: int) -> str:
    return _ISSUE_PATH.sub(f"/issues/{number}", event.issue.url) if event.issue.url else ""
