"""Polling GitHub for teams that cannot expose a webhook (DSLP_GITHUB_POLL_SECONDS > 0).

Two conditional GETs per round, each with the ETag of the last answer: the
repository's issue events (labeled, unlabeled, closed, reopened) and its
newest issues (GitHub's events API has no `opened`), for every served
repository in turn (`ServedPoller`). Unchanged answers are
304s and cost no rate limit. Each item becomes a `TrackerEvent` keyed by
GitHub's own event id (or the issue number for openings) and goes through
the same pipeline as the webhook (the inbox, then the ingest worker), so
nothing is told twice. The first round
only notes where things stand: history is not announced. Merged pull
requests are reported by the webhook only (issue events carry no branch).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from adapters.github.events import MalformedEvent, to_event
from adapters.github.history import EVENT_AT
from bot.ports import TrackerError
from storage.events import SqlPollCursors
from storage.inbox import Received, SqlInbox

log = logging.getLogger(__name__)

EVENT_ACTIONS = frozenset({"labeled", "unlabeled", "closed", "reopened"})
PAGE = 100


class ConditionalSource(Protocol):
    @property
    def repository(self) -> str: ...

    async def conditional_get(
        self, path: str, *, etag: str = "", params: dict[str, Any] | None = None
    ) -> tuple[int, str, Any]: ...


class Kicker(Protocol):
    async def kick(self) -> None: ...


class ServedSources(Protocol):
    async def sources(self) -> Sequence[ConditionalSource]:
        """One source per repository the bot serves now (the registry's, read each round)."""
        ...


class IssuePoller:
    def __init__(
        self,
        *,
        source: ConditionalSource,
        inbox: SqlInbox,
        cursors: SqlPollCursors,
        worker: Kicker,
    ) -> None:
        self._source = source
        self._inbox = inbox
        self._cursors = cursors
        self._worker = worker
        self._base = f"/repos/{source.repository}"

    async def run_once(self) -> int:
        """One round; returns how many events it fed to the pipeline."""
        fed = await self._events() + await self._openings()
        if fed:
            await self._worker.kick()
        return fed

    async def _events(self) -> int:
        key = f"{self._source.repository}:issue-events"
        first, items = await self._changed(key, f"{self._base}/issues/events", {"per_page": PAGE})
        fresh = await self._fresh(key, items, "id", first=first)
        for item in fresh:
            if item.get("event") in EVENT_ACTIONS:
                await self._feed(self._issues_payload(item), f"github-event:{item['id']}")
        return len(fresh)

    async def _openings(self) -> int:
        key = f"{self._source.repository}:issues"
        params = {"state": "all", "sort": "created", "direction": "desc", "per_page": PAGE}
        first, items = await self._changed(key, f"{self._base}/issues", params)
        issues = [item for item in items if "pull_request" not in item]
        fresh = await self._fresh(key, issues, "number", first=first)
        for issue in fresh:
            payload = self._wrap("opened", issue, {})
            await self._feed(payload, f"github-opened:{self._source.repository}#{issue['number']}")
        return len(fresh)

    async def _changed(
        self, key: str, path: str, params: dict[str, Any]
    ) -> tuple[bool, list[Mapping[str, Any]]]:
        """(whether this is the first look, the items if the listing changed)."""
        etag, position = await self._cursors.get(key=key)
        first = not etag and position == 0
        status, new_etag, data = await self._source.conditional_get(path, etag=etag, params=params)
        if status == 304 or not isinstance(data, list):
            return first, []
        await self._cursors.put(key=key, etag=new_etag or "-", position=position)
        return first, [item for item in data if isinstance(item, Mapping)]

    async def _fresh(
        self, key: str, items: Sequence[Mapping[str, Any]], field: str, *, first: bool
    ) -> list[Mapping[str, Any]]:
        """Items past the cursor, oldest first; the first round only sets the cursor."""
        etag, position = await self._cursors.get(key=key)
        numbers = [item[field] for item in items if isinstance(item.get(field), int)]
        if not numbers:
            return []
        top = max(numbers)
        if top > position:
            await self._cursors.put(key=key, etag=etag, position=top)
        if first:
            return []
        fresh = [
            item for item in items if isinstance(item.get(field), int) and item[field] > position
        ]
        return sorted(fresh, key=lambda item: int(item[field]))

    def _issues_payload(self, item: Mapping[str, Any]) -> dict[str, Any]:
        extra = {"label": item["label"]} if isinstance(item.get("label"), Mapping) else {}
        extra[EVENT_AT] = item.get("created_at")  # the event's own time, for the insights
        return self._wrap(str(item.get("event")), item.get("issue") or {}, extra)

    def _wrap(self, action: str, issue: Any, extra: dict[str, Any]) -> dict[str, Any]:
        """The webhook's payload shape, so one mapping serves both paths."""
        repository = {"full_name": self._source.repository}
        return {"action": action, "issue": issue, "repository": repository, **extra}

    async def _feed(self, payload: dict[str, Any], delivery: str) -> None:
        try:
            event = to_event("issues", payload, delivery)
        except MalformedEvent as error:
            log.warning("poller skipped %s: %s", delivery, error)
            return
        if event is not None and not event.is_pull_request:
            await self._inbox.add(Received(delivery, "issues", json.dumps(payload)))


class ServedPoller:
    """Every served repository, each with its own cursors: one that was added since is
    first only looked at (its history is not announced), one that fails is tried next round
    without holding up the others."""

    def __init__(
        self,
        *,
        served: ServedSources,
        inbox: SqlInbox,
        cursors: SqlPollCursors,
        worker: Kicker,
    ) -> None:
        self._served = served
        self._inbox = inbox
        self._cursors = cursors
        self._worker = worker
        self._pollers: dict[str, IssuePoller] = {}

    async def run_once(self) -> int:
        """One round over every served repository; returns how many events it fed."""
        fed = 0
        for source in await self._served.sources():
            try:
                fed += await self._poller(source).run_once()
            except TrackerError as error:
                log.warning("poller: %s skipped this round (%s)", source.repository, error)
        return fed

    def _poller(self, source: ConditionalSource) -> IssuePoller:
        key = source.repository.casefold()
        if key not in self._pollers:
            self._pollers[key] = IssuePoller(
                source=source, inbox=self._inbox, cursors=self._cursors, worker=self._worker
            )
        return self._pollers[key]
