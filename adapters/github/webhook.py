"""`POST /github/webhook`: GitHub's events into the lifecycle pipeline.

Verify before parsing: `incoming()` is a pure function of the headers, the
raw body and the secret, so a forged or broken request is turned away
before any JSON is decoded and before anything is recorded. A valid event
for a watched repository is written, raw, to the inbox (one small row,
committed together with whatever other deliveries arrive at the same time)
and only then answered 202; GitHub gives up after 10 seconds and a burst
must not queue behind rules and lookups. The ingest worker turns the row
into the event and its notifications afterwards, and the delivery worker
sends them. A GitHub App's `installation` and `installation_repositories`
events change which repositories are served, at once (one small write).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from adapters.app import App, Mount
from adapters.github.events import (
    HANDLED_EVENTS,
    INSTALLATION_EVENTS,
    PROJECT_ITEM_EVENT,
    MalformedEvent,
    to_event,
    to_installation_change,
    to_project_edit,
)
from adapters.github.reconcile import AppHook, Hooks, Reconciler
from adapters.github.recovery import Recovery
from adapters.github.served import ServedHooks, ServedTrackers
from adapters.github.tracker import GitHubTracker
from adapters.notifications import Notifications
from bot.repositories.ports import Registry
from storage.database import unavailable
from storage.inbox import Received
from storage.spool import Spool, SpoolFull

log = logging.getLogger(__name__)

PATH = "/github/webhook"
SIGNATURE = "X-Hub-Signature-256"
EVENT = "X-GitHub-Event"
DELIVERY = "X-GitHub-Delivery"
SCHEME = "sha256="
DELIVERY_PREFIX = "github:"
OFF_NO_SECRET = "GITHUB_WEBHOOK_SECRET is not set"
SPOOL_FULL = "the database is unreachable and the spool is full; GitHub keeps the delivery"
NO_RECONCILE = "reconciliation with GitHub off: %s"


class Rejected(Exception):
    """Why a request is turned away, and with which status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Incoming:
    name: str
    delivery: str
    payload: Any
    body: bytes


def signature_for(body: bytes, secret: str) -> str:
    """The header value GitHub sends (tests sign their requests with it too)."""
    return SCHEME + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(headers: Mapping[str, str], body: bytes, secret: str) -> None:
    given = headers.get(SIGNATURE, "")
    if not secret or not given.startswith(SCHEME):
        raise Rejected(401, "missing or unsupported signature")
    if not hmac.compare_digest(given.encode(), signature_for(body, secret).encode()):
        raise Rejected(401, "bad signature")


def incoming(headers: Mapping[str, str], body: bytes, secret: str) -> Incoming:
    """A verified, decoded request; raises `Rejected` (401 or 400) otherwise."""
    verify(headers, body, secret)
    name, delivery = headers.get(EVENT, ""), headers.get(DELIVERY, "")
    if not name or not delivery:
        raise Rejected(400, f"missing {EVENT} or {DELIVERY}")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:  # RecursionError: nested past Python's limit
        raise Rejected(400, "the body is not JSON") from error
    return Incoming(name, delivery, payload, body)


class WebhookHandler:
    def __init__(
        self,
        notifications: Notifications,
        secret: str,
        *,
        spool: Spool,
        recovery: Recovery,
        registry: Registry,
        app_id: str = "",
    ) -> None:
        """`registry` follows the App's installation events; `app_id` ignores other apps'."""
        self._notifications = notifications
        self._secret = secret
        self._spool = spool
        self._recovery = recovery
        self._registry = registry
        self._app_id = app_id

    async def handle(self, request: web.Request) -> web.Response:
        try:
            found = incoming(request.headers, await request.read(), self._secret)
            return await self._handle(found)
        except Rejected as rejected:
            log.info("webhook rejected (%s): %s", rejected.status, rejected.reason)
            return web.json_response({"error": rejected.reason}, status=rejected.status)

    async def _handle(self, found: Incoming) -> web.Response:
        if found.name == "ping":
            return web.json_response({"ok": True, "pong": True})
        if found.name in INSTALLATION_EVENTS:
            return await self._installation(found)
        if found.name == PROJECT_ITEM_EVENT:
            return await self._project_item(found)
        if found.name not in HANDLED_EVENTS:
            return _ignored("event type")
        try:
            event = to_event(found.name, found.payload, DELIVERY_PREFIX + found.delivery)
        except MalformedEvent as error:
            raise Rejected(400, str(error)) from error
        if event is None:
            return _ignored("action")
        lifecycle = self._notifications.lifecycle
        return await self._accept(found, lambda: lifecycle.watches(event.repository), "repository")

    async def _project_item(self, found: Incoming) -> web.Response:
        """A field changed on a Project item: kept only for the field the bot keeps, on a
        Project a served repository chose; which issue it holds is looked up later."""
        edits = self._notifications.projects
        try:
            edit = to_project_edit(found.payload)
        except MalformedEvent as error:
            raise Rejected(400, str(error)) from error
        if edit is None or edits is None:
            return _ignored("action")
        if not edits.wanted(edit):
            return _ignored("field")
        return await self._accept(found, lambda: edits.watches(edit.project), "project")

    async def _accept(
        self, found: Incoming, watched: Callable[[], Awaitable[bool]], what: str
    ) -> web.Response:
        """Into the inbox (or the spool while the database is away), answered 202."""
        delivery = DELIVERY_PREFIX + found.delivery
        received = Received(delivery, found.name, _text(found), _digest(found.body))
        if self._recovery.down:  # no need to wait on it again: spool until it answers
            return await self._spooled(received, None)
        try:
            if not await watched():
                return _ignored(what)
            new = await self._notifications.inbox.add(received)
        except Exception as error:
            if not unavailable(error):
                raise
            return await self._spooled(received, error)
        await self._notifications.ingest.kick()
        return web.json_response({"ok": True, "recorded": new}, status=202)

    async def _spooled(self, received: Received, error: Exception | None) -> web.Response:
        """The database is out of reach: the delivery goes to disk, and is answered once there.

        Beyond `DSLP_SPOOL_MAX_BYTES` (or with the disk failing) the answer is a
        503: GitHub records the failure, and reconciliation asks for it again.
        """
        if error is not None:
            self._recovery.database_down()
            log.warning("database unreachable: spooling deliveries", exc_info=error)
        try:
            await self._spool.add(received)
        except (SpoolFull, OSError) as refused:
            log.warning("delivery refused: %s", SPOOL_FULL, exc_info=refused)
            return web.json_response({"error": SPOOL_FULL}, status=503)
        return web.json_response({"ok": True, "spooled": True}, status=202)

    async def _installation(self, found: Incoming) -> web.Response:
        """Which repositories the App serves, changed before GitHub gets its answer."""
        try:
            change = to_installation_change(found.payload, app_id=self._app_id)
        except MalformedEvent as error:
            raise Rejected(400, str(error)) from error
        if change is None:
            return _ignored("action")
        if not await self._registry.apply(change):
            return _ignored("installation (not a GitHub App)")
        return web.json_response({"ok": True, "installation": change.change.value}, status=202)


def _text(found: Incoming) -> str:
    """The body as GitHub sent it (UTF-8); re-encoded only if it came in another encoding."""
    try:
        return found.body.decode("utf-8")
    except UnicodeDecodeError:
        return json.dumps(found.payload)


def _digest(body: bytes) -> str:
    """GitHub signs a body, not a delivery id: a copied body replayed under a new
    X-GitHub-Delivery is still signed, and is known by this."""
    return hashlib.sha256(body).hexdigest()


def _ignored(what: str) -> web.Response:
    return web.json_response({"ok": True, "ignored": what}, status=202)


def webhook_mount(app: App) -> Mount | str:
    """`POST /github/webhook`, on only when GITHUB_WEBHOOK_SECRET is set."""
    secret = app.settings.github_webhook_secret.get_secret_value()
    if not secret:
        return OFF_NO_SECRET
    notifications, settings = app.notifications, app.settings
    spool = Spool(settings.dslp_data_dir / "spool", max_bytes=settings.dslp_spool_max_bytes)
    recovery = Recovery(
        spool=spool,
        inbox=notifications.inbox,
        ingest=notifications.ingest,
        reconciler=_reconciler(app),
        ping=app.database.aping,
        every=settings.dslp_reconcile_minutes * 60,
    )
    handler = WebhookHandler(
        notifications,
        secret,
        spool=spool,
        recovery=recovery,
        registry=app.repositories,
        app_id=settings.github_app_id,
    )

    async def start() -> None:
        recovery.start()

    async def stop() -> None:
        await recovery.stop()
        spool.close()

    routes = [web.post(PATH, handler.handle)]
    return Mount("github webhook", routes, on_startup=[start], on_cleanup=[stop])


def _reconciler(app: App) -> Reconciler | None:
    """In App mode the app's own webhook; else each served repository's hook, when the bot
    can find it (see reconcile.py)."""
    settings, tracker, inbox = app.settings, app.tracker, app.notifications.inbox
    if app.github_app is not None:
        hooks: Hooks = AppHook(rest=app.github_app)
        return Reconciler(hooks=hooks, inbox=inbox, database=app.database, prefix=DELIVERY_PREFIX)
    if not isinstance(tracker, GitHubTracker):
        log.info(NO_RECONCILE, "no GitHub token")
        return None
    if not (settings.dslp_public_url or settings.dslp_github_hook_id):
        log.info(NO_RECONCILE, "set DSLP_PUBLIC_URL or DSLP_GITHUB_HOOK_ID to find the hook")
        return None
    hooks = ServedHooks(
        served=ServedTrackers(repositories=app.repositories, trackers=app.trackers),
        url=settings.dslp_public_url.rstrip("/") + PATH,
        default=tracker.repository,
        hook_id=settings.dslp_github_hook_id,
    )
    return Reconciler(hooks=hooks, inbox=inbox, database=app.database, prefix=DELIVERY_PREFIX)
