"""The fake GitHub's structure: sub-issues, pull requests, branches, and the GraphQL endpoint.

Shapes follow GitHub's documentation: REST `.../issues/{n}/sub_issues` (add with the
child's `sub_issue_id`, its id and not its number; 404 where a GitHub Enterprise Server
has no sub-issues), `.../pulls` (list filtered by `head=owner:branch` and `state`,
`PATCH` to change `base` or `state`), and `POST /graphql` for the operations the bot
sends. GraphQL answers 200 with an `errors` list when something is refused, as GitHub does.
Operations are told apart by their name (`query DslpIssueBranches`, ...): the fake only
knows what the bot asks, so anything else is an error rather than a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.github_routes import Call, Handler, Reply
from tests.fakes.github_state import (
    ApiError,
    FakeIssue,
    FakeRepo,
    GitHubState,
    Json,
    iso,
    validation_failed,
)

_OPERATION = re.compile(r"\b(?:query|mutation)\s+(\w+)")


@dataclass
class FakeProject:
    """A Project (v2) with one single-select field; `items`: content node id -> item id,
    `values`: item id -> the option id its field is set to."""

    id: str
    field_name: str
    field_id: str
    options: dict[str, str]
    items: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def phase_of(self, content_id: str) -> str | None:
        item = self.items.get(content_id)
        chosen = self.values.get(item or "")
        return next((name for name, oid in self.options.items() if oid == chosen), None)


class StructureRoutes:
    """Routes over one GitHubState; `sub_issues` False stands for a GHES without them."""

    def __init__(self, state: GitHubState) -> None:
        self.state = state
        self.sub_issues = True
        self.projects: dict[tuple[str, int], FakeProject] = {}
        """(owner, number) -> project; `fake.add_project(...)` seeds one."""
        self.graphql_calls: list[str] = []
        """Operation names in the order they arrived (tests count mutations)."""

    def table(self) -> list[tuple[str, re.Pattern[str], Handler]]:
        repo = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
        issue = repo + r"/issues/(?P<number>\d+)"
        table: list[tuple[str, str, Handler]] = [
            ("GET", issue + "/sub_issues", self._list_sub_issues),
            ("POST", issue + "/sub_issues", self._add_sub_issue),
            ("GET", repo + "/pulls", self._list_pulls),
            ("GET", repo + r"/pulls/(?P<number>\d+)", self._get_pull),
            ("PATCH", repo + r"/pulls/(?P<number>\d+)", self._edit_pull),
            ("POST", "/graphql", self._graphql),
        ]
        return [(method, re.compile(pattern), handler) for method, pattern, handler in table]

    # --- sub-issues ---------------------------------------------------------

    def _parent(self, call: Call) -> tuple[FakeRepo, FakeIssue]:
        if not self.sub_issues:
            raise ApiError(404, "Not Found")
        repo = self.state.repo(call.group("owner"), call.group("name"))
        return repo, self.state.issue(repo, int(call.group("number")))

    def _list_sub_issues(self, call: Call) -> Reply:
        _, parent = self._parent(call)
        found = [self.state.by_issue_id(child) for child in parent.sub_issues]
        rendered = [self.state.render_issue(r, i, call.api) for r, i in filter(None, found)]
        return Reply(200, rendered)

    def _add_sub_issue(self, call: Call) -> Reply:
        """422 when the child has a parent already (GitHub allows one), this one included."""
        repo, parent = self._parent(call)
        child_id = (call.body or {}).get("sub_issue_id")
        if not isinstance(child_id, int) or self.state.by_issue_id(child_id) is None:
            raise validation_failed("Issue", "invalid", "sub_issue_id")
        if any(child_id in issue.sub_issues for r in self.state.repos.values()
               for issue in r.issues.values()):  # fmt: skip
            raise ApiError(422, "Validation Failed", errors=[{"message": "already has a parent"}])
        if not repo.can_triage:
            raise ApiError(403, "Resource not accessible by personal access token")
        parent.sub_issues.append(child_id)
        parent.updated_at = self.state.now()
        return Reply(201, self.state.render_issue(repo, parent, call.api))

    # --- pull requests ------------------------------------------------------

    def add_pull(self, repo: FakeRepo, *, head: str, base: str = "main", title: str) -> FakeIssue:
        pull = self.state.add_issue(repo, title=title, body="", pull_request=True)
        pull.head, pull.base = head, base
        repo.branches.setdefault(head, "b" * 40)
        return pull

    def _list_pulls(self, call: Call) -> Reply:
        repo = self.state.repo(call.group("owner"), call.group("name"))
        state = call.query.get("state", "open")
        head = call.query.get("head", "")
        pulls = [
            pull
            for pull in repo.issues.values()
            if pull.is_pull_request
            and state in ("all", pull.state)
            and (not head or head == f"{repo.owner}:{pull.head}")
        ]
        return Reply(200, [self.render_pull(repo, pull, call.api) for pull in pulls])

    def _pull(self, call: Call) -> tuple[FakeRepo, FakeIssue]:
        repo = self.state.repo(call.group("owner"), call.group("name"))
        pull = self.state.issue(repo, int(call.group("number")))
        if not pull.is_pull_request:
            raise ApiError(404, "Not Found")
        return repo, pull

    def _get_pull(self, call: Call) -> Reply:
        repo, pull = self._pull(call)
        return Reply(200, self.render_pull(repo, pull, call.api))

    def _edit_pull(self, call: Call) -> Reply:
        repo, pull = self._pull(call)
        data = call.body or {}
        if not repo.can_push:
            raise ApiError(403, "Resource not accessible by personal access token")
        if "base" in data:
            if data["base"] not in repo.branches:
                raise validation_failed("PullRequest", "invalid", "base")
            pull.base = data["base"]
        if "state" in data:
            self.state.set_state(pull, data["state"], None)
        pull.updated_at = self.state.now()
        return Reply(200, self.render_pull(repo, pull, call.api))

    def render_pull(self, repo: FakeRepo, pull: FakeIssue, api: str) -> Json:
        issue = self.state.render_issue(repo, pull, api)
        rendered = {key: issue[key] for key in ("id", "node_id", "number", "state", "title")}
        rendered |= {key: issue[key] for key in ("body", "user", "html_url", "created_at")}
        return rendered | {
            "url": f"{api}/repos/{repo.full_name}/pulls/{pull.number}",
            "head": self._ref(repo, pull.head, api),
            "base": self._ref(repo, pull.base, api),
            "merged_at": None,
            "closed_at": iso(pull.closed_at),
            "draft": False,
        }

    def _ref(self, repo: FakeRepo, branch: str, api: str) -> Json:
        sha = repo.branches.get(branch, "0" * 40)
        rendered = self.state.render_repo(repo, api)
        return {"label": f"{repo.owner}:{branch}", "ref": branch, "sha": sha, "repo": rendered}

    # --- GraphQL ------------------------------------------------------------

    def _graphql(self, call: Call) -> Reply:
        body = call.body or {}
        found = _OPERATION.search(str(body.get("query", "")))
        name = found.group(1) if found else ""
        self.graphql_calls.append(name)
        operations: dict[str, Callable[[dict[str, Any]], Json]] = {
            "DslpIssueBranches": self._issue_branches,
            "DslpLinkBranch": self._link_branch,
            "DslpProject": self._project,
            "DslpAddItem": self._add_item,
            "DslpSetField": self._set_field,
            "DslpItemContent": self._item_content,
        }
        operation = operations.get(name)
        if operation is None:
            return Reply(200, _errors("UNKNOWN", f"the fake does not know {name or 'this'}"))
        try:
            return Reply(200, operation(body.get("variables") or {}))
        except _GraphQLError as error:
            return Reply(200, {"data": error.data, **_errors(error.kind, str(error))})

    def _issue_branches(self, variables: dict[str, Any]) -> Json:
        repo = self.state.repo(str(variables.get("owner")), str(variables.get("name")))
        number = int(variables.get("number", 0))
        issue = repo.issues.get(number)
        if issue is None or issue.is_pull_request:
            message = f"Could not resolve to an Issue with the number of {number}."
            raise _GraphQLError("NOT_FOUND", message, {"repository": None})
        branches = [{"ref": {"name": name}} for name in issue.linked_branches]
        default = {"name": "main", "target": {"oid": repo.branches["main"]}}
        issue_node = {"id": f"I_{repo.id}_{number}", "linkedBranches": {"nodes": branches}}
        node = {"id": f"R_{repo.id}", "defaultBranchRef": default, "issue": issue_node}
        return {"data": {"repository": node}}

    def _link_branch(self, variables: dict[str, Any]) -> Json:
        """`createLinkedBranch`: makes the branch at `oid` and shows it on the issue."""
        repo, issue = self._issue_node(str(variables.get("issueId", "")))
        name, oid = str(variables.get("name", "")), str(variables.get("oid", ""))
        if not repo.can_push:
            message = "Resource not accessible by personal access token"
            raise _GraphQLError("FORBIDDEN", message, {"createLinkedBranch": None})
        if name in repo.branches:
            raise _GraphQLError(
                "UNPROCESSABLE", "Name already exists", {"createLinkedBranch": None}
            )
        repo.branches[name] = oid
        issue.linked_branches.append(name)
        linked = {"id": f"LB_{self.state.new_id()}", "ref": {"name": name}}
        return {"data": {"createLinkedBranch": {"linkedBranch": linked}}}

    def _project(self, variables: dict[str, Any]) -> Json:
        """`repositoryOwner(login){... on ProjectV2Owner {projectV2(number){id field(name)}}}`."""
        key = (str(variables.get("login", "")).casefold(), int(variables.get("number", 0)))
        project = self.projects.get(key)
        if project is None:
            message = f"Could not resolve to a ProjectV2 with the number {key[1]}."
            raise _GraphQLError("NOT_FOUND", message, {"repositoryOwner": {"projectV2": None}})
        found: Json | None = None
        if str(variables.get("field")) == project.field_name:
            options = [{"id": oid, "name": name} for name, oid in project.options.items()]
            found = {"id": project.field_id, "options": options}
        node = {"id": project.id, "field": found}
        return {"data": {"repositoryOwner": {"projectV2": node}}}

    def _project_by_id(self, project_id: str) -> FakeProject:
        for project in self.projects.values():
            if project.id == project_id:
                return project
        raise _GraphQLError("NOT_FOUND", "Could not resolve to a node", {})

    def _add_item(self, variables: dict[str, Any]) -> Json:
        """Adding content already on the project answers its existing item, as GitHub does."""
        project = self._project_by_id(str(variables.get("projectId")))
        content = str(variables.get("contentId"))
        self._issue_node(content)
        item = project.items.setdefault(content, f"PVTI_{self.state.new_id()}")
        return {"data": {"addProjectV2ItemById": {"item": {"id": item}}}}

    def _set_field(self, variables: dict[str, Any]) -> Json:
        project = self._project_by_id(str(variables.get("projectId")))
        item, option = str(variables.get("itemId")), str(variables.get("optionId"))
        if item not in project.items.values() or option not in project.options.values():
            raise _GraphQLError("NOT_FOUND", "Could not resolve to a node", {})
        project.values[item] = option
        return {"data": {"updateProjectV2ItemFieldValue": {"projectV2Item": {"id": item}}}}

    def _item_content(self, variables: dict[str, Any]) -> Json:
        """`node(id)`: an issue's number and repository; a draft issue (`DI_...`) or a pull
        request answers its own `__typename` and nothing else, as GitHub's fragments do."""
        node_id = str(variables.get("id", ""))
        if node_id.startswith("DI_"):
            return {"data": {"node": {"__typename": "DraftIssue"}}}
        try:
            repo, issue = self._issue_node(node_id)
        except _GraphQLError as error:
            raise _GraphQLError(error.kind, str(error), {"node": None}) from error
        if issue.is_pull_request:
            return {"data": {"node": {"__typename": "PullRequest"}}}
        node = {"__typename": "Issue", "number": issue.number}
        return {"data": {"node": node | {"repository": {"nameWithOwner": repo.full_name}}}}

    def _issue_node(self, node_id: str) -> tuple[FakeRepo, FakeIssue]:
        match = re.fullmatch(r"I_(\d+)_(\d+)", node_id)
        for repo in self.state.repos.values():
            if match and repo.id == int(match.group(1)) and int(match.group(2)) in repo.issues:
                return repo, repo.issues[int(match.group(2))]
        message = f"Could not resolve to a node with the global id of '{node_id}'"
        raise _GraphQLError("NOT_FOUND", message, {"createLinkedBranch": None})


class _GraphQLError(Exception):
    def __init__(self, kind: str, message: str, data: Json) -> None:
        super().__init__(message)
        self.kind = kind
        self.data = data


def _errors(kind: str, message: str) -> Json:
    return {"errors": [{"type": kind, "message": message, "locations": [], "path": []}]}
