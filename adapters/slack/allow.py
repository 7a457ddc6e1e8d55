"""DSLP_SLACK_TEAM_IDS: requests from workspaces not listed run nothing.

A Bolt middleware, so it sits after the signature check (a forged request
never gets this far) and covers HTTP and Socket Mode alike. A slash command
gets a short ephemeral answer, everything else a quiet 200 (Slack would
retry an event answered with an error). The log line names the workspace
and the kind of request, never the body.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from adapters.slack import texts as t

log = logging.getLogger(__name__)


def parse_team_ids(text: str) -> frozenset[str]:
    """Comma-separated team (or Enterprise Grid org) ids; empty means every workspace."""
    return frozenset(part.strip() for part in text.split(",") if part.strip())


class WorkspaceGate:
    def __init__(self, allowed: frozenset[str]) -> None:
        self._allowed = allowed

    def allows(self, team_id: str | None, enterprise_id: str | None) -> bool:
        if not self._allowed:
            return True
        return bool({team_id, enterprise_id} & self._allowed)

    async def check(
        self,
        body: Mapping[str, Any],
        context: AsyncBoltContext,
        resp: BoltResponse,
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse:
        if self.allows(context.team_id, context.enterprise_id):
            await next()
            return resp
        kind = "command" if body.get("command") else str(body.get("type", "request"))
        log.warning(
            "slack: %s from workspace %s not run (not in DSLP_SLACK_TEAM_IDS)",
            kind[:40],
            str(context.team_id or context.enterprise_id or "?")[:40],
        )
        if body.get("command"):
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": t.NOT_ALLOWED}
            )
        return BoltResponse(status=200, body="")
