"""Writes made with the person's own GitHub user token (App mode), so GitHub shows them as
the actor, "ana-gh via your-app", instead of the app's bot account.

The token is the one the person's sign-in gave (`link github`), kept sealed by
bot.identity and refreshed there under its lease; a person without one (an
admin vouched for them, or the token expired beyond refreshing) is written for
with the bot's own token. One client per person and repository is kept, and
replaced when their token changes.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.github.tracker import GitHubTracker
from bot.identity.service import Identities
from bot.ports import Tracker
from bot.types import Member

MakeTracker = Callable[[str, str], GitHubTracker]
"""(repository, user token) -> a tracker that sends that token."""


class UserTokenTrackers:
    """bot.repositories.ports.Acting."""

    def __init__(self, *, identities: Identities, make: MakeTracker) -> None:
        self._identities = identities
        self._make = make
        self._made: dict[tuple[str, str], tuple[str, GitHubTracker]] = {}

    def __repr__(self) -> str:
        return "UserTokenTrackers()"

    async def tracker_as(self, member: Member, tracker: Tracker) -> Tracker | None:
        token = await self._identities.access_token(member)
        if not token:
            return None
        key = (member.key, tracker.repository.casefold())
        made = self._made.get(key)
        if made is None or made[0] != token:
            if made is not None:
                made[1].close()
            made = (token, self._make(tracker.repository, token))
            self._made[key] = made
        return made[1]
