"""In-memory state behind FakeGitHub, with GitHub's REST response shapes.

Kept apart from the HTTP layer so the shapes (copied from GitHub's REST docs)
can be read in one place, and so tests can seed data without any request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DOCS_URL = "https://docs.github.com/rest"
LABEL_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")
DEFAULT_LABEL_COLOR = "ededed"
Json = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    """GitHub writes timestamps as ISO 8601 in UTC with a trailing Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def error_body(message: str, **extra: Any) -> Json:
    return {"message": message, "documentation_url": DOCS_URL, **extra}


class ApiError(Exception):
    """Raised inside handlers; the server turns it into GitHub's error answer."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(message, **extra)


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def validation_failed(resource: str, code: str, field_name: str) -> ApiError:
    error = {"resource": resource, "code": code, "field": field_name}
    return ApiError(422, "Validation Failed", errors=[error])


@dataclass
class FakeUser:
    login: str
    id: int
    type: str = "User"

    def render(self, api: str) -> Json:
        return {
            "login": self.login,
            "id": self.id,
            "node_id": f"U_{self.id}",
            "url": f"{api}/users/{self.login}",
            "html_url": f"{api.split('/api/')[0]}/{self.login}",
            "type": self.type,
            "site_admin": False,
        }


@dataclass
class FakeLabel:
    id: int
    name: str
    color: str = DEFAULT_LABEL_COLOR
    description: str | None = None

    def render(self, repo_api: str) -> Json:
        return {
            "id": self.id,
            "node_id": f"LA_{self.id}",
            "url": f"{repo_api}/labels/{self.name}",
            "name": self.name,
            "color": self.color,
            "description": self.description,
            "default": False,
        }


@dataclass
class FakeComment:
    id: int
    body: str
    user: str
    created_at: datetime


@dataclass
class FakeIssue:
    """An issue or a pull request: GitHub numbers both from one sequence."""

    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    is_pull_request: bool = False
    comments: list[FakeComment] = field(default_factory=list)
    head: str = ""
    base: str = ""
    """A pull request's branches (head is the branch it comes from, base where it goes)."""
    sub_issues: list[int] = field(default_factory=list)
    """The ids (not numbers) of its sub-issues, in the order they were added."""
    linked_branches: list[str] = field(default_factory=list)
    """Branches shown under the issue's Development section (`createLinkedBranch`)."""


@dataclass
class FakeIssueEvent:
    id: int
    number: int
    event: str
    label: str
    actor: str
    created_at: datetime
    state_reason: str | None = None


@dataclass
class FakeRepo:
    owner: str
    name: str
    id: int
    permissions: dict[str, bool] = field(
        default_factory=lambda: {
            "admin": False,
            "maintain": False,
            "push": True,
            "triage": True,
            "pull": True,
        }
    )
    issues: dict[int, FakeIssue] = field(default_factory=dict)
    labels: dict[str, FakeLabel] = field(default_factory=dict)
    private: bool = False
    issue_events: list[FakeIssueEvent] = field(default_factory=list)
    collaborators: dict[str, str] = field(default_factory=dict)
    """Casefolded login -> role name: admin, maintain, write, triage or read."""
    branches: dict[str, str] = field(default_factory=lambda: {"main": "a" * 40})
    """Branch name -> head commit oid; `main` is the default branch."""

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def can_push(self) -> bool:
        """GitHub keeps labels given at creation only for writers."""
        return any(self.permissions.get(role) for role in ("push", "maintain", "admin"))

    @property
    def can_triage(self) -> bool:
        return self.can_push or bool(self.permissions.get("triage"))

    def label(self, name: str) -> FakeLabel | None:
        return self.labels.get(name.lower())


class GitHubState:
    """Users, repositories, issues, labels and comments, as plain objects."""

    def __init__(self, *, login: str, now: Callable[[], datetime]) -> None:
        self.now = now
        self._ids = iter(range(1000, 10**9))
        self.viewer = FakeUser(login=login, id=self.new_id())
        self.users: dict[str, FakeUser] = {login: self.viewer}
        self.repos: dict[str, FakeRepo] = {}

    def new_id(self) -> int:
        return next(self._ids)

    @staticmethod
    def issue_id(repo: FakeRepo, issue: FakeIssue) -> int:
        """The issue's `id` (not its number): unique across repositories, as GitHub's is."""
        return issue.number + repo.id * 100_000

    def by_issue_id(self, issue_id: int) -> tuple[FakeRepo, FakeIssue] | None:
        for repo in self.repos.values():
            if repo.id == issue_id // 100_000 and issue_id % 100_000 in repo.issues:
                return repo, repo.issues[issue_id % 100_000]
        return None

    def user(self, login: str) -> FakeUser:
        if login not in self.users:
            self.users[login] = FakeUser(login=login, id=self.new_id())
        return self.users[login]

    def add_repo(self, full_name: str, **permissions: bool) -> FakeRepo:
        owner, name = full_name.split("/")
        repo = FakeRepo(owner=owner, name=name, id=self.new_id())
        repo.permissions.update(permissions)
        self.repos[full_name.lower()] = repo
        return repo

    def repo(self, owner: str, name: str) -> FakeRepo:
        repo = self.repos.get(f"{owner}/{name}".lower())
        if repo is None:
            raise not_found()
        return repo

    def issue(self, repo: FakeRepo, number: int) -> FakeIssue:
        found = repo.issues.get(number)
        if found is None:
            raise not_found()
        return found

    def add_label(
        self, repo: FakeRepo, name: str, color: str = DEFAULT_LABEL_COLOR, description: str = ""
    ) -> FakeLabel:
        if repo.label(name) is not None:
            raise validation_failed("Label", "already_exists", "name")
        if not name.strip():
            raise validation_failed("Label", "missing_field", "name")
        if not LABEL_COLOR.match(color):
            raise validation_failed("Label", "invalid", "color")
        label = FakeLabel(id=self.new_id(), name=name, color=color.lower(), description=description)
        repo.labels[name.lower()] = label
        return label

    def attach_labels(self, repo: FakeRepo, issue: FakeIssue, names: list[str]) -> None:
        """Unknown names are created on the fly, as GitHub does."""
        for name in names:
            label = repo.label(name) or self.add_label(repo, name)
            if label.name not in issue.labels:
                issue.labels.append(label.name)
        issue.updated_at = self.now()

    def add_issue(
        self,
        repo: FakeRepo,
        *,
        title: str,
        body: str | None = "",
        labels: list[str] | None = None,
        user: str | None = None,
        pull_request: bool = False,
    ) -> FakeIssue:
        moment = self.now()
        number = max(repo.issues, default=0) + 1
        issue = FakeIssue(
            number=number,
            title=title,
            body=body,
            user=user or self.viewer.login,
            created_at=moment,
            updated_at=moment,
            is_pull_request=pull_request,
        )
        repo.issues[number] = issue
        self.attach_labels(repo, issue, labels or [])
        return issue

    def add_issue_event(
        self,
        repo: FakeRepo,
        number: int,
        event: str,
        label: str = "",
        *,
        at: datetime | None = None,
        reason: str | None = None,
    ) -> int:
        """`at` backdates it (a history); `reason` is a `closed` event's `state_reason`."""
        self.issue(repo, number)
        moment = at or self.now()
        entry = FakeIssueEvent(
            self.new_id(), number, event, label, self.viewer.login, moment, reason
        )
        repo.issue_events.append(entry)
        return entry.id

    def render_issue_event(self, repo: FakeRepo, entry: FakeIssueEvent, api: str) -> Json:
        """The shape of GET /repos/{o}/{r}/issues/events items (newest first in lists)."""
        rendered: Json = {
            "id": entry.id,
            "node_id": f"IE_{entry.id}",
            "event": entry.event,
            "actor": self.user(entry.actor).render(api),
            "created_at": iso(entry.created_at),
            "state_reason": entry.state_reason,
            "issue": self.render_issue(repo, self.issue(repo, entry.number), api),
        }
        if entry.label:
            rendered["label"] = {"name": entry.label, "color": DEFAULT_LABEL_COLOR}
        return rendered

    def set_state(self, issue: FakeIssue, state: str, reason: str | None) -> None:
        if state not in ("open", "closed"):
            raise validation_failed("Issue", "invalid", "state")
        if state != issue.state:
            issue.state = state
            issue.closed_at = self.now() if state == "closed" else None
            issue.state_reason = reason or ("completed" if state == "closed" else "reopened")

    def render_issue(self, repo: FakeRepo, issue: FakeIssue, api: str) -> Json:
        repo_api = f"{api}/repos/{repo.full_name}"
        web = f"{api.split('/api/')[0]}/{repo.full_name}"
        kind = "pull" if issue.is_pull_request else "issues"
        rendered: Json = {
            "id": self.issue_id(repo, issue),
            "node_id": f"I_{repo.id}_{issue.number}",
            "url": f"{repo_api}/issues/{issue.number}",
            "repository_url": repo_api,
            "labels_url": f"{repo_api}/issues/{issue.number}/labels{{/name}}",
            "comments_url": f"{repo_api}/issues/{issue.number}/comments",
            "events_url": f"{repo_api}/issues/{issue.number}/events",
            "html_url": f"{web}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self.user(issue.user).render(api),
            "labels": [self._render_label(repo, name, repo_api) for name in issue.labels],
            "assignee": self._render_assignee(issue, api),
            "assignees": [self.user(login).render(api) for login in issue.assignees],
            "milestone": None,
            "locked": False,
            "comments": len(issue.comments),
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "author_association": "OWNER",
        }
        if issue.is_pull_request:
            rendered["pull_request"] = {
                "url": f"{repo_api}/pulls/{issue.number}",
                "html_url": f"{web}/pull/{issue.number}",
            }
        return rendered

    def _render_label(self, repo: FakeRepo, name: str, repo_api: str) -> Json:
        label = repo.label(name) or FakeLabel(id=0, name=name)
        return label.render(repo_api)

    def _render_assignee(self, issue: FakeIssue, api: str) -> Json | None:
        return self.user(issue.assignees[0]).render(api) if issue.assignees else None

    def render_comment(
        self, repo: FakeRepo, issue: FakeIssue, comment: FakeComment, api: str
    ) -> Json:
        repo_api = f"{api}/repos/{repo.full_name}"
        web = f"{api.split('/api/')[0]}/{repo.full_name}"
        return {
            "id": comment.id,
            "node_id": f"IC_{comment.id}",
            "url": f"{repo_api}/issues/comments/{comment.id}",
            "html_url": f"{web}/issues/{issue.number}#issuecomment-{comment.id}",
            "issue_url": f"{repo_api}/issues/{issue.number}",
            "body": comment.body,
            "user": self.user(comment.user).render(api),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.created_at),
            "author_association": "OWNER",
        }

    def render_repo(self, repo: FakeRepo, api: str) -> Json:
        owner = self.user(repo.owner)
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": owner.render(api),
            "private": repo.private,
            "html_url": f"{api.split('/api/')[0]}/{repo.full_name}",
            "url": f"{api}/repos/{repo.full_name}",
            "has_issues": True,
            "open_issues_count": sum(i.state == "open" for i in repo.issues.values()),
            "default_branch": "main",
            "permissions": dict(repo.permissions),
        }
