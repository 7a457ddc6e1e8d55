"""Routes replies to the platform a place belongs to.

Filing results and notifications are sent outside the request that caused
them; each chat adapter registers the sender for its platform here.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.ports import Outbox
from bot.types import Place, Reply

log = logging.getLogger(__name__)


class RoutingOutbox:
    def __init__(self) -> None:
        self._senders: dict[str, Outbox] = {}

    def register(self, platform: str, sender: Outbox) -> None:
        self._senders[platform] = sender

    def handles(self, platform: str) -> bool:
        """Whether a sender is registered (notifications to nowhere are marked failed)."""
        return platform in self._senders

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        sender = self._senders.get(place.platform)
        if sender is None:
            log.warning(
                "no sender for platform %s; %d replies not sent", place.platform, len(replies)
            )
            return
        await sender.send(place=place, replies=replies)
