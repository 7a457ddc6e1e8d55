"""Installing into many Slack workspaces: the OAuth v2 flow, each workspace's token, rotation.

On when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (and SLACK_BOT_TOKEN is
not): `/slack/install` sends people to Slack, `/slack/oauth_redirect` takes
them back, and Bolt's OAuth flow exchanges the code (`oauth.v2.access`, at
SLACK_API_URL like every call) and keeps the installation in our database
(slack_sdk's SQLAlchemy stores, `storage/slack_installs.py`). A workspace not
in DSLP_SLACK_TEAM_IDS cannot install. Their tokens are kept sealed under
DSLP_SECRET_KEY: without a usable key the Slack side stays off (`install_problem`)
rather than keep them in clear.

Every request is authorized with its workspace's bot token (an org-wide
install's for any workspace of its Enterprise Grid org). A rotating token is
refreshed before it runs out, by one replica at a time: the one that claims
the lease refreshes and saves; the others wait for its token instead of
spending the same refresh token. `app_uninstalled` deletes the workspace's
tokens and everything kept for it; `tokens_revoked` (the bot's) its tokens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from adapters.slack.allow import WorkspaceGate
from adapters.slack.app import WorkspaceClient
from adapters.slack.switch import multi_workspace
from adapters.slack.workspace import CURRENT, Workspace
from bot.background import Background
from bot.config import Settings
from bot.types import Platform, Scope
from storage.identities import SecretKeyError, sealer
from storage.scope_data import SqlScopeData
from storage.slack_installs import SqlSlackInstallations, SqlSlackOAuthStates, installation_key

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
BOT_SCOPES = (
    "channels:history",
    "chat:write",
    "chat:write.public",
    "commands",
    "groups:history",
    "im:history",
    "im:write",
    "users:read",
)
"""The bot scopes manifest.json asks for (a test holds the two together)."""
ROTATE_MINUTES = 120
"""A rotating token is refreshed when it has less than this left (Slack's give 12 hours)."""
LEASE_SECONDS = 30.0
WAIT_SECONDS = 0.1
NO_KEY = (
    "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET install the app into many workspaces, whose"
    " tokens are sealed with DSLP_SECRET_KEY, which is not set: Slack is off (no install"
    " page) until it is set to a Fernet key"
)
BAD_KEY = (
    "{error}: Slack is off (no install page), as installed workspaces' tokens could not be sealed"
)


def install_problem(settings: Settings) -> str:
    """Why workspaces may not install (their tokens could not be sealed); "" when they may,
    or when SLACK_BOT_TOKEN names the one workspace."""
    if settings.slack_bot_token.get_secret_value() or not multi_workspace(settings):
        return ""
    key = settings.dslp_secret_key.get_secret_value()
    if not key:
        return NO_KEY
    try:
        sealer(key)
    except SecretKeyError as error:
        return BAD_KEY.format(error=error)
    return ""


class WorkspaceTokens:
    """Each workspace's bot, with a token refreshed (once, across replicas) when it runs out."""

    def __init__(
        self,
        store: SqlSlackInstallations,
        rotator: AsyncTokenRotator,
        *,
        lease_seconds: float = LEASE_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        self._store = store
        self._rotator = rotator
        self._lease_seconds = lease_seconds
        self._wait_seconds = wait_seconds

    async def token(self, workspace: Workspace | None) -> str:
        bot = await self.bot(workspace) if workspace is not None else None
        return bot.bot_token or "" if bot is not None else ""

    async def bot(self, workspace: Workspace) -> Bot | None:
        """None when the workspace has not installed the app (or uninstalled it)."""
        bot = await self._find(workspace)
        for _ in range(int(self._lease_seconds / self._wait_seconds) + 2):
            if bot is None or not _due(bot):
                return bot
            key = _key(bot)
            if await self._store.claim_refresh(installation=key, seconds=self._lease_seconds):
                return await self._refresh_claimed(workspace, key)
            await asyncio.sleep(self._wait_seconds)
            bot = await self._find(workspace)
        return bot

    async def _refresh_claimed(self, workspace: Workspace, key: str) -> Bot | None:
        """With the lease held, read again: another replica may have refreshed it meanwhile."""
        try:
            bot = await self._find(workspace)
            if bot is None or not _due(bot):
                return bot
            fresh = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES
            )
            if fresh is None:
                return bot
            await self._store.async_save_bot(fresh)
            log.info("slack: bot token of %s refreshed", key)
            return fresh
        except (SlackApiError, SlackClientError) as error:
            log.warning("slack: bot token of %s not refreshed (%s)", key, type(error).__name__)
            return bot
        finally:
            await self._store.release_refresh(installation=key)

    async def _find(self, workspace: Workspace) -> Bot | None:
        """The workspace's own install, else its Grid org's org-wide one."""
        bot = None
        if workspace.team_id:
            bot = await self._store.async_find_bot(
                enterprise_id=workspace.enterprise_id, team_id=workspace.team_id
            )
        if bot is None and workspace.enterprise_id:
            bot = await self._store.async_find_bot(
                enterprise_id=workspace.enterprise_id, team_id=None, is_enterprise_install=True
            )
        return bot

    def authorizer(self) -> Callable[..., Awaitable[AuthorizeResult | None]]:
        """Bolt's `authorize` (a plain function: Bolt passes arguments by their names): the
        request's workspace's bot, without an auth.test call."""

        async def authorize(
            enterprise_id: str | None, team_id: str | None
        ) -> AuthorizeResult | None:
            bot = await self.bot(Workspace(team_id, enterprise_id))
            if bot is None or not bot.bot_token:
                log.warning("slack: a request from %s, which has not installed the app", team_id)
                return None
            return AuthorizeResult(
                enterprise_id=enterprise_id,
                team_id=team_id,
                bot_token=bot.bot_token,
                bot_id=bot.bot_id,
                bot_user_id=bot.bot_user_id,
                bot_scopes=bot.bot_scopes,
            )

        return authorize


def _due(bot: Bot) -> bool:
    expires = bot.bot_token_expires_at
    return (
        bool(bot.bot_refresh_token)
        and expires is not None
        and (expires < time.time() + ROTATE_MINUTES * 60)
    )


def _key(bot: Bot) -> str:
    return installation_key(bot.enterprise_id, None if bot.is_enterprise_install else bot.team_id)


class GatedOAuthFlow(AsyncOAuthFlow):
    """Bolt's flow, refusing workspaces (and Grid orgs) not in DSLP_SLACK_TEAM_IDS."""

    gate: WorkspaceGate = WorkspaceGate(frozenset())

    async def run_installation(self, code: str) -> Installation | None:
        installation = await super().run_installation(code)
        if installation is None:
            return None
        if not self.gate.allows(installation.team_id, installation.enterprise_id):
            log.warning(
                "slack: install by %s refused (not in DSLP_SLACK_TEAM_IDS)",
                str(installation.team_id or installation.enterprise_id)[:40],
            )
            return None
        return installation


class Installs:
    """The OAuth routes, the token source and the uninstall listeners, wired together."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: SqlSlackInstallations,
        states: SqlSlackOAuthStates,
        scope_data: SqlScopeData,
        api_url: str,
        gate: WorkspaceGate,
        background: Background,
    ) -> None:
        """`background` runs the uninstall listeners' work after their ack."""
        self.background = background
        secret = settings.slack_client_secret.get_secret_value()
        oauth_client = WorkspaceClient(base_url=api_url)
        self.store = store
        self.tokens = WorkspaceTokens(
            store,
            AsyncTokenRotator(
                client_id=settings.slack_client_id, client_secret=secret, client=oauth_client
            ),
        )
        public = settings.dslp_public_url.rstrip("/")
        self.flow = GatedOAuthFlow(
            client=oauth_client,
            logger=log,
            settings=AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=secret,
                scopes=list(BOT_SCOPES),
                redirect_uri=public + REDIRECT_PATH if public else None,
                install_path=INSTALL_PATH,
                install_page_rendering_enabled=False,
                redirect_uri_path=REDIRECT_PATH,
                installation_store=store,
                installation_store_bot_only=True,
                state_store=states,
                token_rotation_expiration_minutes=ROTATE_MINUTES,
                logger=log,
            ),
        )
        self.flow.gate = gate
        self._scope_data = scope_data

    def routes(self) -> list[web.RouteDef]:
        return [web.get(INSTALL_PATH, self.install), web.get(REDIRECT_PATH, self.redirect)]

    async def install(self, request: web.Request) -> web.StreamResponse:
        """A fresh state (in our database and a cookie), then off to Slack's consent page."""
        response = await self.flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    async def redirect(self, request: web.Request) -> web.StreamResponse:
        response = await self.flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def register(self, bolt: AsyncApp) -> None:
        """Before the catch-all event listener."""
        bolt.use(self.in_workspace)
        bolt.event("app_uninstalled")(self.on_uninstalled)
        bolt.event("tokens_revoked")(self.on_tokens_revoked)

    async def in_workspace(
        self, context: AsyncBoltContext, next: Any, resp: BoltResponse
    ) -> BoltResponse:
        """Every Web API call this request makes, now or after its ack, uses its workspace's
        token (`adapters.slack.workspace`)."""
        CURRENT.set(Workspace(context.team_id, context.enterprise_id))
        await next()
        return resp

    async def on_uninstalled(self, body: Mapping[str, Any], context: AsyncBoltContext) -> None:
        self.background.spawn(self._uninstalled(body, context), "slack uninstall")

    async def on_tokens_revoked(self, body: Mapping[str, Any], context: AsyncBoltContext) -> None:
        self.background.spawn(self._tokens_revoked(body, context), "slack tokens revoked")

    async def _uninstalled(self, body: Mapping[str, Any], context: AsyncBoltContext) -> None:
        """Its tokens, then what was kept for the workspace (an org's for an org-wide install;
        a workspace of a Grid org leaves the org's own data to its other workspaces)."""
        team, org = context.team_id, context.enterprise_id
        org_wide = bool(body.get("is_enterprise_install"))
        await self.store.async_delete_all(enterprise_id=org, team_id=None if org_wide else team)
        if org_wide or not org:
            scope = Scope.of(Platform.SLACK, team or "", org or "")
            gone = await self._scope_data.forget(scope=scope.key)
            log.info("slack: uninstalled from %s; %d rows of its data deleted", scope.key, gone)
        else:
            log.info("slack: uninstalled from %s (of %s); its tokens deleted", team, org)

    async def _tokens_revoked(self, body: Mapping[str, Any], context: AsyncBoltContext) -> None:
        tokens = body.get("event", {}).get("tokens", {})
        if not isinstance(tokens, Mapping) or not tokens.get("bot"):
            return
        org_wide = bool(body.get("is_enterprise_install"))
        team, org = context.team_id, context.enterprise_id
        await self.store.async_delete_all(enterprise_id=org, team_id=None if org_wide else team)
        log.info("slack: bot token of %s revoked; deleted", team or org)
