"""Reconciling with GitHub: deliveries that failed on our side are asked for again.

GitHub never redelivers a delivery by itself: one we answered 5xx (the
spool was full), or that never reached us (the process was down), is gone
unless we ask. After a restart and after each outage the bot reads the
hook's recent deliveries, newest first, back to where the last
reconciliation started (or three days, as long as GitHub keeps them), and
asks GitHub to redeliver each event none of whose attempts succeeded and
that the inbox does not hold. A redelivery that fails again shows up as a
newer failed attempt (`redelivery: true`) and is asked for again next time;
one that succeeded marks the event done. A redelivery that arrives twice is
a no-op in the inbox, so asking once too often costs nothing but a request.

Where the deliveries come from is a small port: each served repository's
webhook (`/repos/{owner}/{repo}/hooks/{id}/deliveries`, a token with hook
read and write access), or a GitHub App's own webhook (`/app/hook/deliveries`,
with the app's JWT), which carries every installation's events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from adapters.github.pages import next_url
from storage.database import Database
from storage.events import SqlPollCursors
from storage.inbox import SqlInbox
from storage.values import utc_now

log = logging.getLogger(__name__)

WINDOW = timedelta(days=3)  # GitHub keeps a hook's deliveries about this long
OVERLAP = timedelta(minutes=5)  # attempts logged while the last run was reading
PAGE = 100
APP_DELIVERIES = "/app/hook/deliveries"
MAX_PAGES = 100
# Any fixed 64-bit number works; the same for every replica, distinct from the migration lock.
LOCK_KEY = 0x64736C70_726563


class NoHook(Exception):
    """No hook of the repository points at this bot (reconciliation is off)."""


@dataclass(frozen=True)
class Delivery:
    """One attempt in a hook's delivery log; `guid` is the event's `X-GitHub-Delivery`."""

    id: int
    guid: str
    delivered_at: datetime
    status_code: int
    redelivery: bool

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status_code < 300


class DeliverySource(Protocol):
    @property
    def key(self) -> str:
        """Names the hook, for where its last reconciliation started."""
        ...

    async def page(self, cursor: str) -> tuple[list[Delivery], str]:
        """Deliveries newest first from `cursor` ("" for the newest), and the next cursor."""
        ...

    async def redeliver(self, delivery: Delivery) -> None: ...


class Hooks(Protocol):
    async def hooks(self) -> Sequence[DeliverySource]:
        """The hooks to reconcile now (read each run: the served repositories can change)."""
        ...


class Rest(Protocol):
    async def rest(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        endpoint: str = "rest",
    ) -> tuple[int, dict[str, str], Any]: ...


async def _page(rest: Rest, path: str, cursor: str) -> tuple[list[Delivery], str]:
    """One page of a delivery log, newest first, and the next page's cursor ("" at the end)."""
    params: dict[str, Any] = {"per_page": PAGE, **({"cursor": cursor} if cursor else {})}
    _, headers, data = await rest.rest("GET", path, params=params, endpoint="hook_deliveries")
    items = [_delivery(item) for item in data or [] if isinstance(item, dict)]
    return [item for item in items if item is not None], _next_cursor(headers.get("link", ""))


class AppHook:
    """The GitHub App's own webhook: every installation's events arrive through it."""

    def __init__(self, *, rest: Rest) -> None:
        self._rest = rest

    @property
    def key(self) -> str:
        return "app:hook-deliveries"

    async def hooks(self) -> Sequence[DeliverySource]:
        return [self]

    async def page(self, cursor: str) -> tuple[list[Delivery], str]:
        return await _page(self._rest, APP_DELIVERIES, cursor)

    async def redeliver(self, delivery: Delivery) -> None:
        path = f"{APP_DELIVERIES}/{delivery.id}/attempts"
        await self._rest.rest("POST", path, endpoint="redeliver")


class RepositoryHook:
    """The deliveries of the repository webhook whose URL is ours (or `DSLP_GITHUB_HOOK_ID`)."""

    def __init__(self, *, rest: Rest, repository: str, url: str, hook_id: int = 0) -> None:
        self._rest = rest
        self._base = f"/repos/{repository}/hooks"
        self._repository = repository
        self._url = url
        self._hook_id = hook_id

    @property
    def key(self) -> str:
        return f"{self._repository}:hook-deliveries"

    async def page(self, cursor: str) -> tuple[list[Delivery], str]:
        return await _page(self._rest, await self._path(), cursor)

    async def redeliver(self, delivery: Delivery) -> None:
        await self._rest.rest(
            "POST", f"{await self._path()}/{delivery.id}/attempts", endpoint="redeliver"
        )

    async def _path(self) -> str:
        if not self._hook_id:
            self._hook_id = await self._find()
        return f"{self._base}/{self._hook_id}/deliveries"

    async def _find(self) -> int:
        _, _, hooks = await self._rest.rest(
            "GET", self._base, params={"per_page": PAGE}, endpoint="hooks"
        )
        for hook in hooks or []:
            if isinstance(hook, dict) and (hook.get("config") or {}).get("url") == self._url:
                return int(hook["id"])
        raise NoHook(f"no webhook of {self._repository} points at {self._url}")


class Reconciler:
    def __init__(
        self,
        *,
        hooks: Hooks,
        inbox: SqlInbox,
        database: Database,
        prefix: str,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """`prefix` turns a GitHub guid into the inbox's delivery key (the webhook's)."""
        self._hooks = hooks
        self._inbox = inbox
        self._database = database
        self._cursors = SqlPollCursors(database)
        self._prefix = prefix
        self._clock = clock
        self._turn = asyncio.Lock()

    async def run(self) -> int:
        """One reconciliation, unless another replica is at it; returns how many were asked for."""
        async with self._turn, self._database.exclusive(LOCK_KEY) as ours:
            if not ours:
                log.info("reconciliation: another replica is at it")
                return 0
            return await self._reconcile()

    async def _reconcile(self) -> int:
        """Each hook in turn; one whose hook is missing is said and skipped, unless every
        one is (then reconciliation is off: `NoHook`)."""
        asked, missing = 0, []
        hooks = await self._hooks.hooks()
        for source in hooks:
            try:
                asked += await self._reconcile_one(source)
            except NoHook as error:
                missing.append(error)
        if missing and len(missing) == len(hooks):
            raise missing[0]
        for skipped in missing:
            log.warning("reconciliation skipped: %s", skipped)
        return asked

    async def _reconcile_one(self, source: DeliverySource) -> int:
        started = self._clock()
        since = max(started - WINDOW, await self._last_start(source) - OVERLAP)
        failed = _failed(await self._recent(source, since))
        known = await self._inbox.known([self._prefix + d.guid for d in failed])
        wanted = [d for d in failed if self._prefix + d.guid not in known]
        for delivery in wanted:
            await source.redeliver(delivery)
        await self._cursors.put(key=source.key, etag="", position=int(started.timestamp()))
        log.info(
            "reconciliation of %s: %d failed, %d asked to redeliver",
            source.key,
            len(failed),
            len(wanted),
        )
        return len(wanted)

    async def _last_start(self, source: DeliverySource) -> datetime:
        _, position = await self._cursors.get(key=source.key)
        return datetime.fromtimestamp(position, tz=self._clock().tzinfo)

    async def _recent(self, source: DeliverySource, since: datetime) -> list[Delivery]:
        found: list[Delivery] = []
        cursor = ""
        for _ in range(MAX_PAGES):
            page, cursor = await source.page(cursor)
            found += [d for d in page if d.delivered_at >= since]
            if not cursor or not page or page[-1].delivered_at < since:
                break
        return found


def _failed(deliveries: Sequence[Delivery]) -> list[Delivery]:
    """Per event, its newest attempt, when no attempt of it succeeded."""
    newest: dict[str, Delivery] = {}
    done: set[str] = set()
    for delivery in deliveries:
        if delivery.succeeded:
            done.add(delivery.guid)
        current = newest.get(delivery.guid)
        if current is None or delivery.delivered_at > current.delivered_at:
            newest[delivery.guid] = delivery
    return [d for guid, d in newest.items() if guid not in done]


def _delivery(item: dict[str, Any]) -> Delivery | None:
    try:
        return Delivery(
            id=int(item["id"]),
            guid=str(item["guid"]),
            delivered_at=datetime.fromisoformat(str(item["delivered_at"]).replace("Z", "+00:00")),
            status_code=int(item.get("status_code") or 0),
            redelivery=bool(item.get("redelivery")),
        )
    except (KeyError, TypeError, ValueError):
        log.warning("reconciliation: skipped a delivery GitHub described oddly")
        return None


def _next_cursor(link: str) -> str:
    """The `cursor` of the Link header's rel="next" URL, or "" on the last page."""
    query = parse_qs(urlparse(next_url(link)).query)
    return (query.get("cursor") or [""])[0]
