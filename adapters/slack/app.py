"""The Bolt app and the Web API client, configured once.

The client retries what Slack asks to be retried: a 429 after its
`Retry-After` (slack_sdk does not do this unless told to), dropped
connections and 5xx answers. Bolt and slack_sdk log through loggers that
drop request bodies, tokens and secrets (see `redact`).
"""

from __future__ import annotations

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.redact import quiet_logger
from bot.config import Settings

RATE_LIMIT_RETRIES = 3
ERROR_RETRIES = 2
CLIENT_TIMEOUT_SECONDS = 15


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncConnectionErrorRetryHandler(max_retry_count=ERROR_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=ERROR_RETRIES),
    ]


def api_base_url(settings: Settings) -> str:
    """slack_sdk joins method names onto the base URL, which therefore must end in a slash."""
    url = settings.slack_api_url
    return url if url.endswith("/") else url + "/"


def api_session() -> aiohttp.ClientSession:
    """One connection pool for every Web API call. Without it slack_sdk opens a session,
    and so a new TCP and TLS connection, for each call: under load that cost more than
    the rest of answering a slash command. Made on the server's loop at start-up."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_SECONDS))


def web_client(settings: Settings) -> AsyncWebClient:
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=api_base_url(settings),
        timeout=CLIENT_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
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
