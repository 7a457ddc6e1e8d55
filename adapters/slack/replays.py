"""Which signed requests were seen before: a copy of one is acked and not run.

The keys are kept in the database, so a copy sent to another replica is
caught too; while the database is down, this replica's own memory stands in,
so the request still runs (and its person hears what happened) and a copy
still does not.
"""

from __future__ import annotations

from datetime import timedelta

from adapters.slack.signing import RecentKeys
from storage.database import unavailable
from storage.slack_events import SqlSlackEvents

COPY_NOT_RUN = "slack: a signed request was sent again; the copy is acked, not run"
CONTEXT_KEY = "dslp_replay_key"
"""Where the HTTP route leaves a slash command's replay key for its listener, which looks
it up after the ack (`SlackHandlers.on_command`)."""
REQUEST_MEMORY = timedelta(minutes=15)
"""Slack's signatures are valid for five minutes either side of now; a copy older is a 401."""


class Replays:
    def __init__(self, events: SqlSlackEvents) -> None:
        self._events = events
        self._outage_memory = RecentKeys(REQUEST_MEMORY)

    async def first_time(self, key: str) -> bool:
        try:
            return await self._events.first_time(key=key)
        except Exception as error:
            if not unavailable(error):
                raise
            return self._outage_memory.first_time(key)
