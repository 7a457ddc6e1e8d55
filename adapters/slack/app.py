"""The Bolt app and the Web API client, configured once.

The client retries what Slack asks to be retried: a 429 after its
`Retry-After` (slack_sdk does not do this unless told to), dropped
connections and 5xx answers. Bolt and slack_sdk log through loggers that
drop request bodies, tokens and secrets (see `redact`).
"""

from __future__ import annotations

import re
import time
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.metrics import Outbound, outcome_of
from adapters.slack.redact import quiet_logger
from bot.config import Settings

RATE_LIMIT_RETRIES = 3
ERROR_RETRIES = 2
CLIENT_TIMEOUT_SECONDS = 15
METHOD_NAME = re.compile(r"[a-z]+(\.[A-Za-z]+)+")


class CountedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Slack's own 429 handling (sleep for `Retry-After`), with the time slept counted."""

    def __init__(self, outbound: Outbound | None, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._outbound = outbound

    async def prepare_for_next_attempt_async(self, **kwargs: Any) -> None:
        started = time.monotonic()
        await super().prepare_for_next_attempt_async(**kwargs)
        if self._outbound is not None:
            self._outbound.waited(time.monotonic() - started)


def retry_handlers(outbound: Outbound | None = None) -> list[AsyncRetryHandler]:
    return [
        CountedRateLimitRetryHandler(outbound, max_retry_count=RATE_LIMIT_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=ERROR_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=ERROR_RETRIES),
    ]


def api_base_url(settings: Settings) -> str:
    """slack_sdk joins method names onto the base URL, which therefore must end in a slash."""
    url = settings.slack_api_url
    return url if url.endswith("/") else url + "/"


def api_session(outbound: Outbound) -> aiohttp.ClientSession:
    """One connection pool for every Web API call. Without it slack_sdk opens a session,
    and so a new TCP and TLS connection, for each call: under load that cost more than
    the rest of answering a slash command. Made on the server's loop at start-up.
    Every request through it, retries included, is counted."""
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_SECONDS),
        trace_configs=[counting_trace(outbound)],
    )


def counting_trace(outbound: Outbound) -> aiohttp.TraceConfig:
    """The one hook that counts Slack traffic, by Web API method and HTTP answer.

    (Slack reports most refusals as `ok: false` in a 200; those count as ok here,
    as HTTP exchanges that worked.)
    """
    trace = aiohttp.TraceConfig()

    async def answered(_: object, __: object, params: aiohttp.TraceRequestEndParams) -> None:
        outbound.count(api_method(params.url), outcome_of(params.response.status))

    async def failed(_: object, __: object, params: aiohttp.TraceRequestExceptionParams) -> None:
        outbound.count(api_method(params.url), "network_error")

    trace.on_request_end.append(answered)
    trace.on_request_exception.append(failed)
    return trace


def api_method(url: object) -> str:
    """`chat.postMessage` from `.../api/chat.postMessage`; anything else is `other`."""
    name = str(getattr(url, "path", url)).rsplit("/", 1)[-1]
    return name if METHOD_NAME.fullmatch(name) else "other"


def web_client(settings: Settings, outbound: Outbound | None = None) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=api_base_url(settings),
        timeout=CLIENT_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(outbound),
        logger=quiet_logger("adapters.slack.web", settings),
    )


def bolt_app(settings: Settings, client: AsyncWebClient) -> AsyncApp:
    """Listeners ack first and work after (process_before_response=False): Slack's 3 seconds."""
    return AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        logger=quiet_logger("adapters.slack.bolt", settings),
        process_before_response=False,
        name="dslp-bot",
    )
