"""The fake GitHub's REST routes: request in, GitHub-shaped JSON out.

Each handler is a small function of the matched path, the query and the JSON
body; the server in github_api.py adds auth, faults, delays and headers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import github_queries as queries
from tests.fakes.github_state import (
    ApiError,
    FakeComment,
    FakeIssue,
    FakeRepo,
    GitHubState,
    not_found,
    validation_failed,
)


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[["Call"], Reply]


@dataclass
class Call:
    """What a route handler needs: the match, the query, the JSON body, the API root."""

    match: re.Match[str]
    query: Mapping[str, str]
    body: Any
    api: str
    url: Any
    caller: Any = None
    """Who asks (tests/fakes/github_app.py's Caller), for routes that answer per caller."""

    def group(self, name: str) -> str:
        return self.match.group(name)


class GitHubRoutes:
    """Handlers over one GitHubState; `remaining` reports the rate-limit budget."""

    def __init__(self, state: GitHubState, remaining: Callable[[], int]) -> None:
        self.state = state
        self.remaining = remaining

    def table(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        repo = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
        issue = repo + r"/issues/(?P<number>\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", r"/user", self._get_user),
            ("GET", r"/rate_limit", self._get_rate_limit),
            ("GET", r"/search/issues", self._search_issues),
            ("GET", repo, self._get_repo),
            ("GET", repo + "/issues", self._list_issues),
            ("GET", repo + "/issues/events", self._list_issue_events),
            ("POST", repo + "/issues", self._create_issue),
            ("GET", issue, self._get_issue),
            ("PATCH", issue, self._edit_issue),
            ("GET", issue + "/comments", self._list_comments),
            ("POST", issue + "/comments", self._create_comment),
            ("GET", issue + "/labels", self._list_issue_labels),
            ("POST", issue + "/labels", self._add_issue_labels),
            ("PUT", issue + "/labels", self._set_issue_labels),
            ("DELETE", issue + "/labels/(?P<label>.+)", self._remove_issue_label),
            ("GET", repo + "/collaborators/(?P<user>[^/]+)/permission", self._permission),
            ("GET", repo + "/labels", self._list_labels),
            ("POST", repo + "/labels", self._create_label),
            ("GET", repo + "/labels/(?P<label>.+)", self._get_label),
            ("PATCH", repo + "/labels/(?P<label>.+)", self._edit_label),
            ("DELETE", repo + "/labels/(?P<label>.+)", self._delete_label),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    def _repo(self, call: Call) -> FakeRepo:
        return self.state.repo(call.group("owner"), call.group("name"))

    def _issue(self, call: Call) -> tuple[FakeRepo, FakeIssue]:
        repo = self._repo(call)
        return repo, self.state.issue(repo, int(call.group("number")))

    def _page(self, call: Call, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        """GitHub's page/per_page pagination with a Link header."""
        per_page = min(int(call.query.get("per_page", "30")), 100)
        page = int(call.query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        links = {"next": page + 1, "last": last} if page < last else {}
        if page > 1:
            links |= {"first": 1, "prev": page - 1}
        header = ", ".join(
            f'<{call.url.update_query(page=str(number))}>; rel="{rel}"'
            for rel, number in links.items()
        )
        chunk = items[(page - 1) * per_page : page * per_page]
        return chunk, ({"Link": header} if header else {})

    def _get_user(self, call: Call) -> Reply:
        return Reply(200, self.state.viewer.render(call.api))

    def _permission(self, call: Call) -> Reply:
        """A collaborator's role; anyone else reads a public repository and nothing else."""
        repo, login = self._repo(call), call.group("user")
        role = repo.collaborators.get(login.casefold()) or ("none" if repo.private else "read")
        legacy = {"maintain": "write", "triage": "read"}.get(role, role)
        user = {"login": login, "id": self.state.new_id(), "type": "User"}
        return Reply(200, {"permission": legacy, "role_name": role, "user": user})

    def _get_rate_limit(self, call: Call) -> Reply:
        core = {"limit": 5000, "remaining": self.remaining(), "reset": int(time.time()) + 3600}
        return Reply(200, {"resources": {"core": core, "search": core}, "rate": core})

    def _get_repo(self, call: Call) -> Reply:
        return Reply(200, self.state.render_repo(self._repo(call), call.api))

    def _list_issues(self, call: Call) -> Reply:
        repo = self._repo(call)
        chosen, headers = self._page(call, queries.list_filter(repo, call.query))
        return Reply(200, [self.state.render_issue(repo, i, call.api) for i in chosen], headers)

    def _list_issue_events(self, call: Call) -> Reply:
        repo = self._repo(call)
        newest_first = list(reversed(repo.issue_events))
        chosen, headers = self._page(call, newest_first)
        rendered = [self.state.render_issue_event(repo, entry, call.api) for entry in chosen]
        return Reply(200, rendered, headers)

    def _create_issue(self, call: Call) -> Reply:
        repo, data = self._repo(call), call.body or {}
        if not str(data.get("title", "")).strip():
            raise validation_failed("Issue", "missing_field", "title")
        labels = list(data.get("labels") or []) if repo.can_push else []
        issue = self.state.add_issue(
            repo, title=data["title"], body=data.get("body"), labels=labels, user=_author(call)
        )
        if repo.can_push:
            issue.assignees = list(data.get("assignees") or [])
        return Reply(201, self.state.render_issue(repo, issue, call.api))

    def _get_issue(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        return Reply(200, self.state.render_issue(repo, issue, call.api))

    def _edit_issue(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        data = call.body or {}
        issue.title = data.get("title", issue.title)
        issue.body = data.get("body", issue.body)
        if "state" in data:
            self.state.set_state(issue, data["state"], data.get("state_reason"))
        if "labels" in data and repo.can_triage:
            issue.labels = []
            self.state.attach_labels(repo, issue, list(data["labels"]))
        issue.updated_at = self.state.now()
        return Reply(200, self.state.render_issue(repo, issue, call.api))

    def _list_comments(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        chosen, headers = self._page(call, issue.comments)
        rendered = [self.state.render_comment(repo, issue, c, call.api) for c in chosen]
        return Reply(200, rendered, headers)

    def _create_comment(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        text = (call.body or {}).get("body")
        if not text:
            raise validation_failed("IssueComment", "missing_field", "body")
        moment = self.state.now()
        author = _author(call) or self.state.viewer.login
        comment = FakeComment(self.state.new_id(), text, author, moment)
        issue.comments.append(comment)
        issue.updated_at = moment
        return Reply(201, self.state.render_comment(repo, issue, comment, call.api))

    def _issue_labels_reply(self, repo: FakeRepo, issue: FakeIssue, api: str) -> Reply:
        return Reply(200, self.state.render_issue(repo, issue, api)["labels"])

    def _list_issue_labels(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        return self._issue_labels_reply(repo, issue, call.api)

    def _label_names(self, body: Any) -> list[str]:
        names = body.get("labels", []) if isinstance(body, dict) else body or []
        return [n["name"] if isinstance(n, dict) else str(n) for n in names]

    def _add_issue_labels(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        if not repo.can_triage:
            raise ApiError(403, "Resource not accessible by personal access token")
        self.state.attach_labels(repo, issue, self._label_names(call.body))
        return self._issue_labels_reply(repo, issue, call.api)

    def _set_issue_labels(self, call: Call) -> Reply:
        _, issue = self._issue(call)
        issue.labels = []
        return self._add_issue_labels(call)

    def _remove_issue_label(self, call: Call) -> Reply:
        repo, issue = self._issue(call)
        name = call.group("label").lower()
        kept = [label for label in issue.labels if label.lower() != name]
        if len(kept) == len(issue.labels):
            raise ApiError(404, "Label does not exist")
        issue.labels = kept
        issue.updated_at = self.state.now()
        return self._issue_labels_reply(repo, issue, call.api)

    def _repo_api(self, call: Call, repo: FakeRepo) -> str:
        return f"{call.api}/repos/{repo.full_name}"

    def _list_labels(self, call: Call) -> Reply:
        repo = self._repo(call)
        chosen, headers = self._page(call, list(repo.labels.values()))
        return Reply(200, [label.render(self._repo_api(call, repo)) for label in chosen], headers)

    def _create_label(self, call: Call) -> Reply:
        repo, data = self._repo(call), call.body or {}
        if not repo.can_push:
            raise ApiError(403, "Resource not accessible by personal access token")
        name, description = str(data.get("name", "")), str(data.get("description") or "")
        label = self.state.add_label(repo, name, data.get("color", "ededed"), description)
        return Reply(201, label.render(self._repo_api(call, repo)))

    def _get_label(self, call: Call) -> Reply:
        repo = self._repo(call)
        label = repo.label(call.group("label"))
        if label is None:
            raise not_found()
        return Reply(200, label.render(self._repo_api(call, repo)))

    def _edit_label(self, call: Call) -> Reply:
        repo, data = self._repo(call), call.body or {}
        label = repo.label(call.group("label"))
        if label is None:
            raise not_found()
        if not repo.can_push:
            raise ApiError(403, "Resource not accessible by personal access token")
        if "color" in data and not re.fullmatch(r"[0-9a-fA-F]{6}", data["color"]):
            raise validation_failed("Label", "invalid", "color")
        self._rename_label(repo, label.name, data.get("new_name", label.name))
        label.color = data.get("color", label.color).lower()
        label.description = data.get("description", label.description)
        return Reply(200, label.render(self._repo_api(call, repo)))

    def _rename_label(self, repo: FakeRepo, old: str, new: str) -> None:
        label = repo.labels.pop(old.lower())
        label.name = new
        repo.labels[new.lower()] = label
        for issue in repo.issues.values():
            issue.labels = [new if name == old else name for name in issue.labels]

    def _delete_label(self, call: Call) -> Reply:
        repo = self._repo(call)
        label = repo.labels.pop(call.group("label").lower(), None)
        if label is None:
            raise not_found()
        for issue in repo.issues.values():
            issue.labels = [name for name in issue.labels if name != label.name]
        return Reply(204, None)

    def _search_issues(self, call: Call) -> Reply:
        hits = queries.search(self.state, call.query.get("q", ""))
        chosen, headers = self._page(call, hits)
        items = [
            self.state.render_issue(repo, issue, call.api) | {"score": 1.0}
            for repo, issue in chosen
        ]
        body = {"total_count": len(hits), "incomplete_results": False, "items": items}
        return Reply(200, body, headers)


def _author(call: Call) -> str | None:
    """A person's own token writes as them (GitHub shows them); any other as the viewer."""
    caller = call.caller
    return caller.login if caller is not None and getattr(caller, "kind", "") == "user" else None
