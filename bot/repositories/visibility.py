"""Whether a repository is known to be public: what decides where its issues may be shown."""

from __future__ import annotations

from bot.ports import TrackerError
from bot.repositories.ports import Trackers


async def known_public(trackers: Trackers, repository: str) -> bool:
    """GitHub says it is public; a repository the bot does not serve, or cannot ask
    about now, is treated as private (so is one the local tracker stands in for)."""
    try:
        tracker = await trackers.for_repository(repository)
        same = tracker.repository.casefold() == repository.casefold()
        return same and not await tracker.is_private()
    except TrackerError:
        return False
