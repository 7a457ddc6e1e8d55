"""Routes replies to the platform a place belongs to.

Filing results and notifications are sent outside the request that caused
them; each chat adapter registers the sender for its platform here.

A sender that can mark its messages (Slack: message metadata) gets each
queued message's key with it, and looks for an earlier copy before posting
one whose last send ended without a recorded outcome. Others are sent as
they are: at least once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.ports import Outbox
from bot.types import Place, Reply

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mark:
    """A queued message's key; `unsure_since`, when a send of it may already have posted,
    is when it was queued (the earliest it can have gone out)."""

    key: str
    unsure_since: datetime | None = None


@runtime_checkable
class MarkingOutbox(Protocol):
    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        """Send once per mark; returns the platform's id of the (found or new) message."""
        ...


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

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        """As `send`, with the mark for senders that can use it; returns the sent id, if known."""
        sender = self._senders.get(place.platform)
        if isinstance(sender, MarkingOutbox):
            return await sender.send_marked(place=place, replies=replies, mark=mark)
        await self.send(place=place, replies=replies)
        return ""
