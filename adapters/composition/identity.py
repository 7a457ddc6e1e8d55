"""Verified people and permissions wired: the identity store, GitHub's sign-in, the gate."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from adapters.composition.github import GitHubParts
from adapters.github.oauth_client import GitHubOAuthClient
from adapters.github.permissions import GitHubAccess, RepositoryAccess
from adapters.github.tracker import policy_from
from bot.commands import Commands
from bot.config import Settings
from bot.filing import Queue
from bot.identity.commands import IdentityCommands
from bot.identity.service import CALLBACK_PATH, Identities
from bot.permissions.service import Permissions
from storage.database import Database
from storage.identities import SecretKeyError, SqlIdentityStore, sealer

log = logging.getLogger(__name__)


def now() -> datetime:
    return datetime.now(UTC)


def build_identities(
    settings: Settings,
    *,
    database: Database,
    queue: Queue,
    commands: Commands,
    admins: frozenset[str],
) -> Identities:
    key = _secret_key(settings)
    store = SqlIdentityStore(database, secret_key=key)
    identities = Identities(
        store=store,
        github=_sign_in_client(settings) if key else None,
        queue=queue,
        public_url=settings.dslp_public_url,
        clock=now,
    )
    IdentityCommands(commands=commands, identities=identities, admins=admins).register()
    return identities


def build_permissions(
    settings: Settings,
    *,
    identities: Identities,
    commands: Commands,
    github: GitHubParts,
    admins: frozenset[str],
) -> Permissions:
    """GitHub decides, for every command run from Slack or Teams; no GitHub: DSLP_ADMINS only.

    The repository checked is the one each command acts on (`Request.repository`).
    """
    credentials = github.credentials
    lookup = None
    if credentials is not None:

        def make(repository: str) -> GitHubAccess:
            return GitHubAccess(
                credentials=credentials(repository),
                api_url=settings.github_api_url,
                policy=policy_from(settings),
            )

        lookup = RepositoryAccess(make)
    permissions = Permissions(lookup=lookup, identities=identities, admins=admins, clock=now)
    commands.guard(permissions)
    return permissions


def _secret_key(settings: Settings) -> str:
    """The key when it is a usable Fernet key; else "" and a log line naming the setting."""
    key = settings.dslp_secret_key.get_secret_value()
    if not key:
        return ""
    try:
        sealer(key)
    except SecretKeyError as error:
        log.error("%s: GitHub sign-in is off", error)
        return ""
    return key


def _sign_in_client(settings: Settings) -> GitHubOAuthClient | None:
    if not settings.has_sign_in_client or not settings.dslp_public_url:
        return None
    return GitHubOAuthClient(
        client_id=settings.github_client_id,
        client_secret=settings.github_client_secret.get_secret_value(),
        web_url=settings.github_web_url,
        api_url=settings.github_api_url,
        redirect_uri=settings.dslp_public_url.rstrip("/") + CALLBACK_PATH,
        clock=now,
    )
