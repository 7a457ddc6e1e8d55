"""The Teams route on the shared server: POST /api/messages, Bot Framework tokens required.

Every request is checked with the SDK's own JWT validator before its body is
read. Anonymous requests are accepted only when DSLP_TEAMS_ALLOW_ANONYMOUS=1
is set on purpose (local tests), and the server says so loudly at start-up.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable

from aiohttp import web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    ClaimsIdentity,
    JwtTokenValidator,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes
from pydantic import ValidationError

from adapters.composition import FLOWS, App
from adapters.teams import texts as t
from adapters.teams.bot import TeamsBot
from adapters.teams.cards import Outgoing
from adapters.teams.delivery import Delivery
from adapters.teams.outbox import TeamsOutbox
from adapters.teams.tenants import parse_tenants, tenant_allowed, tenants_named
from adapters.web import Mount
from bot.config import Settings
from bot.flows.ask import ASK
from bot.types import Platform
from storage.teams_references import SqlTeamsReferences

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
MULTI_TENANT_AUTHORITY = "botframework.com"
APP_TYPES = ("multitenant", "singletenant", "userassignedmsi")
UNAUTHORIZED = {"error": "Invalid token or authentication failed."}
NOT_AN_ACTIVITY = {"error": "not a Bot Framework activity"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def teams_mount(app: App) -> Mount | str:
    settings = app.settings
    anonymous = settings.dslp_teams_allow_anonymous
    if not settings.microsoft_app_id and not anonymous:
        return t.OFF_NO_APP_ID
    problem = app_type_problem(settings)
    if problem:
        return problem
    auth = auth_configuration(settings)
    connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": auth})
    adapter = CloudAdapter(connection_manager=connections)
    references = SqlTeamsReferences(app.database)
    delivery = Delivery(outbound=app.metrics.outbound("teams"))
    adapter.on_turn_error = turn_failed(delivery)
    bot = TeamsBot(
        commands=app.commands,
        references=references,
        delivery=delivery,
        flows=FLOWS,
        default_flow=ASK.name,
        linked=app.linked,
    )
    outbox = TeamsOutbox(
        adapter=adapter, references=references, delivery=delivery, app_id=settings.microsoft_app_id
    )
    app.outbox.register(Platform.TEAMS, outbox)
    tenants = parse_tenants(settings.dslp_teams_tenant_ids)
    route = web.post(ROUTE, messages(adapter, bot, auth, tenants))
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
    adapter: CloudAdapter,
    bot: TeamsBot,
    auth: AgentAuthConfiguration,
    tenants: frozenset[str] = frozenset(),
) -> Handler:
    async def handle(request: web.Request) -> web.StreamResponse:
        claims = await authorize(request.headers.get("Authorization"), auth)
        if claims is None:
            return web.json_response(UNAUTHORIZED, status=401)
        refused = await refuse_tenant(request, tenants)
        if refused is not None:
            return refused
        with warnings.catch_warnings():
            # The SDK reads the verified claims from this plain string key.
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            request["claims_identity"] = claims
        try:
            return await adapter.process(request, bot) or web.Response(status=202)
        except ValidationError:
            return web.json_response(NOT_AN_ACTIVITY, status=400)
        except Exception:
            # Bot Service retries on 5xx; the user already got TURN_FAILED if anything.
            log.exception("Teams activity failed")
            return web.Response(status=200)

    return handle


async def refuse_tenant(request: web.Request, tenants: frozenset[str]) -> web.Response | None:
    """A quiet 200 for another tenant's activity (Teams would retry an error); None = go on.

    Logged with the tenant id only: the body is other people's words.
    """
    if not tenants:
        return None
    try:
        activity = await request.json()
    except ValueError:
        return web.json_response(NOT_AN_ACTIVITY, status=400)
    if not isinstance(activity, dict):
        return web.json_response(NOT_AN_ACTIVITY, status=400)
    if tenant_allowed(activity, tenants):
        return None
    named = ", ".join(sorted(tenants_named(activity))) or "none"
    log.warning("Teams activity refused: tenant %s is not in DSLP_TEAMS_TENANT_IDS", named)
    return web.Response(status=200)


async def authorize(header: str | None, auth: AgentAuthConfiguration) -> ClaimsIdentity | None:
    """The caller's verified claims, or None (401). No header is anonymous only when allowed."""
    if not header:
        return ClaimsIdentity() if auth.ANONYMOUS_ALLOWED else None
    scheme, _, token = header.strip().partition(" ")
    if scheme.casefold() != "bearer" or not token.strip() or " " in token.strip():
        return None
    try:
        return await JwtTokenValidator(auth).validate_token(token.strip())
    except Exception as error:  # PyJWTError, ValueError, key fetch failures: all mean "no"
        log.warning("Teams request rejected: %s", type(error).__name__)
        return None


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
