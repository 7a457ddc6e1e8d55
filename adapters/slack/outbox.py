"""SlackOutbox: replies sent outside a request (filing results, notices) to a Slack place.

A channel that is gone or closed to the bot falls back to a DM to the
place's owner (see places.py). What still cannot be delivered raises
`DeliveryError`, saying whether a retry can help and after how long, so the
notification worker retries; log lines carry Slack's error code, never text.

Queued messages carry their key in message metadata (`dslp_notification`).
When an earlier send of one ended without a recorded outcome, the channel's
history since the message was queued is read first (`include_all_metadata`,
page after page: a busy channel has more than one page of it), and a
message found there is not posted again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.outbox import Mark
from adapters.slack import texts as t
from adapters.slack.blocks import Message, messages, sections
from adapters.slack.places import Target, target
from adapters.slack.workspace import Workspace, serving
from bot.ports import DeliveryError
from bot.types import Place, Reply, ShowChart

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
METADATA_TYPE = "dslp_notification"
PAGE_SIZE = 200
MAX_PAGES = 10
"""A lookup reads at most this many pages; past them the message is posted (at least once)."""
Metadata = dict[str, Any] | None


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


def metadata_for(key: str) -> dict[str, Any]:
    return {"event_type": METADATA_TYPE, "event_payload": {"id": key}}


def marked(message: dict[str, Any], key: str) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(metadata.get("event_type") == METADATA_TYPE and payload.get("id") == key)


def charts_in(replies: Sequence[Reply]) -> list[ShowChart]:
    return [reply for reply in replies if isinstance(reply, ShowChart)]


class SlackOutbox:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._dm_channels: dict[str, str] = {}

    async def send(self, *, place: Place, replies: Sequence[Reply]) -> None:
        with serving(Workspace.of(place)):
            await self._send(place, replies, None)

    async def send_marked(self, *, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        """adapters.outbox.MarkingOutbox: look before posting again what may have been posted."""
        with serving(Workspace.of(place)):
            return await self._send_marked(place, replies, mark)

    async def _send_marked(self, place: Place, replies: Sequence[Reply], mark: Mark) -> str:
        if mark.unsure_since is not None:
            found = await self._find(target(place), mark.key, mark.unsure_since)
            if found:
                log.info("slack: %s was posted before (ts %s); not posted again", mark.key, found)
                return found
        return await self._send(place, replies, metadata_for(mark.key))

    async def _send(self, place: Place, replies: Sequence[Reply], metadata: Metadata) -> str:
        if not replies:
            return ""
        where = target(place)
        pages = messages(replies)
        if where.direct:
            return await self.tell(where.owner, pages, metadata)
        try:
            posted = await self.post(where.channel, where.thread, pages, metadata)
        except SlackApiError as error:
            code = error_code(error)
            if code not in UNREACHABLE or not where.owner:
                log.error("slack: could not post to %s: %s", where.channel, code)
                raise delivery_error(error) from None
            return await self._fall_back(code, where, pages, metadata)
        except SendError as error:
            log.error("slack: could not post to %s: %s", where.channel, reason(error))
            raise delivery_error(error) from None
        await self.share_charts(where.channel, replies, where.thread)
        return posted

    async def share_charts(self, channel: str, replies: Sequence[Reply], thread: str = "") -> int:
        """Each chart among `replies` into `channel` through `files_upload_v2` (Slack's external
        upload flow: files.getUploadURLExternal, the bytes to the upload URL, then
        files.completeUploadExternal). A picture that cannot be shared (the bot is not in
        the channel, Slack is down) costs the picture only: the numbers went as text."""
        shared = 0
        for chart in charts_in(replies):
            try:
                await self.client.files_upload_v2(
                    channel=channel,
                    thread_ts=thread or None,
                    file=chart.image,
                    filename=chart.name,
                    title=chart.alt,
                    alt_txt=chart.alt,
                )
                shared += 1
            except SlackApiError as error:
                log.warning("slack: chart not shared in %s: %s", channel, error_code(error))
            except SendError as error:
                log.warning("slack: chart not shared in %s: %s", channel, reason(error))
        return shared

    async def _fall_back(
        self, code: str, where: Target, pages: list[Message], metadata: Metadata
    ) -> str:
        log.warning(
            "slack: channel %s unreachable (%s); telling %s by DM", where.channel, code, where.owner
        )
        note = Message(t.DM_UNREACHABLE_NOTE, tuple(sections(t.DM_UNREACHABLE_NOTE)))
        return await self.tell(where.owner, [note, *pages], metadata)

    async def _find(self, where: Target, key: str, since: datetime) -> str:
        """The ts of the message marked `key` posted since `since` (when it was queued), or "".

        Slack's trouble is retried later; a place the bot may not read (a scope
        it lacks) is posted to anyway: at least once rather than never.
        """
        try:
            return await self._look(where, key, since)
        except SlackApiError as error:
            failure = delivery_error(error)
            if not failure.permanent:
                raise failure from None
            log.warning("slack: cannot look for %s (%s); posting it", key, failure.message)
            return ""
        except SendError as error:
            raise delivery_error(error) from None

    async def _look(self, where: Target, key: str, since: datetime) -> str:
        channel = where.channel or await self.dm_channel(where.owner)
        window: dict[str, Any] = {
            "channel": channel,
            "oldest": f"{since.timestamp() - 1:.6f}",
            "inclusive": True,
            "include_all_metadata": True,
            "limit": PAGE_SIZE,
        }
        cursor = ""
        for _ in range(MAX_PAGES):
            page = await self._page(where.thread, window, cursor)
            listed: list[dict[str, Any]] = page.get("messages") or []
            found = next((str(m.get("ts", "")) for m in listed if marked(m, key)), "")
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if found or not cursor:
                return found
        log.warning("slack: %s not found in %d pages of history; posting it", key, MAX_PAGES)
        return ""

    async def _page(self, thread: str, window: dict[str, Any], cursor: str) -> AsyncSlackResponse:
        if thread:
            return await self.client.conversations_replies(
                ts=thread, cursor=cursor or None, **window
            )
        return await self.client.conversations_history(cursor=cursor or None, **window)

    async def tell(self, user: str, pages: Sequence[Message], metadata: Metadata = None) -> str:
        """A direct message; DeliveryError (and a log line) when the person cannot be reached."""
        try:
            return await self.post(await self.dm_channel(user), "", pages, metadata)
        except SendError as error:
            log.error("slack: could not DM %s: %s", user, reason(error))
            raise delivery_error(error) from None

    async def dm_channel(self, user: str) -> str:
        if user not in self._dm_channels:
            response = await self.client.conversations_open(users=user)
            self._dm_channels[user] = response["channel"]["id"]
        return self._dm_channels[user]

    async def post(
        self, channel: str, thread: str, pages: Sequence[Message], metadata: Metadata = None
    ) -> str:
        """Every page carries the metadata; returns the last page's ts."""
        ts = ""
        for page in pages:
            response = await self.client.chat_postMessage(
                channel=channel,
                text=page.text,
                blocks=list(page.blocks),
                thread_ts=thread or None,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            )
            ts = str(response.get("ts", ""))
        return ts
