"""The bot as a GitHub App: its key, its installations, and installation tokens.

PyGithub's `GithubIntegration` signs the app's JWT (RS256, ten minutes at most)
for the `/app` endpoints; everything a repository sees is done with an
installation token (`tokens.py`), never with the JWT.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from github import Auth, Github, GithubException, GithubIntegration
from github.PaginatedList import PaginatedList
from github.Repository import Repository

from adapters.github import texts as t
from adapters.github.errors import to_tracker_error
from adapters.github.retry import RetryPolicy
from adapters.github.tokens import InstallationTokens, IssuedToken
from bot.config import ConfigurationError, Settings
from bot.repositories.model import Installation, ServedRepository

DEFAULT_API_URL = "https://api.github.com"
PEM_START = "-----BEGIN"
INSTALLATIONS = "the GitHub App's installations"

REQUIRED_PERMISSIONS: Mapping[str, str] = {
    "issues": "write",
    "contents": "write",
    "pull_requests": "write",
    "metadata": "read",
}
"""What the README asks the app for: labels and issues, branches, pull requests, metadata."""
REQUIRED_EVENTS = ("issues", "issue_comment", "pull_request")
"""`installation` and `installation_repositories` reach every app without subscribing."""
PROJECT_PERMISSIONS: Mapping[str, str] = {"organization_projects": "write"}
PROJECT_EVENTS = ("projects_v2_item",)
"""Needed besides when a Project is configured (DSLP_PROJECT, or `project owner/number`)."""
LEVELS = {"read": 1, "write": 2, "admin": 3}


def load_private_key(value: str) -> str:
    """GITHUB_APP_PRIVATE_KEY as a PEM: given as is (with real or `\\n` line breaks) or as a path.

    Read here, at start, so a wrong key is one clear sentence instead of
    a 401 on the first Ask somebody files. The RSA consistency check (30 ms of every start)
    is skipped: the key is the operator's own, not an attacker's, and one whose numbers do not
    agree signs tokens GitHub refuses, which `dslp-bot doctor` reports.
    """
    if not value.strip():
        raise ConfigurationError(t.KEY_MISSING)
    pem = value.replace("\\n", "\n").strip() if PEM_START in value else _read_key(value.strip())
    try:
        key = load_pem_private_key(pem.encode(), None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError) as error:
        raise ConfigurationError(t.KEY_INVALID) from error
    if not isinstance(key, RSAPrivateKey):
        raise ConfigurationError(t.KEY_INVALID)
    return pem + "\n"


def _read_key(path: str) -> str:
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(t.KEY_UNREADABLE.format(path=path)) from error


@dataclass(frozen=True)
class AppInfo:
    app_id: int
    name: str
    slug: str


@dataclass(frozen=True)
class InstallationInfo:
    """An installation as `GET /app/installations` describes it."""

    id: int
    account: str
    suspended: bool
    permissions: Mapping[str, str]
    events: tuple[str, ...]


def required_permissions(*, projects: bool = False) -> Mapping[str, str]:
    return {**REQUIRED_PERMISSIONS, **(PROJECT_PERMISSIONS if projects else {})}


def missing_permissions(granted: Mapping[str, str], *, projects: bool = False) -> list[str]:
    """`issues: write`-style names of what the installation does not grant (or grants too low)."""
    return [
        f"{name}: {level}"
        for name, level in required_permissions(projects=projects).items()
        if LEVELS.get(granted.get(name, ""), 0) < LEVELS[level]
    ]


def extra_permissions(granted: Mapping[str, str], *, projects: bool = False) -> list[str]:
    needed = required_permissions(projects=projects)
    return [f"{name}: {level}" for name, level in granted.items() if name not in needed]


class GitHubApp:
    """The app's own calls (JWT) and the installation-token ones it needs to list repositories."""

    def __init__(
        self, *, app_id: str, private_key: str, api_url: str, policy: RetryPolicy | None = None
    ) -> None:
        self._policy = policy or RetryPolicy()
        self._base_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self._integration = GithubIntegration(
            auth=Auth.AppAuth(app_id, private_key),
            base_url=self._base_url,
            timeout=self._policy.timeout,
            retry=self._policy.urllib3_retry(),
            seconds_between_requests=self._policy.request_gap,
            seconds_between_writes=self._policy.write_gap,
            user_agent="dslp-bot",
        )

    @classmethod
    def from_settings(cls, settings: Settings, policy: RetryPolicy) -> GitHubApp:
        """Raises `ConfigurationError` (said at start) for a missing or unusable key."""
        if not settings.github_repository:
            raise ConfigurationError(t.NO_DEFAULT)
        key = load_private_key(settings.github_app_private_key.get_secret_value())
        return cls(
            app_id=settings.github_app_id,
            private_key=key,
            api_url=settings.github_api_url,
            policy=policy,
        )

    def close(self) -> None:
        self._integration.close()

    async def rest(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        endpoint: str = "rest",
    ) -> tuple[int, dict[str, str], Any]:
        """An `/app` call PyGithub has no method for, signed with the app's JWT: (status,
        lower-cased headers, JSON or None). A 4xx or 5xx raises GithubException. `endpoint`
        matches the tracker's `rest` (adapters/github/reconcile.py's `Rest`)."""

        def call() -> tuple[int, dict[str, str], Any]:
            status, headers, text = self._integration.requester.requestJson(
                method, path, parameters=params or {}
            )
            if status >= 400:
                raise GithubException(status, text, headers)
            data = json.loads(text) if text else None
            return status, {key.lower(): value for key, value in headers.items()}, data

        return await asyncio.to_thread(call)

    async def describe(self) -> AppInfo:
        """`GET /app`: proves the key signs for this app id."""
        app = await asyncio.to_thread(self._integration.get_app)
        return AppInfo(app_id=app.id, name=app.name, slug=app.slug)

    async def installation_infos(self) -> list[InstallationInfo]:
        return await asyncio.to_thread(self._list_installations)

    def _list_installations(self) -> list[InstallationInfo]:
        return [
            _installation_info(found.raw_data) for found in self._integration.get_installations()
        ]

    async def issue_token(self, installation_id: int) -> IssuedToken:
        """`POST /app/installations/{id}/access_tokens`: a token for an hour."""
        given = await asyncio.to_thread(self._integration.get_access_token, installation_id)
        return IssuedToken(given.token, given.expires_at.astimezone(UTC))

    async def repositories(self, installation_id: int, token: str) -> tuple[ServedRepository, ...]:
        """`GET /installation/repositories` with that installation's token, every page."""
        return await asyncio.to_thread(self._repositories, installation_id, token)

    def _repositories(self, installation_id: int, token: str) -> tuple[ServedRepository, ...]:
        with Github(auth=Auth.Token(token), base_url=self._base_url, per_page=100) as github:
            found: PaginatedList[Repository] = PaginatedList(
                Repository,
                github.requester,
                "/installation/repositories",
                None,
                list_item="repositories",
            )
            return tuple(_served(repo.raw_data, installation_id) for repo in found)


class AppInstallations:
    """The registry's `InstallationSource`: each installation with the repositories it grants."""

    def __init__(self, app: GitHubApp, tokens: InstallationTokens) -> None:
        self._app = app
        self._tokens = tokens

    async def installations(self) -> Sequence[Installation]:
        """Raises `TrackerError` in words when GitHub cannot say (down, or the key refused)."""
        try:
            return await self._installations()
        except Exception as error:
            raise to_tracker_error(error, INSTALLATIONS) from error

    async def _installations(self) -> Sequence[Installation]:
        found: list[Installation] = []
        for info in await self._app.installation_infos():
            granted: tuple[ServedRepository, ...] = ()
            if not info.suspended:
                granted = await self._app.repositories(info.id, await self._tokens.token(info.id))
            found.append(Installation(info.id, info.account, info.suspended, granted))
        return found


def _installation_info(raw: Mapping[str, Any]) -> InstallationInfo:
    account = raw.get("account") or {}
    return InstallationInfo(
        id=int(raw["id"]),
        account=str(account.get("login", "")),
        suspended=raw.get("suspended_at") is not None,
        permissions={str(k): str(v) for k, v in (raw.get("permissions") or {}).items()},
        events=tuple(str(name) for name in raw.get("events") or ()),
    )


def _served(raw: Mapping[str, Any], installation_id: int) -> ServedRepository:
    return ServedRepository(str(raw["full_name"]), installation_id, bool(raw.get("private")))
