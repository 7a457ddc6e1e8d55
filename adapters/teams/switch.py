"""Whether Teams is wanted at all, answered without importing the Agents SDK (half a second
at start); the rest of its settings are checked by `adapters.teams.mount`."""

from __future__ import annotations

from adapters.teams import texts as t
from bot.config import Settings


def off_reason(settings: Settings) -> str:
    """Why Teams is off, or "" when it is to be mounted."""
    if not settings.microsoft_app_id and not settings.dslp_teams_allow_anonymous:
        return t.OFF_NO_APP_ID
    return ""
