"""DSLP_SLACK_TEAM_IDS: requests from workspaces not listed run nothing.

A Bolt middleware, so it sits after the signature check (a forged request
never gets this far) and covers HTTP and Socket Mode alike. A slash command
gets a short ephemeral answer, everything else a quiet 200 (Slack would
retry an event answered with an error). The log line names the workspace
and the kind of request, never the body.

Slack Connect: in a channel shared with another organisation, people from
that organisation use the app installed in ours, and the request names our
workspace. So the acting person's own workspace is checked too, where
Slack names it (`acting_team`): it must be the workspace the request came
through or be on the list.

A Workflow Builder run refused here would wait for Slack's time-out; the gate
hands it to `refused` (the step's `end_refused`), which ends it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from adapters.slack import texts as t

log = logging.getLogger(__name__)
Refused = Callable[[Mapping[str, Any], AsyncBoltContext], None]


def parse_team_ids(text: str) -> frozenset[str]:
    """Comma-separated team (or Enterprise Grid org) ids; empty means every workspace."""
    return frozenset(part.strip() for part in text.split(",") if part.strip())


class WorkspaceGate:
    def __init__(self, allowed: frozenset[str], *, refused: Refused | None = None) -> None:
        """`refused` is told of each request the gate stops (and must not wait on Slack)."""
        self._allowed = allowed
        self._refused = refused

    def allows(self, team_id: str | None, enterprise_id: str | None) -> bool:
        if not self._allowed:
            return True
        return bool({team_id, enterprise_id} & self._allowed)

    def allows_actor(
        self, actor: str | None, team_id: str | None, enterprise_id: str | None
    ) -> bool:
        """The person's own workspace (None: Slack did not say) is the request's, or listed."""
        if not self._allowed or actor is None:
            return True
        return actor in {team_id, enterprise_id} or actor in self._allowed

    async def check(
        self,
        body: Mapping[str, Any],
        context: AsyncBoltContext,
        resp: BoltResponse,
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse:
        team, enterprise, actor = context.team_id, context.enterprise_id, acting_team(body)
        if self.allows(team, enterprise) and self.allows_actor(actor, team, enterprise):
            await next()
            return resp
        kind = "command" if body.get("command") else str(body.get("type", "request"))
        log.warning(
            "slack: %s from workspace %s (person's workspace %s) not run"
            " (not in DSLP_SLACK_TEAM_IDS)",
            kind[:40],
            str(team or enterprise or "?")[:40],
            str(actor or "?")[:40],
        )
        if self._refused is not None:
            self._refused(body, context)
        if body.get("command"):
            return BoltResponse(
                status=200, body={"response_type": "ephemeral", "text": t.NOT_ALLOWED}
            )
        return BoltResponse(status=200, body="")


def acting_team(body: Mapping[str, Any]) -> str | None:
    """The acting person's own workspace (or Grid org), as each payload type names it.

    Interactivity (block_actions, view_submission, shortcuts): `user.team_id`.
    Slash commands: `user_team` when Slack adds it. Events: `event.user_team`,
    else `event.team` (a message's author's workspace). None when Slack does
    not say (events without a person, such as app_home_opened).
    """
    user, event = body.get("user"), body.get("event")
    found = [
        user.get("team_id") if isinstance(user, Mapping) else None,
        body.get("user_team"),
        event.get("user_team") if isinstance(event, Mapping) else None,
        event.get("team") if isinstance(event, Mapping) else None,
    ]
    return next((team for team in found if isinstance(team, str) and team), None)
