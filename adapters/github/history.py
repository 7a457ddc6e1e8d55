"""GitHub's repository issue-events listing, as pages of the insights' history.

`GET /repos/{owner}/{repo}/issues/events`, 100 a page, newest first. Each
item embeds its issue (title, body, labels, created_at), which gives the
issue's DSLP type and its links; pull requests are left out. Reading goes
through the tracker's `rest`, so 5xx answers and rate limits are retried by
the same layer as every other call (adapters/github/retry.py).

Pages are numbered from the newest event, so events arriving during a
backfill push older ones onto later pages: a resumed read may see some
again (they are stored once, by key: see `event_of`) but misses none.
Webhook deliveries of `issues` events are kept the same way (`remember`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from adapters.github.events import MalformedEvent, to_issue
from adapters.github.mapping import github_time
from bot.insights.model import HistoryEvent, HistoryIssue, Kind
from bot.insights.ports import HistoryStore, Page
from bot.lifecycle.events import issue_type
from bot.ports import TrackerError
from bot.render.references import ask_reference, experiment_reference
from bot.repositories.ports import Trackers
from storage.inbox import Received

PER_PAGE = 100
NO_HISTORY = "the local tracker keeps no GitHub history (set GITHUB_TOKEN or a GitHub App)"
KINDS = {kind.value: kind for kind in Kind}
_LAST = re.compile(r"[?&]page=(\d+)[^>]*>;\s*rel=\"last\"")


class RestSource(Protocol):
    async def rest(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        endpoint: str = "rest",
    ) -> tuple[int, dict[str, str], Any]: ...


class GitHubEventSource:
    def __init__(self, trackers: Trackers, *, per_page: int = PER_PAGE) -> None:
        self._trackers = trackers
        self._per_page = per_page

    async def readable(self, *, repository: str) -> bool:
        try:
            tracker = await self._trackers.for_repository(repository)
        except TrackerError:
            return False
        return callable(getattr(tracker, "rest", None))

    async def page(self, *, repository: str, number: int) -> Page:
        """Raises TrackerError when GitHub fails after its retries, or the repository is not
        served (the local tracker has no GitHub history: `rest` is missing)."""
        tracker: Any = await self._trackers.for_repository(repository)
        if not callable(getattr(tracker, "rest", None)):
            raise TrackerError(NO_HISTORY, retryable=False)
        source: RestSource = tracker
        _, headers, data = await source.rest(
            "GET",
            f"/repos/{repository}/issues/events",
            params={"per_page": self._per_page, "page": number},
            endpoint="issue_events",
        )
        items = [item for item in data or [] if isinstance(item, Mapping)]
        link = headers.get("link", "")
        last = _LAST.search(link)
        return page_of(
            items, last='rel="next"' not in link, total=int(last.group(1)) if last else None
        )


def page_of(items: list[Mapping[str, Any]], *, last: bool, total: int | None = None) -> Page:
    issues: dict[int, HistoryIssue] = {}
    events: list[HistoryEvent] = []
    for item in items:
        found = history_item(item)
        if found is not None:
            issues.setdefault(found[0].number, found[0])
            events.append(found[1])
    return Page(tuple(issues.values()), tuple(events), last, total)


def history_item(item: Mapping[str, Any]) -> tuple[HistoryIssue, HistoryEvent] | None:
    """An event the measures read, with its issue; None for other events, pull requests and
    items missing what identifies them."""
    kind = KINDS.get(str(item.get("event", "")))
    raw = item.get("issue")
    at = github_time(item.get("created_at"))
    if kind is None or not isinstance(raw, Mapping) or at is None or "pull_request" in raw:
        return None
    issue = history_issue(raw)
    if issue is None:
        return None
    label = item.get("label")
    name = str(label.get("name", "")) if isinstance(label, Mapping) else ""
    reason = str(item.get("state_reason") or "")
    return issue, event_of(issue.number, kind, at, name, reason)


def history_issue(raw: Mapping[str, Any]) -> HistoryIssue | None:
    try:
        issue = to_issue(raw)
    except MalformedEvent:
        return None
    created = github_time(raw.get("created_at"))
    if created is None:
        return None
    return HistoryIssue(
        number=issue.number,
        title=issue.title,
        created_at=created,
        kind=issue_type(issue),
        ask=ask_reference(issue.body),
        experiment=experiment_reference(issue.body),
    )


WEBHOOK_MOMENT = {
    Kind.LABELED: "updated_at",
    Kind.UNLABELED: "updated_at",
    Kind.CLOSED: "closed_at",
    Kind.REOPENED: "updated_at",
}
"""A webhook names no event time: the issue's own timestamp that the change set."""
EVENT_AT = "dslp_event_at"
"""Where the poller, which reads the events API, puts the event's own time in the
webhook-shaped payload it builds."""


def from_webhook(name: str, payload: Any) -> tuple[HistoryIssue, HistoryEvent | None] | None:
    """An `issues` delivery in history terms: `opened` adds the issue only."""
    if name != "issues" or not isinstance(payload, Mapping):
        return None
    raw = payload.get("issue")
    issue = history_issue(raw) if isinstance(raw, Mapping) else None
    if issue is None or not isinstance(raw, Mapping):
        return None
    kind = KINDS.get(str(payload.get("action", "")))
    at = github_time(payload.get(EVENT_AT)) or (
        github_time(raw.get(WEBHOOK_MOMENT[kind])) if kind is not None else None
    )
    if kind is None or at is None:
        return issue, None
    label = payload.get("label")
    name = str(label.get("name", "")) if isinstance(label, Mapping) else ""
    reason = str(raw.get("state_reason") or "") if kind is Kind.CLOSED else ""
    return issue, event_of(issue.number, kind, at, name, reason)


def event_of(number: int, kind: Kind, at: datetime, label: str, reason: str) -> HistoryEvent:
    """The key is what the webhook and the events API agree on (the webhook carries no event
    id): the issue, what happened, the label and GitHub's timestamp to the second."""
    key = f"{number}:{kind.value}:{label.casefold()}:{at.astimezone(UTC):%Y%m%dT%H%M%S}"
    return HistoryEvent(key, number, kind, at, label, reason)


async def remember(store: HistoryStore, rows: Sequence[Received]) -> None:
    """Keep the issue events among worked webhook (or poller) deliveries in the history."""
    grouped: dict[str, tuple[list[HistoryIssue], list[HistoryEvent]]] = {}
    for row in rows:
        payload = json.loads(row.payload)
        found = from_webhook(row.event, payload)
        repository = str(payload.get("repository", {}).get("full_name", ""))
        if found is None or not repository:
            continue
        issues, events = grouped.setdefault(repository, ([], []))
        issues.append(found[0])
        events.extend([found[1]] if found[1] is not None else [])
    for repository, (issues, events) in grouped.items():
        await store.record(repository=repository, issues=issues, events=events)
