"""Wiring of GitHub: the repository registry and a tracker per repository, in the chosen mode.

GitHub App (GITHUB_APP_ID): installation tokens, repositories from the
installations. Token (GITHUB_TOKEN): GITHUB_REPOSITORY and DSLP_REPOSITORIES.
Neither: the local tracker, offline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from adapters.github.acting import UserTokenTrackers
from adapters.github.app import AppInstallations, GitHubApp
from adapters.github.tokens import (
    Credentials,
    FixedToken,
    InstallationCredentials,
    InstallationTokens,
)
from adapters.github.tracker import GitHubTracker, policy_from
from adapters.metrics import Metrics, Outbound
from bot.config import Settings
from bot.identity.service import Identities
from bot.ports import Tracker
from bot.repositories.ports import Registry
from bot.repositories.service import FixedRegistry, InstallationRegistry, RegistryTrackers
from storage.database import Database
from storage.identities import SecretKeyError
from storage.installation_tokens import SqlInstallationTokens
from storage.local_tracker import LocalTracker
from storage.repositories import SqlRepositoryStore

log = logging.getLogger(__name__)

LOCAL_TRACKER_NOTE = (
    "No GITHUB_TOKEN (or GitHub App) and GITHUB_REPOSITORY set: issues are kept by the local "
    "tracker in %s (offline mode)."
)


@dataclass(frozen=True)
class GitHubParts:
    registry: Registry
    trackers: RegistryTrackers
    app: GitHubApp | None = None
    """Set in App mode (the doctor asks it about installations)."""
    credentials: Callable[[str], Credentials] | None = None
    """The bot's own credentials for a repository (None offline): what else asks GitHub uses
    them, e.g. the permission lookup."""


def build_github(
    settings: Settings, database: Database, outbound: Outbound | None = None
) -> GitHubParts:
    """Raises `ConfigurationError` for an App whose key cannot work: said once, at start.

    Every tracker's traffic is counted in `outbound`, if given.
    """
    if settings.uses_github_app:
        return _app_mode(settings, database, outbound)
    if settings.uses_github:
        registry = FixedRegistry(settings.github_repository, settings.extra_repositories)
        trackers = RegistryTrackers(registry, _token_tracker(settings, outbound))
        token = FixedToken(settings.github_token.get_secret_value())
        return GitHubParts(registry, trackers, credentials=lambda _name: token)
    issues_dir = settings.dslp_data_dir / "issues"
    log.warning(LOCAL_TRACKER_NOTE, issues_dir)
    local = LocalTracker(database, issues_dir)
    # Offline, the local tracker stands in for GITHUB_REPOSITORY too (the name roles,
    # subscriptions and the lifecycle are kept under), so naming it is not refused.
    stand_in = (settings.github_repository,) if settings.github_repository else ()
    registry = FixedRegistry(local.repository, stand_in)
    return GitHubParts(registry, RegistryTrackers(registry, lambda _name: local))


def _token_tracker(settings: Settings, outbound: Outbound | None) -> Callable[[str], Tracker]:
    return lambda name: GitHubTracker.from_settings(settings, repository=name, outbound=outbound)


def _app_mode(settings: Settings, database: Database, outbound: Outbound | None) -> GitHubParts:
    app = GitHubApp.from_settings(settings, policy_from(settings))
    tokens = InstallationTokens(app.issue_token, shared=_shared_tokens(settings, database))
    registry = InstallationRegistry(
        store=SqlRepositoryStore(database),
        source=AppInstallations(app, tokens),
        default=settings.github_repository,
    )

    def credentials(name: str) -> Credentials:
        return InstallationCredentials(tokens=tokens, registry=registry, repository=name)

    def make(name: str) -> Tracker:
        return GitHubTracker.from_settings(
            settings, repository=name, credentials=credentials(name), outbound=outbound
        )

    return GitHubParts(registry, RegistryTrackers(registry, make), app, credentials)


def _shared_tokens(settings: Settings, database: Database) -> SqlInstallationTokens | None:
    """With DSLP_SECRET_KEY the replicas share installation tokens (sealed with it); a key
    that is not a Fernet key is said once, by the identity wiring, and shares nothing."""
    key = settings.dslp_secret_key.get_secret_value()
    try:
        return SqlInstallationTokens(database, secret_key=key) if key else None
    except SecretKeyError:
        return None


def user_token_trackers(
    settings: Settings, identities: Identities, metrics: Metrics
) -> UserTokenTrackers:
    """App mode: writes for a signed-in person carry their own token (GitHub shows them)."""

    def make(repository: str, token: str) -> GitHubTracker:
        return GitHubTracker(
            repository=repository,
            token=token,
            api_url=settings.github_api_url,
            policy=policy_from(settings),
            outbound=metrics.outbound("github"),
        )

    return UserTokenTrackers(identities=identities, make=make)
