"""SlackOutbox: replies sent outside a request (filing results, notices) to a Slack place.

A channel that is gone or closed to the bot falls back to a DM to the
place's owner (see places.py). What still cannot be delivered raises
`DeliveryError`, saying whether a retry can help and after how long, so the
notification worker retries; log lines carry Slack's error code, never text.
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
from bot.ports import DeliveryError
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
TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable"})
SendError = (SlackClientError, ClientError, TimeoutError)


def error_code(error: SlackApiError) -> str:
    data = getattr(error.response, "data", None)
    code = data.get("error", "") if isinstance(data, dict) else ""
    status = getattr(error.response, "status_code", "?")
    return str(code or f"http_{status}")


def reason(error: BaseException) -> str:
    """A log-safe reason: Slack's error code, or the exception's class, never a message body."""
    return error_code(error) if isinstance(error, SlackApiError) else type(error).__name__


def delivery_error(error: BaseException) -> DeliveryError:
    """Connection trouble and Slack's own hiccups are worth a retry; anything else is not."""
    if not isinstance(error, SlackApiError):
        return DeliveryError(reason(error))
    code = error_code(error)
    headers = getattr(error.response, "headers", None) or {}
    wait = str(headers.get("Retry-After", headers.get("retry-after", "")))
    retry_after = float(wait) if wait.isdigit() else None
    transient = code in TRANSIENT or code.startswith("http_5")
    return DeliveryError(code, retry_after=retry_after, permanent=not transient)


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
            code = error_code(error)
            if code not in UNREACHABLE or not where.owner:
                log.error("slack: could not post to %s: %s", where.channel, code)
                raise delivery_error(error) from None
            await self._fall_back(code, where.channel, where.owner, pages)
        except SendError as error:
            log.error("slack: could not post to %s: %s", where.channel, reason(error))
            raise delivery_error(error) from None

    async def _fall_back(self, code: str, channel: str, owner: str, pages: list[Message]) -> None:
        log.warning("slack: channel %s unreachable (%s); telling %s by DM", channel, code, owner)
        note = Message(t.DM_UNREACHABLE_NOTE, tuple(sections(t.DM_UNREACHABLE_NOTE)))
        await self.tell(owner, [note, *pages])

    async def tell(self, user: str, pages: Sequence[Message]) -> None:
        """A direct message; DeliveryError (and a log line) when the person cannot be reached."""
        try:
            await self.post(await self.dm_channel(user), "", pages)
        except SendError as error:
            log.error("slack: could not DM %s: %s", user, reason(error))
            raise delivery_error(error) from None

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
