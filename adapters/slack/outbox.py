"""SlackOutbox: replies sent outside a request (filing results, notices) to a Slack place.

It never raises: the filing worker has already saved the draft as filed,
so a message that cannot be delivered is logged (with Slack's error code,
never its text) rather than turned into a retry that could file again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import texts as t
from adapters.slack.blocks import Message, messages, sections
from adapters.slack.places import target
from bot.types import Place, Reply

log = logging.getLogger(__name__)

UNREACHABLE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "team_access_not_granted",
    }
)
SendError = (SlackClientError, ClientError, TimeoutError)


def error_code(error: SlackApiError) -> str:
    data = getattr(error.response, "data", None)
    code = data.get("error", "") if isinstance(data, dict) else ""
    status = getattr(error.response, "status_code", "?")
    return str(code or f"http_{status}")


def reason(error: BaseException) -> str:
    """A log-safe reason: Slack's error code, or the exception's class, never a message body."""
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__


class SlackOutbox:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._dm_channels: dict[str, str] = {}

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        if not replies:
            return
        where = target(place)
        pages = messages(replies)
        if where.direct:
            await self.tell(where.owner, pages)
            return
        try:
            await self.post(where.channel, where.thread, pages)
        except SlackApiError as error:
            await self._fall_back(error_code(error), where.channel, where.owner, pages)
        except SendError as error:
            log.error("slack: could not post to %s: %s", where.channel, type(error).__name__)

    async def _fall_back(self, code: str, channel: str, owner: str, pages: list[Message]) -> None:
        if code not in UNREACHABLE or not owner:
            log.error("slack: could not post to %s: %s", channel, code)
            return
        log.warning("slack: channel %s unreachable (%s); telling %s by DM", channel, code, owner)
        note = Message(t.DM_UNREACHABLE_NOTE, tuple(sections(t.DM_UNREACHABLE_NOTE)))
        await self.tell(owner, [note, *pages])

    async def tell(self, user: str, pages: Sequence[Message]) -> bool:
        """A direct message; False (and a log line) when the person cannot be reached."""
        try:
            await self.post(await self.dm_channel(user), "", pages)
        except SlackApiError as error:
            log.error("slack: could not DM %s: %s", user, error_code(error))
            return False
        except SendError as error:
            log.error("slack: could not DM %s: %s", user, type(error).__name__)
            return False
        return True

    async def dm_channel(self, user: str) -> str:
        if user not in self._dm_channels:
            response = await self._client.conversations_open(users=user)
            self._dm_channels[user] = response["channel"]["id"]
        return self._dm_channels[user]

    async def post(self, channel: str, thread: str, pages: Sequence[Message]) -> None:
        for page in pages:
            await self._client.chat_postMessage(
                channel=channel,
                text=page.text,
                blocks=list(page.blocks),
                thread_ts=thread or None,
                unfurl_links=False,
                unfurl_media=False,
            )
