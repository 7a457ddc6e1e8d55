"""A person's time zone, from Slack's profile (users.info, scope users:read), cached.

`/dslp digest daily 09:00` means nine in the morning where the person is;
the digest reads the zone from the request context and falls back to
DSLP_TIMEZONE when there is none (the lookup failed, or the scope is missing).
Only the `digest` command asks, and each person is looked up at most twice
a day, so this costs no rate limit worth speaking of.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.outbox import SendError, reason

log = logging.getLogger(__name__)

TTL_SECONDS = 12 * 3600
MAX_PEOPLE = 10_000


class UserZones:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl
        self._clock = clock
        self._known: dict[str, tuple[str, float]] = {}

    async def zone(self, user: str) -> str:
        """An IANA zone name such as `Europe/Berlin`, or "" when Slack would not say."""
        known = self._known.get(user)
        if known is not None and self._clock() - known[1] < self._ttl:
            return known[0]
        try:
            response = await self._client.users_info(user=user)
        except SendError as error:
            log.warning("slack: users.info for %s failed: %s", user, reason(error))
            return ""
        profile = response.get("user")
        found = profile.get("tz") if isinstance(profile, dict) else None
        zone = found if isinstance(found, str) else ""
        if len(self._known) >= MAX_PEOPLE:
            self._known.clear()
        self._known[user] = (zone, self._clock())
        return zone
