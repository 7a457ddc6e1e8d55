"""The Bolt app and the Web API client, configured once.

The client retries what Slack asks to be retried: a 429 after its
`Retry-After` (slack_sdk does not do this unless told to), dropped
connections and 5xx answers, waiting through an injected sleep (tests record
the waits instead of sleeping them). Bolt and slack_sdk log through loggers that
drop request bodies, tokens and secrets (see `redact`).
"""

from __future__ import annotations

import asyncio
import random
import re
from base64 import b64encode
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.metrics import Outbound, outcome_of
from adapters.slack.redact import quiet_logger
from adapters.slack.workspace import CURRENT, Workspace
from bot.config import Settings

RATE_LIMIT_RETRIES = 3
ERROR_RETRIES = 2
CLIENT_TIMEOUT_SECONDS = 15
METHOD_NAME = re.compile(r"[a-z]+(\.[A-Za-z]+)+")
Sleep = Callable[[float], Awaitable[None]]


class Paced(AsyncRetryHandler):
    """One of slack_sdk's handlers decides whether to retry; the wait goes through `sleep`.

    slack_sdk's handlers call `asyncio.sleep` themselves. The waits are theirs: a 429's
    `Retry-After` plus up to a second of jitter, else the handler's back-off. Rate-limit
    waits are counted in `outbound`.
    """

    def __init__(self, rule: AsyncRetryHandler, sleep: Sleep, outbound: Outbound | None) -> None:
        super().__init__(rule.max_retry_count, rule.interval_calculator)
        self._rule = rule
        self._sleep = sleep
        self._outbound = outbound

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return await self._rule.can_retry_async(
            state=state, request=request, response=response, error=error
        )

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        await self._sleep(self._wait(state, response))
        state.increment_current_attempt()

    def _wait(self, state: RetryState, response: HttpResponse | None) -> float:
        if response is not None and response.status_code == 429:
            wait = _retry_after(response) + random.random()
            if self._outbound is not None:
                self._outbound.waited(wait)
            return wait
        return self.interval_calculator.calculate_sleep_duration(state.current_attempt)


def _retry_after(response: HttpResponse) -> int:
    """Whole seconds from `Retry-After` (1 when Slack sends none), as slack_sdk reads it."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values and values[0].strip().isdigit():
            return int(values[0])
    return 1


def retry_handlers(
    outbound: Outbound | None = None, sleep: Sleep = asyncio.sleep, *, blind: bool = True
) -> list[AsyncRetryHandler]:
    """`blind=False` keeps only the 429 retry: a 5xx or a dropped connection may come after
    Slack posted the message, and repeating the call would post it twice. The delivery
    worker retries those itself, after looking for the message (adapters/slack/outbox.py)."""
    rules: list[AsyncRetryHandler] = [
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]
    if blind:
        rules += [
            AsyncConnectionErrorRetryHandler(max_retry_count=ERROR_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=ERROR_RETRIES),
        ]
    return [Paced(rule, sleep, outbound) for rule in rules]


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


class BotTokens(Protocol):
    """A workspace's bot token, fresh (`adapters.slack.installs.WorkspaceTokens`)."""

    async def token(self, workspace: Workspace | None) -> str: ...


class WorkspaceClient(AsyncWebClient):
    """The Web API client; installed in many workspaces, each call carries its workspace's token.

    A call that names its own token (the OAuth flow's, a workflow run's) keeps it. The
    client id and secret of `oauth.v2.access` go as a Basic header made here: slack_sdk's
    way (aiohttp's BasicAuth) is deprecated.
    """

    tokens: BotTokens | None = None

    async def api_call(
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[str, Any] | None = None,
        data: Any = None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> AsyncSlackResponse:
        named = (
            "token" in (params or {})
            or "token" in (json or {})
            or "Authorization" in (headers or {})
        )
        if auth is not None:
            basic = f"{auth['client_id']}:{auth['client_secret']}".encode()
            headers = {**(headers or {}), "Authorization": "Basic " + b64encode(basic).decode()}
            auth = None
        elif self.tokens is not None and not self.token and not named:
            token = await self.tokens.token(CURRENT.get())
            headers = {**(headers or {}), "Authorization": f"Bearer {token}"} if token else headers
        return await super().api_call(
            api_method,
            http_verb=http_verb,
            files=files,
            data=data,
            params=params,
            json=json,
            headers=headers,
            auth=auth,
        )


def web_client(
    settings: Settings,
    outbound: Outbound | None = None,
    sleep: Sleep = asyncio.sleep,
    *,
    blind_retries: bool = True,
) -> WorkspaceClient:
    """`blind_retries=False` for the delivery worker's sends (see `retry_handlers`).

    Without SLACK_BOT_TOKEN (installed through OAuth) the client has no token of its own."""
    return WorkspaceClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=api_base_url(settings),
        timeout=CLIENT_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(outbound, sleep, blind=blind_retries),
        logger=quiet_logger("adapters.slack.web", settings),
    )


def bolt_app(
    settings: Settings, client: AsyncWebClient, authorize: Callable[..., Any] | None = None
) -> AsyncApp:
    """Listeners ack first and work after (process_before_response=False): Slack's 3 seconds.

    The signature is checked once, by `SlackAdapter.handle` on the raw bytes before
    anything is parsed (and Socket Mode has none): Bolt checking the same HMAC again
    cost a second pass over every body, 40,000-character DMs included.
    `authorize` finds each workspace's token when the app is installed in many.
    """
    return AsyncApp(
        client=client,
        authorize=authorize,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        request_verification_enabled=False,
        logger=quiet_logger("adapters.slack.bolt", settings),
        process_before_response=False,
        name="dslp-bot",
    )
