"""The Teams route on the shared server: POST /api/messages, Bot Framework tokens required.

The token is checked (`adapters.teams.tokens`) before the body is read: the
Bot Connector as issuer, this bot as audience, a key from the OpenID metadata.
Then the body is parsed and must name the serviceUrl and channel the token
was issued for, so the bot only ever sends its own token where the Bot
Connector said. Anonymous requests are accepted only when
DSLP_TEAMS_ALLOW_ANONYMOUS=1 is set on purpose (local tests), and the server
says so loudly at start-up.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.authorization import AuthTypes, Connections
from pydantic import ValidationError

from adapters.app import App, Mount
from adapters.teams import texts as t
from adapters.teams.bot import TeamsBot
from adapters.teams.cards import Outgoing
from adapters.teams.delivery import Delivery
from adapters.teams.outbox import TeamsOutbox
from adapters.teams.switch import off_reason
from adapters.teams.tenants import parse_tenants, tenant_allowed, tenants_named
from adapters.teams.tokens import ANONYMOUS, OpenIdKeys, authenticate, url_problem
from bot.config import Settings
from bot.flows.ask import ASK
from bot.types import Platform

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
MULTI_TENANT_AUTHORITY = "botframework.com"
APP_TYPES = ("multitenant", "singletenant", "userassignedmsi")
UNAUTHORIZED = {"error": "Invalid token or authentication failed."}
NOT_AN_ACTIVITY = {"error": "not a Bot Framework activity"}
METADATA_SETTING = "MICROSOFT_OPENID_METADATA_URL"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Gate:
    """Who may post activities: the Bot Connector's tokens for this app, or anyone if anonymous."""

    keys: OpenIdKeys
    app_id: str
    anonymous: bool


def teams_mount(app: App, *, connections: Connections | None = None) -> Mount | str:
    """`connections` hands out the bot's outgoing tokens; MSAL (Microsoft Entra) unless given."""
    settings = app.settings
    anonymous = settings.dslp_teams_allow_anonymous
    problem = (
        off_reason(settings)
        or app_type_problem(settings)
        or url_problem(settings.microsoft_openid_metadata_url, METADATA_SETTING)
    )
    if problem:
        return problem
    auth = auth_configuration(settings)
    if connections is None:
        connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})
    adapter = CloudAdapter(connection_manager=connections)
    references = app.platforms.teams_references
    delivery = Delivery(outbound=app.metrics.outbound("teams"))
    adapter.on_turn_error = turn_failed(delivery)
    bot = TeamsBot(
        commands=app.commands,
        references=references,
        delivery=delivery,
        flows=app.flows,
        default_flow=ASK.name,
        linked=app.linked,
    )
    outbox = TeamsOutbox(
        adapter=adapter, references=references, delivery=delivery, app_id=settings.microsoft_app_id
    )
    app.outbox.register(Platform.TEAMS, outbox)
    tenants = parse_tenants(settings.dslp_teams_tenant_ids)
    keys = OpenIdKeys(settings.microsoft_openid_metadata_url)
    gate = Gate(keys=keys, app_id=settings.microsoft_app_id, anonymous=anonymous)
    route = web.post(ROUTE, messages(adapter, bot, gate, tenants))
    return Mount("teams", [route], on_startup=[_warn_anonymous] if anonymous else [])


def app_type_problem(settings: Settings) -> str:
    """Why MICROSOFT_APP_TYPE cannot work with the other settings, or ""."""
    kind = settings.microsoft_app_type.casefold()
    if kind not in APP_TYPES:
        return t.OFF_APP_TYPE.format(value=settings.microsoft_app_type)
    if kind != "multitenant" and settings.microsoft_app_id and not settings.microsoft_app_tenant_id:
        return t.OFF_NO_TENANT.format(value=settings.microsoft_app_type)
    return ""


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """MICROSOFT_APP_TYPE as Azure Bot names it, in the SDK's terms."""
    kind = settings.microsoft_app_type.casefold()
    tenant = settings.microsoft_app_tenant_id or None
    if kind == "multitenant":
        tenant = tenant or MULTI_TENANT_AUTHORITY
    auth_type = (
        AuthTypes.user_managed_identity if kind == "userassignedmsi" else AuthTypes.client_secret
    )
    return AgentAuthConfiguration(
        auth_type=auth_type,
        client_id=settings.microsoft_app_id or None,
        tenant_id=tenant,
        client_secret=settings.microsoft_app_password.get_secret_value() or None,
        anonymous_allowed=settings.dslp_teams_allow_anonymous,
    )


def messages(
    adapter: CloudAdapter, bot: TeamsBot, gate: Gate, tenants: frozenset[str] = frozenset()
) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Authorization")
        token = await authenticate(header, gate.keys, app_id=gate.app_id, anonymous=gate.anonymous)
        if token is None:
            return web.json_response(UNAUTHORIZED, status=401)
        activity = await read_activity(request)
        if activity is None:
            return web.json_response(NOT_AN_ACTIVITY, status=400)
        if token is not ANONYMOUS and not token.fits(activity):
            log.warning("Teams request rejected: serviceUrl or channel not the token's")
            return web.json_response(UNAUTHORIZED, status=401)
        if not tenant_allowed(activity, tenants):
            return refuse_tenant(activity)
        with warnings.catch_warnings():
            # The SDK reads the verified claims from this plain string key.
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            request["claims_identity"] = ClaimsIdentity(dict(token.claims))
        try:
            return await adapter.process(request, bot) or web.Response(status=202)
        except ValidationError:
            return web.json_response(NOT_AN_ACTIVITY, status=400)
        except Exception:
            # Bot Service retries on 5xx; the user already got TURN_FAILED if anything.
            log.exception("Teams activity failed")
            return web.Response(status=200)

    return handle


async def read_activity(request: web.Request) -> dict[str, object] | None:
    """The body as a JSON object, or None: read only after the token checked out."""
    try:
        activity = await request.json()
    except (ValueError, RecursionError):
        return None
    return activity if isinstance(activity, dict) else None


def refuse_tenant(activity: dict[str, object]) -> web.Response:
    """A quiet 200 for another tenant's activity (Teams would retry an error).

    Logged with the tenant id only: the body is other people's words.
    """
    named = ", ".join(sorted(tenants_named(activity))) or "none"
    log.warning("Teams activity refused: tenant %s is not in DSLP_TEAMS_TENANT_IDS", named)
    return web.Response(status=200)


def turn_failed(delivery: Delivery) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """Log the error and tell the user in plain words (the SDK's default shows the exception)."""

    async def on_error(context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed", exc_info=error)
        try:
            await delivery.send(context, Outgoing(text=t.TURN_FAILED))
        except Exception as failure:
            log.warning("could not tell the user about the failure: %s", type(failure).__name__)

    return on_error


async def _warn_anonymous() -> None:
    log.warning(t.ANONYMOUS_WARNING)
