"""FakeGitHub: a small GitHub REST server on 127.0.0.1 for tests.

It runs an aiohttp app on its own event loop in a background thread, so the
synchronous PyGithub client and async tests can both talk to it. State lives
in memory (tests/fakes/github_state.py); faults, delays and rate limits are
injected per request so retry and idempotency rules can be tested through the
real client instead of patched code.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NamedTuple, Self

from aiohttp import web

from tests.fakes.github_app import (
    PERSONAL,
    AppRoutes,
    Caller,
    FakeApp,
    FakeInstallation,
    check_scope,
)
from tests.fakes.github_hooks import FakeDelivery, FakeHook, FakeHooks
from tests.fakes.github_oauth import FakeOAuth
from tests.fakes.github_routes import Call, GitHubRoutes, Reply
from tests.fakes.github_state import ApiError, FakeIssue, FakeRepo, GitHubState, Json, error_body
from tests.fakes.github_structure import FakeProject, StructureRoutes
from tests.fakes.outage import Outage

SECONDARY_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
PRIMARY_LIMIT = "API rate limit exceeded for user ID 1."
REASONS = {
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    422: "Validation Failed",
    429: "Too Many Requests",
}


class Recorded(NamedTuple):
    """One request as the fake saw it; `path` is relative to the base path."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    credential: str = ""
    """The token of its Authorization header (which installation's, app's or person's)."""


@dataclass
class Rule:
    """A fault or delay waiting for the next matching request(s)."""

    method: str
    pattern: re.Pattern[str]
    times: int
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Json | None = None
    after_effect: bool = False
    delay: float = 0.0
    operation: str = ""
    """For `POST /graphql`: only requests whose query is this named operation."""

    def matches(self, method: str, path: str, operation: str = "") -> bool:
        wanted = self.method in (method, "*") and self.operation in ("", operation)
        return self.times > 0 and wanted and bool(self.pattern.fullmatch(path))


class FakeGitHub:
    """Start with `with FakeGitHub() as fake:`; point the client at `fake.api_url`."""

    def __init__(
        self,
        *,
        repository: str = "octo/dslp",
        token: str = "test-token",
        login: str = "dslp-bot",
        base_path: str = "",
    ) -> None:
        self.base_path = base_path.rstrip("/")
        self.tokens = {token}
        self.token = token
        self.repository = repository
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.state = GitHubState(login=login, now=lambda: self.clock())
        self.state.add_repo(repository)
        self.oauth = FakeOAuth(now=lambda: self.clock())
        """GitHub's web sign-in: `fake.oauth.signed_in = "ben-gh"`, `fake.oauth.callbacks`."""
        self.requests: list[Recorded] = []
        self.rules: list[Rule] = []
        self.outage = Outage()
        """`fake.outage.start(90, status=502)`: every request fails for 90 s."""
        self.rate_remaining = 5000
        self.not_modified = 0
        self.held = 0
        """Requests received and not answered yet: waiting out a `delay_next`."""
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.hooks = FakeHooks(self.state, lambda: self.clock())
        routes = GitHubRoutes(self.state, lambda: self.rate_remaining).table()
        self.structure = StructureRoutes(self.state)
        """Sub-issues, pull requests, branches, GraphQL: `fake.structure.sub_issues = False`
        is a GitHub Enterprise Server without sub-issues."""
        self._routes = routes + self.structure.table() + self.hooks.table()
        self.app: FakeApp | None = None
        app_routes = AppRoutes(self.state, self._the_app).table()
        self._routes += [
            (method, re.compile(path), handler) for method, path, handler in app_routes
        ]

    # --- lifecycle -------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def web_url(self) -> str:
        """What GITHUB_WEB_URL would be: the sign-in pages live at the origin, as on GHES."""
        return self.origin

    @property
    def api_url(self) -> str:
        """What GITHUB_API_URL would be, e.g. http://127.0.0.1:1234/api/v3 for GHES."""
        return f"{self.origin}{self.base_path}"

    def start(self) -> Self:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("FakeGitHub did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        loop.run_until_complete(self._start_app())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(self._shutdown())
        loop.close()

    async def _shutdown(self) -> None:
        """Cancel answers still being delayed, so none is left pending at close."""
        if self._runner is not None:
            await self._runner.cleanup()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _start_app(self) -> None:
        down = self.outage.middleware(lambda status: error_body(REASONS.get(status, "Bad Gateway")))
        app = web.Application(middlewares=[down])
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- seeding and inspection -------------------------------------------

    def repo(self, full_name: str | None = None) -> FakeRepo:
        owner, name = (full_name or self.repository).split("/")
        return self.state.repo(owner, name)

    def add_repo(self, full_name: str, **permissions: bool) -> FakeRepo:
        return self.state.add_repo(full_name, **permissions)

    def collaborator(self, login: str, role: str, full_name: str | None = None) -> None:
        """`fake.collaborator("ana-gh", "write")`; role `none` takes the access away."""
        collaborators = self.repo(full_name).collaborators
        if role == "none":
            collaborators.pop(login.casefold(), None)
        else:
            collaborators[login.casefold()] = role

    def set_permissions(self, full_name: str | None = None, **permissions: bool) -> None:
        """E.g. `fake.set_permissions(push=False, triage=False)` for a read-only token."""
        self.repo(full_name).permissions.update(permissions)

    def add_issue(self, *, repository: str | None = None, **fields: Any) -> FakeIssue:
        return self.state.add_issue(self.repo(repository), **fields)

    def add_issue_event(
        self,
        number: int,
        event: str,
        *,
        label: str = "",
        repository: str | None = None,
        at: datetime | None = None,
        reason: str | None = None,
    ) -> int:
        """An entry of the issue events API (`labeled`, `closed`, ...); returns its id."""
        repo = self.repo(repository)
        return self.state.add_issue_event(repo, number, event, label, at=at, reason=reason)

    def add_hook(self, url: str, secret: str, *, repository: str | None = None) -> FakeHook:
        """A repository webhook that `deliver` sends to, as GitHub would."""
        return self.hooks.add(repository or self.repository, url, secret)

    def add_app_hook(self, url: str, secret: str, *, installation_id: int = 0) -> FakeHook:
        """The GitHub App's own webhook (`/app/hook/deliveries`), for `installation_id`."""
        return self.hooks.add_app_hook(url, secret, installation_id)

    async def deliver(
        self, hook: FakeHook, event: str, payload: Any, *, guid: str = ""
    ) -> FakeDelivery:
        """Send an event to the hook's URL now (signed) and log the attempt with its status."""
        return await self.hooks.send(hook, event, json.dumps(payload).encode(), guid)

    async def redeliveries_done(self, timeout: float = 10.0) -> None:
        """Wait for the redeliveries asked for (GitHub sends them in the background) to be sent."""
        deadline = time.monotonic() + timeout
        while self.hooks.busy and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    def add_pull(
        self, *, head: str, base: str = "main", title: str = "", repository: str | None = None
    ) -> FakeIssue:
        """An open pull request from branch `head` (created if missing) into `base`."""
        repo = self.repo(repository)
        return self.structure.add_pull(repo, head=head, base=base, title=title or head)

    def add_project(
        self, owner: str, number: int, *, field: str = "Status", options: tuple[str, ...] = ()
    ) -> FakeProject:
        """A Project (v2) of `owner` with a single-select `field` offering `options`."""
        ids = {name: f"OPT_{self.state.new_id()}" for name in options}
        project = FakeProject(
            f"PVT_{self.state.new_id()}", field, f"PVTF_{self.state.new_id()}", ids
        )
        self.structure.projects[(owner.casefold(), number)] = project
        return project

    def node_id(self, number: int, repository: str | None = None) -> str:
        """An issue's GraphQL node id, as the fake gives it."""
        return f"I_{self.repo(repository).id}_{number}"

    def sub_issues(self, number: int, repository: str | None = None) -> list[FakeIssue]:
        """Issue `number`'s sub-issues, in the order they were added."""
        parent = self.repo(repository).issues[number]
        found = [self.state.by_issue_id(child) for child in parent.sub_issues]
        return [issue for _, issue in filter(None, found)]

    def issues(self, repository: str | None = None) -> list[FakeIssue]:
        """Issues and pull requests, in number order."""
        return sorted(self.repo(repository).issues.values(), key=lambda i: i.number)

    def create_app(self, *, app_id: int = 4242, slug: str = "dslp-bot") -> FakeApp:
        """The GitHub App; sign its JWTs with `fake.app.private_key`."""
        self.app = FakeApp(id=app_id, slug=slug, now=lambda: self.clock())
        return self.app

    def install(self, account: str, repositories: list[str], **fields: Any) -> FakeInstallation:
        """Install the app on `account` for these repositories (created when missing)."""
        for full_name in repositories:
            if full_name.lower() not in self.state.repos:
                self.add_repo(full_name)
        installation = FakeInstallation(self.state.new_id(), account, list(repositories), **fields)
        self._the_app().installations[installation.id] = installation
        return installation

    def _the_app(self) -> FakeApp:
        if self.app is None:
            raise ApiError(404, "Not Found")
        return self.app

    def count(self, method: str, path_regex: str) -> int:
        pattern = re.compile(path_regex)
        return sum(r.method == method and bool(pattern.fullmatch(r.path)) for r in self.requests)

    # --- fault injection ---------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        after_effect: bool = False,
        body: Json | None = None,
        operation: str = "",
    ) -> None:
        """Answer the next `times` matching requests with `status`.

        With `after_effect=True` the request is carried out first and only the
        answer fails: GitHub's "created, then 502" case.
        """
        rule = Rule(method, re.compile(path_regex), times, status, dict(headers or {}), body)
        rule.after_effect = after_effect
        rule.operation = operation
        self.rules.append(rule)

    def delay_next(self, method: str, path_regex: str, seconds: float, *, times: int = 1) -> None:
        self.rules.append(Rule(method, re.compile(path_regex), times, delay=seconds))

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        *,
        retry_after: int | None = None,
        reset_in: int = 1,
        status: int = 403,
        times: int = 1,
    ) -> None:
        """Secondary limit when `retry_after` is given, else the primary one."""
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after)}
            body = error_body(SECONDARY_LIMIT)
        else:
            reset = str(int(time.time()) + reset_in)
            headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
            body = error_body(PRIMARY_LIMIT)
        self.fail_next(method, path_regex, status, headers=headers, times=times, body=body)

    def _take(self, method: str, path: str, *, delay: bool, operation: str = "") -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if (rule.delay > 0) == delay and rule.matches(method, path, operation):
                    rule.times -= 1
                    return rule
        return None

    # --- HTTP ----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if request.path.startswith("/login/oauth/"):
            return self._web_page(request, raw)
        body = json.loads(raw) if raw else None
        path = request.path
        if path == self.base_path.removesuffix("/v3") + "/graphql":
            path = self.base_path + "/graphql"  # GHES serves GraphQL at /api/graphql
        if not path.startswith(self.base_path + "/"):
            return self._respond(Reply(404, error_body("Not Found")))
        path = path[len(self.base_path) :]
        credential = request.headers.get("Authorization", "").split(" ")[-1]
        self.requests.append(Recorded(request.method, path, dict(request.query), body, credential))
        delay = self._take(request.method, path, delay=True)
        if delay is not None:
            self.held += 1
            try:
                await asyncio.sleep(delay.delay)
            finally:
                self.held -= 1
        reply = self._answer(request, path, body)
        if request.method == "GET" and reply.status == 200:
            return self._conditional(request, reply)
        return self._respond(reply)

    def _conditional(self, request: web.Request, reply: Reply) -> web.Response:
        """GitHub's ETags: an unchanged answer is a 304 and costs no rate limit."""
        etag = '"' + hashlib.sha1(json.dumps(reply.body, sort_keys=True).encode()).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return web.Response(status=304, headers={"ETag": etag})
        return self._respond(Reply(reply.status, reply.body, {**reply.headers, "ETag": etag}))

    def _web_page(self, request: web.Request, raw: bytes) -> web.Response:
        """github.com's own pages (not the API): the authorize page and the token exchange."""
        self.requests.append(Recorded(request.method, request.path, dict(request.query), None))
        if request.method == "GET" and request.path == "/login/oauth/authorize":
            reply = self.oauth.authorize(dict(request.query))
            return web.Response(status=reply.status, text=reply.body, content_type="text/html")
        if request.method == "POST" and request.path == "/login/oauth/access_token":
            return web.json_response(self.oauth.access_token(raw).body)
        return web.Response(status=404, text="Not Found")

    def _answer(self, request: web.Request, path: str, body: Any) -> Reply:
        header = request.headers.get("Authorization", "")
        revoke = re.fullmatch(r"/applications/(?P<client>[^/]+)/token", path)
        if revoke and request.method == "DELETE":
            return self.oauth.revoke(revoke.group("client"), header, body)
        user = self.oauth.user_of(header.split(" ")[-1]) if header else ""
        if user and path == "/user":
            return Reply(200, {"login": user, "id": self.state.new_id(), "type": "User"})
        try:
            with self._lock:
                caller = self._caller(header)
                check_scope(caller, request.method, path, self.state)
        except ApiError as error:
            return Reply(error.status, error.body)
        fault = self._take(request.method, path, delay=False, operation=_operation(body))
        if fault is not None and not fault.after_effect:
            return self._fault_reply(fault)
        reply = self._dispatch(request, path, body, caller)
        return self._fault_reply(fault) if fault is not None else reply

    def _caller(self, header: str) -> Caller:
        """A personal token, the app's JWT (Bearer) or an installation token; else 401."""
        kind, _, credential = header.partition(" ")
        if self.app is not None and kind.lower() == "bearer":
            self.app.verify_jwt(credential)
            return Caller("app")
        if credential in self.tokens:
            return PERSONAL
        login = self.oauth.user_of(credential)
        if login:
            return Caller("user", login=login)
        found = self.app.caller_for(credential) if self.app is not None else None
        if found is None:
            raise ApiError(401, "Bad credentials")
        return found

    def _fault_reply(self, fault: Rule) -> Reply:
        message = REASONS.get(fault.status, "Server Error")
        return Reply(fault.status, fault.body or error_body(message), fault.headers)

    def _dispatch(self, request: web.Request, path: str, body: Any, caller: Caller) -> Reply:
        call_api = self.api_url
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method == request.method:
                call = Call(match, request.query, body, call_api, request.url, caller)
                try:
                    with self._lock:
                        return handler(call)
                except ApiError as error:
                    return Reply(error.status, error.body)
        return Reply(404, error_body("Not Found"))

    def _respond(self, reply: Reply) -> web.Response:
        self.rate_remaining = max(1, self.rate_remaining - 1)
        headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(self.rate_remaining),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(5000 - self.rate_remaining),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Media-Type": "github.v3; format=json",
            **reply.headers,
        }
        if reply.status == 204:
            return web.Response(status=204, headers=headers)
        return web.json_response(reply.body, status=reply.status, headers=headers)


def _operation(body: Any) -> str:
    """The named GraphQL operation a request body carries (`mutation DslpLinkBranch ...`)."""
    query = body.get("query", "") if isinstance(body, dict) else ""
    found = re.search(r"\b(?:query|mutation)\s+(\w+)", str(query))
    return found.group(1) if found else ""
