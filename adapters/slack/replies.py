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
from adapters.slack.outbox import SendError, SlackOutbox, error_code
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

    async def respond(self, *, response_url: str, user: str, replies: Sequence[Reply]) -> None:
        pages = messages(replies)
        if not pages:
            return
        if response_url and await self._webhook(response_url, pages):
            return
        try:
            await self._outbox.tell(user, pages)
        except DeliveryError:
            return  # already logged; the person's draft and state are saved either way

    async def _webhook(self, url: str, pages: Sequence[Message]) -> bool:
        webhook = AsyncWebhookClient(
            url, timeout=10, retry_handlers=retry_handlers(sleep=self._sleep), logger=self._logger
        )
        for page in pages:
            try:
                response = await webhook.send(
                    text=page.text,
                    blocks=list(page.blocks),
                    response_type="ephemeral",
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
