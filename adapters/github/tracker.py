"""GitHubTracker: the `bot.ports.Tracker` protocol over PyGithub.

PyGithub is synchronous, so every call runs in `asyncio.to_thread` and the
event loop that serves Slack and Teams never waits on GitHub. Idempotent
requests are retried inside PyGithub (see `retry.py`); POSTs are sent once
per attempt by our own loop, because resending a create after a 5xx can
file the same Ask twice. Creates recover through `find_by_marker` instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from github import Github, GithubException
from github.GithubObject import NotSet, _NotSetType
from github.Label import Label
from github.Requester import Requester

from adapters.github.errors import Failure, classify, outcome, to_tracker_error
from adapters.github.events import to_issue as issue_of
from adapters.github.mapping import PULL_URL, is_pull_request, to_issue
from adapters.github.pages import next_url
from adapters.github.retry import RetryPolicy, retry_pause
from adapters.github.tokens import Credentials, CurrentToken, FixedToken
from adapters.metrics import Outbound
from bot.types import Issue, LabelSpec

if TYPE_CHECKING:
    from bot.config import Settings

DEFAULT_API_URL = "https://api.github.com"
LABEL_ROLES = ("push", "maintain", "admin", "triage")
PER_PAGE = 100
"""The most GitHub's list APIs return at once."""
T = TypeVar("T")
log = logging.getLogger(__name__)


def policy_from(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        attempts=settings.dslp_github_retry_attempts,
        backoff=settings.dslp_github_retry_backoff,
        max_wait=settings.dslp_github_max_wait,
        secondary_wait=settings.dslp_github_max_wait,
        request_gap=settings.dslp_github_request_gap,
        write_gap=settings.dslp_github_write_gap,
    )


class GitHubTracker:
    """Issues in one GitHub (or GitHub Enterprise Server) repository."""

    def __init__(
        self,
        *,
        repository: str,
        token: str = "",
        credentials: Credentials | None = None,
        api_url: str = DEFAULT_API_URL,
        policy: RetryPolicy | None = None,
        outbound: Outbound | None = None,
    ) -> None:
        """`token` is a fixed token (GITHUB_TOKEN); `credentials` renew theirs (an App's)."""
        self._repository = repository
        self._policy = policy or RetryPolicy()
        self._outbound = outbound or Outbound.detached("github")
        self._credentials = credentials or FixedToken(token)
        self._github = Github(
            auth=CurrentToken(self._credentials),
            base_url=(api_url or DEFAULT_API_URL).rstrip("/"),
            timeout=self._policy.timeout,
            per_page=PER_PAGE,
            retry=self._policy.urllib3_retry(on_wait=self._outbound.waited),
            seconds_between_requests=self._policy.request_gap,
            seconds_between_writes=self._policy.write_gap,
            user_agent="dslp-bot",
            lazy=True,
        )
        self._repo = self._github.get_repo(repository)
        self._can_label: bool | None = None
        self._login: str | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        repository: str = "",
        credentials: Credentials | None = None,
        outbound: Outbound | None = None,
    ) -> GitHubTracker:
        """GITHUB_REPOSITORY with GITHUB_TOKEN, unless another repository or credentials given;
        its traffic counted in `outbound`, if given."""
        return cls(
            token=settings.github_token.get_secret_value(),
            credentials=credentials,
            repository=repository or settings.github_repository,
            api_url=settings.github_api_url,
            policy=policy_from(settings),
            outbound=outbound,
        )

    def __repr__(self) -> str:
        return f"GitHubTracker(repository={self._repository!r})"

    @property
    def repository(self) -> str:
        return self._repository

    def close(self) -> None:
        """Release pooled connections (unclosed sockets turn into test warnings)."""
        self._github.close()

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    # --- plumbing ---------------------------------------------------------

    async def _attempt(self, action: Callable[[], T], endpoint: str) -> T:
        """One try of one tracker operation; the one place GitHub traffic is counted
        (urllib3's own retries of reads show as rate-limit waits)."""
        try:
            result = await self._call(action)
        except Exception as error:
            self._outbound.count(endpoint, outcome(error))
            raise
        self._outbound.count(endpoint, "ok")
        return result

    async def _call(self, action: Callable[[], T]) -> T:
        """In a worker thread with a fresh token; a token refused mid-run (401) is renewed once."""
        token = await self._credentials.fresh()
        try:
            return await asyncio.to_thread(action)
        except GithubException as error:
            if error.status != 401 or not await self._credentials.refused(token):
                raise
            log.info("GitHub refused the installation token for %s; renewing", self._repository)
        await self._credentials.fresh()
        return await asyncio.to_thread(action)

    async def _run(self, action: Callable[[], T], *, endpoint: str, number: int = 0) -> T:
        """One call, its failure turned into a TrackerError."""
        try:
            return await self._attempt(action, endpoint)
        except Exception as error:
            raise to_tracker_error(error, self._repository, number=number) from error

    async def _write(
        self,
        action: Callable[[], T],
        *,
        endpoint: str,
        recover: Callable[[], Awaitable[T | None]] | None = None,
        resend: bool = True,
        number: int = 0,
    ) -> T:
        """A POST with our own retries: rate limits always, 5xx only when safe.

        `recover` looks for the effect of an attempt whose answer was lost; if
        that lookup itself fails its error propagates, so we never resend blind.
        When `resend` is False a lost answer is reported instead of risking a repeat.
        """
        error: Exception = RuntimeError("no attempt made")
        for attempt in range(1, self._policy.attempts + 1):
            try:
                return await self._attempt(action, endpoint)
            except Exception as exc:
                error = exc
            failure = classify(error)
            log.info("GitHub write failed (attempt %d): %s", attempt, failure.value)
            pause = retry_pause(error, failure, attempt, self._policy)
            lost = failure is Failure.TRANSIENT
            if lost and recover is not None:
                found = await self._recover(recover, attempt)
                if found is not None:
                    return found
                pause = None if pause is None else 0.0
            if pause is None or (lost and not resend):
                break
            if failure is Failure.RATE_LIMITED:
                self._outbound.waited(pause)
            await self._policy.pause(pause)
        raise to_tracker_error(error, self._repository, number=number) from error

    async def _recover(self, recover: Callable[[], Awaitable[T | None]], attempt: int) -> T | None:
        """Wait first: a create whose answer timed out may still be landing."""
        await self._policy.pause(self._policy.backoff_for(attempt))
        return await recover()

    async def _login_name(self) -> str:
        """Our own login, to narrow marker lookups; "" when GitHub will not say (App tokens)."""
        if self._login is None:
            try:
                self._login = await self._attempt(lambda: self._github.get_user().login, "user")
            except GithubException as error:
                if error.status not in (403, 404):
                    raise to_tracker_error(error, self._repository) from error
                self._login = ""
        return self._login

    # --- for the structure (adapters/github/structure.py) ----------------

    @property
    def requester(self) -> Requester:
        """PyGithub's requester: auth, retries of reads and pacing shared with every call here."""
        return self._github.requester

    async def read(self, action: Callable[[], T], *, endpoint: str, number: int = 0) -> T:
        """Run `action` (a blocking call on `requester`) as a read: PyGithub retries it."""
        return await self._run(action, endpoint=endpoint, number=number)

    async def write(
        self,
        action: Callable[[], T],
        *,
        endpoint: str,
        recover: Callable[[], Awaitable[T | None]] | None = None,
        resend: bool = False,
        number: int = 0,
    ) -> T:
        """Run `action` as a write: rate limits retried; a lost answer looked for with `recover`
        first, sent again only when `resend` (an idempotent PATCH, or after `recover`)."""
        return await self._write(
            action, endpoint=endpoint, recover=recover, resend=resend, number=number
        )

    # --- the Tracker protocol ---------------------------------------------

    async def create_issue(
        self, *, title: str, body: str, labels: Sequence[str], marker: str
    ) -> Issue:
        if marker not in body:
            raise ValueError("the marker must be part of the body")
        create = partial(self._repo.create_issue, title=title, body=body, labels=list(labels))
        created = await self._write(
            lambda: to_issue(create()),
            endpoint="create_issue",
            recover=partial(self.find_by_marker, marker=marker),
        )
        return await self._relabel(created, labels)

    async def _relabel(self, issue: Issue, labels: Sequence[str]) -> Issue:
        """Triage-only tokens may label but GitHub drops labels on create for them."""
        missing = [name for name in labels if name.lower() not in _lowered(issue.labels)]
        if not missing or not await self.can_label():
            return issue
        return await self.add_labels(number=issue.number, labels=missing)

    async def find_by_marker(self, *, marker: str) -> Issue | None:
        """Newest 100 issues we created, read from the list API (search lags behind)."""
        login = await self._login_name()
        filters: dict[str, Any] = {"creator": login} if login else {}

        def look() -> Issue | None:
            page = self._repo.get_issues(state="all", sort="created", direction="desc", **filters)
            for issue in page.get_page(0):
                if not is_pull_request(issue) and marker in (issue.body or ""):
                    return to_issue(issue)
            return None

        return await self._run(look, endpoint="find_issue")

    async def get_issue(self, *, number: int) -> Issue | None:
        """None when there is no such issue (404) or it was deleted (410)."""

        def fetch() -> Issue | None:
            try:
                return to_issue(self._repo.get_issue(number))
            except GithubException as error:
                if classify(error) is Failure.NOT_FOUND:
                    return None
                raise

        return await self._run(fetch, endpoint="get_issue", number=number)

    async def edit_issue(
        self, *, number: int, body: str | None = None, state: str | None = None
    ) -> Issue:
        def edit() -> Issue:
            issue = self._repo.get_issue(number)
            if body is not None or state is not None:
                issue.edit(body=_given(body), state=_given(state))
            return to_issue(issue)

        return await self._run(edit, endpoint="edit_issue", number=number)

    async def add_labels(self, *, number: int, labels: Sequence[str]) -> Issue:
        """POST .../labels is idempotent, so our loop may resend it after a 5xx."""

        def add() -> Issue:
            issue = self._repo.get_issue(number)
            issue.add_to_labels(*labels)
            return to_issue(self._repo.get_issue(number))

        return await self._write(add, endpoint="add_labels", number=number)

    async def remove_label(self, *, number: int, label: str) -> Issue:
        """Removing a label the issue does not carry is not an error."""

        def remove() -> Issue:
            try:
                self._repo.get_issue(number).remove_from_labels(label)
            except GithubException as error:
                if classify(error) is not Failure.NOT_FOUND:
                    raise
            return to_issue(self._repo.get_issue(number))

        return await self._run(remove, endpoint="remove_label", number=number)

    async def comment(self, *, number: int, body: str) -> None:
        """Not resent after a lost answer: a doubled comment is worse than a retry later."""

        def post() -> None:
            self._repo.get_issue(number).create_comment(body)

        await self._write(post, endpoint="comment", resend=False, number=number)

    async def list_issues(
        self, *, labels: Sequence[str] = (), state: str = "open", since: datetime | None = None
    ) -> Sequence[Issue]:
        """Every page of the list API (100 a page), pull requests left out."""
        query: dict[str, Any] = {"state": state, "per_page": PER_PAGE}
        if labels:
            query["labels"] = ",".join(labels)
        if since is not None:
            query["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        def fetch() -> list[Issue]:
            mapped = (issue_of(raw) for page in self._issue_pages(query) for raw in page)
            return [issue for issue in mapped if not PULL_URL.search(issue.url)]

        return await self._run(fetch, endpoint="list_issues")

    def _issue_pages(self, query: dict[str, Any]) -> Iterator[list[Mapping[str, Any]]]:
        """The issues list one page at a time, following its `Link` header, as GitHub's JSON.

        PyGithub's PaginatedList keeps every page it has read for as long as
        the list lives (105 MB of issue objects for a digest of 100,000
        issues); here each page is let go once it has been mapped. The JSON is
        mapped as webhooks' issues are (the same shape): building PyGithub's
        objects first was two thirds of a digest's CPU.
        """
        url: str = f"{self._repo.url}/issues"
        parameters: dict[str, Any] | None = query
        while url:  # the next URL carries the query itself
            headers, data = self._github.requester.requestJsonAndCheck(
                "GET", url, parameters=parameters
            )
            yield data
            link = next((str(v) for k, v in headers.items() if k.lower() == "link"), "")
            url, parameters = next_url(link), None

    async def conditional_get(
        self, path: str, *, etag: str = "", params: dict[str, Any] | None = None
    ) -> tuple[int, str, Any]:
        """A GET with `If-None-Match`: (status, new ETag, JSON or None on 304).

        For the poller: an unchanged answer is a 304, which GitHub does not
        count against the rate limit, so idle polling costs nothing.
        """
        headers = {"If-None-Match": etag} if etag else {}
        status, answer_headers, data = await self.rest(
            "GET", path, params=params, headers=headers, endpoint="poll_events"
        )
        return status, answer_headers.get("etag", etag), data

    async def rest(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        endpoint: str = "rest",
    ) -> tuple[int, dict[str, str], Any]:
        """Any REST call PyGithub has no method for: (status, lower-cased headers, JSON or None).

        A 4xx or 5xx raises `TrackerError` like every other call; `endpoint` names the call
        in `dslp_outbound_requests_total`.
        """

        def call() -> tuple[int, dict[str, str], Any]:
            status, answer_headers, text = self._github.requester.requestJson(
                method, path, parameters=params or {}, headers=headers or {}
            )
            if status >= 400:
                raise GithubException(status, text, answer_headers)
            lowered = {key.lower(): value for key, value in answer_headers.items()}
            data = json.loads(text) if text and status != 304 else None
            return status, lowered, data

        return await self._run(call, endpoint=endpoint)

    async def search_issues(self, query: str) -> list[Issue]:
        """GitHub's search API (it lags writes by seconds to minutes); PRs left out."""

        def fetch() -> list[Issue]:
            found = self._github.search_issues(query)
            return [to_issue(issue) for issue in found if not is_pull_request(issue)]

        return await self._run(fetch, endpoint="search_issues")

    async def ensure_labels(self, *, labels: Sequence[LabelSpec]) -> Sequence[str]:
        existing = await self._run(self._labels_by_name, endpoint="list_labels")
        changed: list[str] = []
        for spec in labels:
            current = existing.get(spec.name.lower())
            if current is None:
                await self._write(partial(self._create_label, spec), endpoint="create_label")
            elif _differs(current, spec):
                color = _color(spec.color)
                edit = partial(current.edit, current.name, color, spec.description)
                await self._run(edit, endpoint="edit_label")
            else:
                continue
            changed.append(spec.name)
        return changed

    def _labels_by_name(self) -> dict[str, Label]:
        """Lower-cased keys: GitHub treats label names case-insensitively."""
        return {label.name.lower(): label for label in self._repo.get_labels()}

    def _create_label(self, spec: LabelSpec) -> None:
        """A 422 "already_exists" means an earlier attempt got through: done."""
        try:
            self._repo.create_label(spec.name, _color(spec.color), spec.description)
        except GithubException as error:
            if not (error.status == 422 and "already_exists" in str(error.data)):
                raise

    async def can_label(self) -> bool:
        """Push (or maintain, admin, triage) access; asked once, then remembered."""
        if self._can_label is None:
            fresh = partial(self._github.get_repo, self._repository)
            permissions = await self._run(lambda: fresh().permissions, endpoint="permissions")
            self._can_label = permissions is not None and any(
                getattr(permissions, role, False) for role in LABEL_ROLES
            )
        return self._can_label

    async def is_private(self) -> bool:
        fresh = partial(self._github.get_repo, self._repository)
        return bool(await self._run(lambda: fresh().private, endpoint="repository"))


def _given(value: str | None) -> str | _NotSetType:
    """PyGithub leaves a field untouched only when it is NotSet, not None."""
    return NotSet if value is None else value


def _lowered(names: frozenset[str]) -> set[str]:
    return {name.lower() for name in names}


def _color(color: str) -> str:
    return color.lstrip("#").lower()


def _differs(label: Label, spec: LabelSpec) -> bool:
    return label.color.lower() != _color(spec.color) or (label.description or "") != (
        spec.description or ""
    )
