"""The Slack adapter's Mount: `/slack/events` on the shared server, or Socket Mode.

Off, with the reason, unless SLACK_SIGNING_SECRET and either SLACK_BOT_TOKEN
(one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (installed into many
through OAuth, `adapters/slack/installs.py`, which also needs DSLP_SECRET_KEY to seal
their tokens) are set. With SLACK_APP_TOKEN the
app connects out over a WebSocket instead (no public URL needed) and contributes
no route.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import is_slash_command
from slack_bolt.response import BoltResponse

from adapters.app import App, Hook, Mount
from adapters.periodic import Periodic
from adapters.slack.allow import WorkspaceGate, parse_team_ids
from adapters.slack.app import Sleep, api_base_url, api_session, bolt_app, web_client
from adapters.slack.deps import Deps
from adapters.slack.handlers import SlackHandlers
from adapters.slack.installs import Installs, install_problem
from adapters.slack.outbox import SlackOutbox
from adapters.slack.redact import quiet_logger
from adapters.slack.replays import CONTEXT_KEY, COPY_NOT_RUN, REQUEST_MEMORY, Replays
from adapters.slack.replies import Replier
from adapters.slack.shape import well_formed
from adapters.slack.signing import REPLAY_PREFIX, replay_key, signed_off_loop
from adapters.slack.switch import OFF, configured, multi_workspace
from adapters.slack.zones import UserZones
from bot.background import Background
from bot.types import Platform
from storage.scope_data import SqlScopeData
from storage.slack_installs import SqlSlackInstallations, SqlSlackOAuthStates

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

log = logging.getLogger(__name__)

PATH = "/slack/events"
EVENT_MEMORY = timedelta(days=2)
FORGET_EVERY_SECONDS = 3600.0


class SlackAdapter:
    """Everything the Slack side holds: the Bolt app, its client, outbox and background work."""

    def __init__(self, app: App, sleep: Sleep = asyncio.sleep) -> None:
        """`sleep` is how Web API retries wait (tests pass one that records)."""
        self.settings = app.settings
        self.outbound = app.metrics.outbound("slack")
        self.client = web_client(app.settings, self.outbound, sleep)
        careful = web_client(app.settings, self.outbound, sleep, blind_retries=False)
        team_ids = parse_team_ids(app.settings.dslp_slack_team_ids)
        self.background = Background()
        self.installs = _installs(app, team_ids, self.background)
        if self.installs is not None:
            self.client.tokens = careful.tokens = self.installs.tokens
        authorize = self.installs.tokens.authorizer() if self.installs is not None else None
        self.bolt: AsyncApp = bolt_app(app.settings, self.client, authorize)
        self.outbox = SlackOutbox(self.client)
        self.queued = SlackOutbox(careful)
        """The delivery worker's sender: no blind retry that could post a message twice."""
        self.events = app.platforms.slack_events
        self.replays = Replays(self.events)
        deps = Deps(
            commands=app.commands,
            drafts=app.drafts,
            asks=app.asks,
            flows=app.flows,
            client=self.client,
            outbox=self.outbox,
            replier=Replier(
                self.outbox, quiet_logger("adapters.slack.webhook", app.settings), sleep
            ),
            events=self.events,
            replays=self.replays,
            background=self.background,
            zones=UserZones(self.client),
            unattended=app.unattended,
            linked=app.linked,
            insights=app.insights.service,
            team_ids=team_ids,
        )
        SlackHandlers(deps, self.installs).register(self.bolt)
        app.outbox.register(Platform.SLACK, self.queued)
        self._socket: AsyncSocketModeHandler | None = None  # only with SLACK_APP_TOKEN
        self._secret = app.settings.slack_signing_secret.get_secret_value()
        self._forgetting = Periodic("slack memory", self.forget_old_keys, FORGET_EVERY_SECONDS)

    async def handle(self, request: web.Request) -> web.Response:
        """Signature on the raw bytes (its only check), then the body, then replays; Bolt last."""
        body = await request.read()
        if not await signed_off_loop(body, request.headers, self._secret):
            return web.Response(status=401)
        try:
            bolt_request = await to_bolt_request(request)
        except (AttributeError, KeyError, TypeError, ValueError, RecursionError):  # Bolt's parser
            return _malformed()
        if not well_formed(bolt_request.body):
            return _malformed()
        if await self._replayed(bolt_request, request.headers):
            log.warning(COPY_NOT_RUN)
            return web.Response(status=200)
        response = await self.bolt.async_dispatch(bolt_request)
        if response.status == 404:
            log.warning("slack: acked a request no listener handles (an unknown payload type)")
            response = BoltResponse(status=200, body="")
        return await to_aiohttp_response(response)

    async def _replayed(self, request: AsyncBoltRequest, headers: Mapping[str, str]) -> bool:
        """An event is known by its event id (`SlackHandlers.once_per_event`, which also
        catches Slack's retries); a slash command is looked up by its listener after its ack
        (`SlackHandlers.on_command`), so the ack does not wait on the database; any other
        request by its timestamp and signature, here."""
        body = request.body
        if body.get("type") == "event_callback" and isinstance(body.get("event_id"), str):
            return False
        key = replay_key(headers)
        if is_slash_command(body):
            request.context[CONTEXT_KEY] = key
            return False
        return not await self.replays.first_time(key)

    async def drain(self) -> None:
        """Wait for work started after acks (graceful shutdown; tests)."""
        await self.background.drain()

    async def open_session(self) -> None:
        self.client.session = self.queued.client.session = api_session(self.outbound)

    async def close_session(self) -> None:
        """Calls after this (a late filing result) fall back to a session of their own."""
        session, self.client.session = self.client.session, None
        self.queued.client.session = None
        if session is not None:
            await session.close()

    async def forget_old_keys(self) -> None:
        await self.events.forget_older_than(age=REQUEST_MEMORY, prefix=REPLAY_PREFIX)
        await self.events.forget_older_than(age=EVENT_MEMORY)

    async def start_forgetting(self) -> None:
        self._forgetting.start()

    async def start_socket_mode(self) -> None:
        """Socket Mode's client is loaded here, for the deployments that use it."""
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        token = self.settings.slack_app_token.get_secret_value()
        logger = quiet_logger("adapters.slack.socket", self.settings)
        self._socket = AsyncSocketModeHandler(self.bolt, token, logger=logger)
        await self._socket.connect_async()  # type: ignore[no-untyped-call]
        log.info("slack: connected in Socket Mode")

    async def stop_socket_mode(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]

    def mount(self) -> Mount:
        cleanup: list[Hook] = [self.drain, self.close_session, self._forgetting.stop]
        startup: list[Hook] = [self.open_session, self.start_forgetting]
        if self.settings.slack_app_token.get_secret_value():
            return Mount(
                "slack (socket mode)",
                (),
                [*startup, self.start_socket_mode],
                [self.stop_socket_mode, *cleanup],
            )
        routes = [web.post(PATH, self.handle)]
        if self.installs is not None:
            routes += self.installs.routes()
        return Mount("slack", routes, startup, cleanup)


def _malformed() -> web.Response:
    """Signed by Slack, so not an attack to stay quiet about; but nothing Slack sends."""
    log.warning("slack: a signed payload that cannot be read was refused")
    return web.Response(status=400)


def _installs(app: App, team_ids: frozenset[str], background: Background) -> Installs | None:
    """Installed through OAuth unless SLACK_BOT_TOKEN names the one workspace."""
    settings = app.settings
    if settings.slack_bot_token.get_secret_value() or not multi_workspace(settings):
        return None
    client_id = settings.slack_client_id
    return Installs(
        settings,
        store=SqlSlackInstallations(
            app.database,
            client_id=client_id,
            secret_key=settings.dslp_secret_key.get_secret_value(),
        ),
        states=SqlSlackOAuthStates(app.database),
        scope_data=SqlScopeData(app.database),
        api_url=api_base_url(settings),
        gate=WorkspaceGate(team_ids),
        background=background,
    )


def slack_mount(app: App) -> Mount | str:
    """The factory listed in adapters/composition/mounts.py."""
    if not configured(app.settings):
        return OFF
    refused = install_problem(app.settings)
    if refused:
        log.error("slack: %s", refused)
        return refused
    return SlackAdapter(app).mount()
