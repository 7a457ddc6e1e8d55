"""Which workspace a Slack Web API call is made for, when the app is installed in many.

With SLACK_BOT_TOKEN the client has one token. Installed through OAuth, each
workspace (or Enterprise Grid org) has its own; the request's workspace is set
once, by a Bolt middleware for a request and by the outbox for a place, and the
client (`adapters.slack.app.WorkspaceClient`) asks for that workspace's token on
every call. Work started after an ack copies the context, so it keeps its
workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from bot.types import Place


@dataclass(frozen=True)
class Workspace:
    team_id: str | None
    enterprise_id: str | None = None

    @classmethod
    def of(cls, place: Place) -> Workspace:
        return cls(place.team_id or None, place.org_id or None)


CURRENT: ContextVar[Workspace | None] = ContextVar("slack_workspace", default=None)


@contextmanager
def serving(workspace: Workspace) -> Iterator[None]:
    """Calls made inside are made with `workspace`'s token."""
    reset = CURRENT.set(workspace)
    try:
        yield
    finally:
        CURRENT.reset(reset)
