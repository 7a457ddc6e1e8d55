"""Answers to a request, sent after its ack: ephemerally through response_url, or into a DM.

A response_url reaches the person even in a channel the bot is not in;
when there is none (Home tab) or it fails, the answer goes by DM.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.app import Sleep, retry_handlers
from adapters.slack.blocks import Message, messages
from adapters.slack.outbox import SendError, SlackOutbox, charts_in, error_code
from bot.ports import DeliveryError
from bot.types import Reply

log = logging.getLogger(__name__)


class Replier:
    def __init__(
        self, outbox: SlackOutbox, logger: logging.Logger, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._outbox = outbox
        self._logger = logger
        self._sleep = sleep

    async def respond(
        self, *, response_url: str, user: str, replies: Sequence[Reply], channel: str = ""
    ) -> None:
        """A chart is for the whole channel it was asked for in: its numbers are posted there
        (not only to the person) and its picture shared into it. Without a channel (a command
        typed in a DM, which may be a DM with someone else) only the person sees the answer,
        and the picture goes to their own DM with the bot."""
        pages = messages(replies)
        if not pages:
            return
        shared = bool(channel and charts_in(replies))
        kind = "in_channel" if shared else "ephemeral"
        if response_url and await self._webhook(response_url, pages, kind):
            if shared:
                await self._outbox.share_charts(channel, replies)
            elif charts_in(replies):
                await self._share_privately(user, replies)
            return
        try:
            await self._outbox.tell(user, pages)
            if charts_in(replies):
                await self._outbox.share_charts(await self._outbox.dm_channel(user), replies)
        except DeliveryError:
            return  # already logged; the person's draft and state are saved either way

    async def _share_privately(self, user: str, replies: Sequence[Reply]) -> None:
        try:
            await self._outbox.share_charts(await self._outbox.dm_channel(user), replies)
        except DeliveryError:
            return  # already logged; the numbers reached the person ephemerally

    async def _webhook(self, url: str, pages: Sequence[Message], kind: str = "ephemeral") -> bool:
        webhook = AsyncWebhookClient(
            url, timeout=10, retry_handlers=retry_handlers(sleep=self._sleep), logger=self._logger
        )
        for page in pages:
            try:
                response = await webhook.send(
                    text=page.text,
                    blocks=list(page.blocks),
                    response_type=kind,
                    replace_original=False,
                )
            except SendError as error:
                log.warning(
                    "slack: response_url failed (%s); answering by DM", type(error).__name__
                )
                return False
            if response.status_code != 200:
                log.warning(
                    "slack: response_url answered %s; answering by DM", response.status_code
                )
                return False
        return True

    async def in_channel(self, *, channel: str, thread: str, replies: Sequence[Reply]) -> None:
        """Into a conversation the person is having with the bot (its DM channel)."""
        try:
            await self._outbox.post(channel, thread, messages(replies))
        except SlackApiError as error:
            log.error("slack: could not answer in %s: %s", channel, error_code(error))
        except SendError as error:
            log.error("slack: could not answer in %s: %s", channel, type(error).__name__)
