"""The GitHub App side of FakeGitHub: the app's JWT, installations and installation tokens.

Shaped like GitHub's REST API: `GET /app` and `GET /app/installations` take the
app's RS256 JWT (checked against the app's public key: `iss` is the app id,
`exp` in the future and at most ten minutes after `iat`); `POST
/app/installations/{id}/access_tokens` answers a token and its `expires_at`;
an installation token reaches only its installation's repositories (and
public ones, read-only), is refused with 401 "Bad credentials" once expired,
and `GET /installation/repositories` lists what it may reach.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.github_routes import Call, Handler, Reply
from tests.fakes.github_state import ApiError, FakeRepo, GitHubState, Json, iso, not_found

ALL_PERMISSIONS = {
    "issues": "write",
    "contents": "write",
    "pull_requests": "write",
    "metadata": "read",
}
ALL_EVENTS = ["issues", "issue_comment", "pull_request"]
JWT_LONGEST = 600
NOT_FOR_INTEGRATIONS = "Resource not accessible by integration"
ISSUE_WRITES = re.compile(r"/repos/[^/]+/[^/]+/(issues|labels)(/.*)?")
REPO_PATH = re.compile(r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)(/.*)?")


@cache
def _rsa_key() -> rsa.RSAPrivateKey:
    """One key per test run: generating RSA keys is slow, and tests only need one that works."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_of(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def other_key_pem() -> str:
    """A valid key that is not the app's (GitHub refuses what it signs)."""
    return pem_of(_other_key())


@cache
def _other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class FakeInstallation:
    id: int
    account: str
    repositories: list[str]
    permissions: dict[str, str] = field(default_factory=lambda: dict(ALL_PERMISSIONS))
    events: list[str] = field(default_factory=lambda: list(ALL_EVENTS))
    suspended_at: datetime | None = None
    target_type: str = "Organization"

    def grants(self, full_name: str) -> bool:
        return full_name.casefold() in (name.casefold() for name in self.repositories)


@dataclass(frozen=True)
class Caller:
    """Who is calling: a personal token, the app itself (JWT), one installation, or a person
    with their own user token (`login`)."""

    kind: str
    installation: FakeInstallation | None = None
    login: str = ""


PERSONAL = Caller("token")


@dataclass
class FakeApp:
    id: int
    slug: str
    now: Callable[[], datetime]
    installations: dict[int, FakeInstallation] = field(default_factory=dict)
    tokens: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    token_lifetime: timedelta = timedelta(hours=1)

    @property
    def private_key(self) -> str:
        return pem_of(_rsa_key())

    def verify_jwt(self, token: str) -> None:
        try:
            claims = jwt.decode(
                token,
                _rsa_key().public_key(),
                algorithms=["RS256"],
                options={"require": ["exp", "iat", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise ApiError(401, "A JSON web token could not be decoded") from error
        if str(claims["iss"]) != str(self.id):
            raise ApiError(401, "Integration not found")
        if int(claims["exp"]) - int(claims["iat"]) > JWT_LONGEST + 60:
            raise ApiError(401, "'Expiration time' claim ('exp') is too far in the future")

    def issue_token(self, installation_id: int) -> tuple[str, datetime]:
        installation = self.installations.get(installation_id)
        if installation is None:
            raise not_found()
        if installation.suspended_at is not None:
            raise ApiError(403, "This installation has been suspended")
        token = "ghs_" + secrets.token_hex(18)
        expires_at = self.now() + self.token_lifetime
        self.tokens[token] = (installation_id, expires_at)
        return token, expires_at

    def caller_for(self, token: str) -> Caller | None:
        """The installation whose token this is; ApiError 401 once it has expired."""
        held = self.tokens.get(token)
        if held is None:
            return None
        installation_id, expires_at = held
        installation = self.installations.get(installation_id)
        if installation is None or expires_at <= self.now():
            raise ApiError(401, "Bad credentials")
        return Caller("installation", installation)

    def expire_tokens(self) -> None:
        """Every token issued so far runs out now (as if an hour had passed)."""
        moment = self.now()
        self.tokens = {token: (held[0], moment) for token, held in self.tokens.items()}


def check_scope(caller: Caller, method: str, path: str, state: GitHubState) -> None:
    """What each kind of caller may reach, as GitHub decides it."""
    is_app_path = path == "/app" or path.startswith("/app/")
    if (caller.kind == "app") != is_app_path:
        raise (
            ApiError(401, "Bad credentials") if is_app_path else ApiError(403, NOT_FOR_INTEGRATIONS)
        )
    if caller.kind == "user":
        _check_person(caller.login, method, path, state)
        return
    installation = caller.installation
    if installation is None:
        return
    if path == "/user":
        raise ApiError(403, NOT_FOR_INTEGRATIONS)
    match = REPO_PATH.fullmatch(path)
    if match is None:
        return
    repo = state.repo(match.group("owner"), match.group("name"))
    granted = installation.grants(repo.full_name)
    if not granted and repo.private:
        raise not_found()
    if method == "GET":
        return
    issues = installation.permissions.get("issues") == "write"
    if not granted or (ISSUE_WRITES.fullmatch(path) and not issues):
        raise ApiError(403, NOT_FOR_INTEGRATIONS)


def _check_person(login: str, method: str, path: str, state: GitHubState) -> None:
    """A user token reaches what its person may: a private repository only as a collaborator
    (else 404), and changes need write access (else 403)."""
    match = REPO_PATH.fullmatch(path)
    if match is None:
        return
    repo = state.repo(match.group("owner"), match.group("name"))
    role = repo.collaborators.get(login.casefold(), "")
    if repo.private and not role:
        raise not_found()
    if method != "GET" and role not in WRITERS:
        raise ApiError(403, "Must have push access to this repository.")


WRITERS = frozenset({"write", "maintain", "admin"})


class AppRoutes:
    """The `/app` and `/installation` routes; `call.caller` says who asks."""

    def __init__(self, state: GitHubState, app: Callable[[], FakeApp]) -> None:
        self.state = state
        self.app = app

    def table(self) -> list[tuple[str, str, Handler]]:
        return [
            ("GET", r"/app", self.get_app),
            ("GET", r"/app/installations", self.list_installations),
            ("POST", r"/app/installations/(?P<id>\d+)/access_tokens", self.create_token),
            ("GET", r"/installation/repositories", self.list_repositories),
        ]

    def get_app(self, call: Call) -> Reply:
        app = self.app()
        body = {
            "id": app.id,
            "slug": app.slug,
            "node_id": f"A_{app.id}",
            "name": app.slug,
            "owner": self.state.user("octo").render(call.api),
            "description": "",
            "external_url": "https://dslp.example.com",
            "html_url": f"{call.api.split('/api/')[0]}/apps/{app.slug}",
            "created_at": iso(self.state.now()),
            "updated_at": iso(self.state.now()),
            "permissions": dict(ALL_PERMISSIONS),
            "events": list(ALL_EVENTS),
            "installations_count": len(app.installations),
        }
        return Reply(200, body)

    def render_installation(self, installation: FakeInstallation, api: str) -> Json:
        app = self.app()
        return {
            "id": installation.id,
            "account": self.state.user(installation.account).render(api),
            "repository_selection": "selected",
            "access_tokens_url": f"{api}/app/installations/{installation.id}/access_tokens",
            "repositories_url": f"{api}/installation/repositories",
            "html_url": f"{api.split('/api/')[0]}/settings/installations/{installation.id}",
            "app_id": app.id,
            "app_slug": app.slug,
            "target_id": self.state.user(installation.account).id,
            "target_type": installation.target_type,
            "permissions": dict(installation.permissions),
            "events": list(installation.events),
            "created_at": iso(self.state.now()),
            "updated_at": iso(self.state.now()),
            "single_file_name": None,
            "suspended_at": iso(installation.suspended_at),
            "suspended_by": None,
        }

    def list_installations(self, call: Call) -> Reply:
        found = sorted(self.app().installations.values(), key=lambda i: i.id)
        return Reply(200, [self.render_installation(i, call.api) for i in found])

    def create_token(self, call: Call) -> Reply:
        installation_id = int(call.group("id"))
        token, expires_at = self.app().issue_token(installation_id)
        installation = self.app().installations[installation_id]
        body = {
            "token": token,
            "expires_at": iso(expires_at),
            "permissions": dict(installation.permissions),
            "repository_selection": "selected",
        }
        return Reply(201, body)

    def list_repositories(self, call: Call) -> Reply:
        installation = call.caller.installation if call.caller else None
        if installation is None:
            raise ApiError(403, "You must authenticate with an installation access token")
        repos = [self._repo(name) for name in installation.repositories]
        rendered = [self.state.render_repo(repo, call.api) for repo in repos]
        body = {
            "total_count": len(rendered),
            "repository_selection": "selected",
            "repositories": rendered,
        }
        return Reply(200, body)

    def _repo(self, full_name: str) -> FakeRepo:
        owner, name = full_name.split("/")
        return self.state.repo(owner, name)
