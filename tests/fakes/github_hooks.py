"""The fake GitHub's repository webhooks: hooks, their delivery log, and redelivery.

Shaped like the real REST API: `GET /repos/{owner}/{repo}/hooks`, `GET
.../hooks/{id}/deliveries` (newest first, `per_page`, and a `cursor` taken from
the Link header's next URL) and `POST .../deliveries/{id}/attempts` (202, then
the delivery is sent again, in the background, as a new attempt with
`redelivery: true`). A test sends an event with `FakeGitHub.deliver`: it is
signed and POSTed to the hook's URL like GitHub would, and the answer's status
is logged, so what failed is what reconciliation finds.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from tests.fakes.github_routes import Call, Handler, Reply
from tests.fakes.github_state import GitHubState, iso, not_found

PER_PAGE = 30
TIMEOUT_SECONDS = 10.0  # GitHub gives up on a delivery after ten seconds


@dataclass
class FakeDelivery:
    id: int
    guid: str
    event: str
    body: bytes
    delivered_at: datetime
    status_code: int
    redelivery: bool = False
    response: str = ""  # the body we answered (GitHub shows it in a delivery's details)

    def render(self, repository_id: int) -> dict[str, Any]:
        action = json.loads(self.body).get("action")
        status = "OK" if 200 <= self.status_code < 300 else "Invalid HTTP Response"
        if self.status_code == 0:
            status = "failed to connect"
        return {
            "id": self.id,
            "guid": self.guid,
            "delivered_at": iso(self.delivered_at),
            "redelivery": self.redelivery,
            "duration": 0.03,
            "status": status,
            "status_code": self.status_code,
            "event": self.event,
            "action": action,
            "installation_id": None,
            "repository_id": repository_id,
            "throttled_at": None,
        }


@dataclass
class FakeHook:
    id: int
    repository: str
    url: str
    secret: str
    deliveries: list[FakeDelivery] = field(default_factory=list)

    def render(self, api: str) -> dict[str, Any]:
        base = f"{api}/repos/{self.repository}/hooks/{self.id}"
        return {
            "type": "Repository",
            "id": self.id,
            "name": "web",
            "active": True,
            "events": ["issues", "pull_request"],
            "config": {"content_type": "json", "insecure_ssl": "0", "url": self.url},
            "updated_at": "2026-01-01T00:00:00Z",
            "created_at": "2026-01-01T00:00:00Z",
            "url": base,
            "test_url": f"{base}/test",
            "ping_url": f"{base}/pings",
            "deliveries_url": f"{base}/deliveries",
            "last_response": {"code": None, "status": "unused", "message": None},
        }


class FakeHooks:
    def __init__(self, state: GitHubState, now: Callable[[], datetime]) -> None:
        self.state = state
        self.now = now
        self.hooks: dict[int, FakeHook] = {}
        self._background: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> bool:
        """Redeliveries asked for and not yet sent."""
        return bool(self._background)

    def add(self, repository: str, url: str, secret: str) -> FakeHook:
        hook = FakeHook(self.state.new_id(), repository, url, secret)
        self.hooks[hook.id] = hook
        return hook

    async def send(
        self,
        hook: FakeHook,
        event: str,
        body: bytes,
        guid: str = "",
        *,
        redelivery: bool = False,
        session: aiohttp.ClientSession | None = None,
    ) -> FakeDelivery:
        """POST one attempt to the hook's URL, signed, and log it with the answer.

        `session` lets a load generator reuse its connections.
        """
        guid = guid or str(uuid.uuid4())
        signature = "sha256=" + hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": guid,
            "X-Hub-Signature-256": signature,
            "Content-Type": "application/json",
        }
        status, answer = 0, ""
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        try:
            async with contextlib.AsyncExitStack() as stack:
                if session is None:
                    session = await stack.enter_async_context(aiohttp.ClientSession())
                response = await stack.enter_async_context(
                    session.post(hook.url, data=body, headers=headers, timeout=timeout)
                )
                status, answer = response.status, await response.text()
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        attempt = FakeDelivery(self.state.new_id(), guid, event, body, self.now(), status)
        attempt.redelivery, attempt.response = redelivery, answer
        hook.deliveries.append(attempt)
        return attempt

    def table(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        hooks = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)/hooks"
        deliveries = hooks + r"/(?P<hook>\d+)/deliveries"
        table: list[tuple[str, str, Handler]] = [
            ("GET", hooks, self._list_hooks),
            ("GET", deliveries, self._list_deliveries),
            ("POST", deliveries + r"/(?P<delivery>\d+)/attempts", self._redeliver),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    def _hook(self, call: Call) -> FakeHook:
        repository = f"{call.group('owner')}/{call.group('name')}"
        hook = self.hooks.get(int(call.group("hook")))
        if hook is None or hook.repository != repository:
            raise not_found()
        return hook

    def _list_hooks(self, call: Call) -> Reply:
        repository = f"{call.group('owner')}/{call.group('name')}"
        found = [hook for hook in self.hooks.values() if hook.repository == repository]
        return Reply(200, [hook.render(call.api) for hook in found])

    def _list_deliveries(self, call: Call) -> Reply:
        """Newest first; `cursor` is `v1_<id>` of the last delivery of the previous page."""
        hook = self._hook(call)
        per_page = min(int(call.query.get("per_page", str(PER_PAGE))), 100)
        newest = sorted(hook.deliveries, key=lambda d: d.id, reverse=True)
        cursor = call.query.get("cursor", "")
        if cursor:
            after = int(cursor.removeprefix("v1_"))
            newest = [d for d in newest if d.id < after]
        chunk = newest[:per_page]
        headers = {}
        if len(newest) > per_page:
            next_url = call.url.update_query(per_page=str(per_page), cursor=f"v1_{chunk[-1].id}")
            headers["Link"] = f'<{next_url}>; rel="next"'
        repository_id = self.state.repo(*hook.repository.split("/")).id
        return Reply(200, [d.render(repository_id) for d in chunk], headers)

    def _redeliver(self, call: Call) -> Reply:
        hook = self._hook(call)
        wanted = int(call.group("delivery"))
        original = next((d for d in hook.deliveries if d.id == wanted), None)
        if original is None:
            raise not_found()
        again = self.send(hook, original.event, original.body, original.guid, redelivery=True)
        task = asyncio.get_running_loop().create_task(_ignore_result(again))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return Reply(202, {})


async def _ignore_result(attempt: Any) -> None:
    await attempt
