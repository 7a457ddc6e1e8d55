"""GitHub's structure for the playbook: sub-issues, linked branches, pull requests.

PyGithub wraps none of these, so they go through the tracker's own requester
(`requestJsonAndCheck`): the same token, retries of reads, pacing and metrics
as every other call to that repository. Writes read first and, when an answer
is lost (a 502 after GitHub did it), look for their effect before sending again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from github import GithubException

from adapters.github.tracker import GitHubTracker
from bot.playbook.model import Attached, ItemContent, Linked, Placed, ProjectRef, PullRequest
from bot.ports import Tracker, TrackerError

ISSUE_BRANCHES = """
query DslpIssueBranches($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef { name target { oid } }
    issue(number: $number) { id linkedBranches(first: 50) { nodes { ref { name } } } }
  }
}
"""
LINK_BRANCH = """
mutation DslpLinkBranch($issueId: ID!, $oid: GitObjectID!, $name: String!, $repositoryId: ID!) {
  createLinkedBranch(
    input: {issueId: $issueId, oid: $oid, name: $name, repositoryId: $repositoryId}
  ) { linkedBranch { id ref { name } } }
}
"""
PROJECT = """
query DslpProject($login: String!, $number: Int!, $field: String!) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) {
        id
        field(name: $field) { ... on ProjectV2SingleSelectField { id options { id name } } }
      }
    }
  }
}
"""
ADD_ITEM = """
mutation DslpAddItem($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: {projectId: $projectId, contentId: $contentId}) { item { id } }
}
"""
SET_FIELD = """
mutation DslpSetField($projectId: ID!, $itemId: ID!, $fieldId: ID!, $optionId: String!) {
  updateProjectV2ItemFieldValue(
    input: {projectId: $projectId, itemId: $itemId, fieldId: $fieldId,
            value: {singleSelectOptionId: $optionId}}
  ) { projectV2Item { id } }
}
"""
ITEM_CONTENT = """
query DslpItemContent($id: ID!) {
  node(id: $id) { __typename ... on Issue { number repository { nameWithOwner } } }
}
"""
_REFUSED = ("FORBIDDEN", "INSUFFICIENT_SCOPES")


class GraphQLError(Exception):
    """GitHub answered 200 with `errors`: `kind` is the first error's `type`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class GitHubStructure:
    def __init__(self, tracker: GitHubTracker) -> None:
        self._tracker = tracker
        self._owner, self._name = tracker.repository.split("/", 1)

    @property
    def repository(self) -> str:
        return self._tracker.repository

    def _path(self, rest: str) -> str:
        return f"/repos/{self._owner}/{self._name}{rest}"

    def _json(self, verb: str, path: str, **kwargs: Any) -> Any:
        return self._tracker.requester.requestJsonAndCheck(verb, path, **kwargs)[1]

    # --- sub-issues ------------------------------------------------------------

    async def issue_id(self, *, number: int) -> int | None:
        def fetch() -> int | None:
            found = self._json("GET", self._path(f"/issues/{number}"))
            return int(found["id"]) if isinstance(found, dict) and "id" in found else None

        return await self._tracker.read(fetch, endpoint="get_issue", number=number)

    async def add_sub_issue(self, *, parent: int, child_id: int) -> Attached:
        listed = await self._sub_issue_ids(parent)
        if listed is None:
            return Attached.UNSUPPORTED
        if child_id in listed:
            return Attached.ALREADY
        path = self._path(f"/issues/{parent}/sub_issues")

        def add() -> Attached:
            try:
                self._json("POST", path, input={"sub_issue_id": child_id})
            except GithubException as error:
                if error.status != 422:
                    raise
                return Attached.ELSEWHERE
            return Attached.ADDED

        attached = await self._tracker.write(
            add, endpoint="add_sub_issue", recover=lambda: self._added(parent, child_id),
            resend=True, number=parent,
        )  # fmt: skip
        if attached is Attached.ELSEWHERE and child_id in (await self._sub_issue_ids(parent) or []):
            return Attached.ALREADY  # a racing call (the webhook, a second press) won
        return attached

    async def _added(self, parent: int, child_id: int) -> Attached | None:
        return Attached.ADDED if child_id in (await self._sub_issue_ids(parent) or []) else None

    async def _sub_issue_ids(self, parent: int) -> list[int] | None:
        """None where GitHub has no sub-issues (GitHub Enterprise Server before 3.17: 404)."""
        path = self._path(f"/issues/{parent}/sub_issues")

        def fetch() -> list[int] | None:
            try:
                found = self._json("GET", path, parameters={"per_page": 100})
            except GithubException as error:
                if error.status == 404:
                    return None
                raise
            return [int(item["id"]) for item in found or []]

        return await self._tracker.read(fetch, endpoint="list_sub_issues", number=parent)

    # --- linked branches ------------------------------------------------------

    async def link_branch(self, *, number: int, branch: str) -> Linked:
        found = await self._branches(number)
        if branch in found["linked"]:
            return Linked.ALREADY
        variables = {
            "issueId": found["issue"],
            "oid": found["oid"],
            "name": branch,
            "repositoryId": found["repository"],
        }

        def create() -> Linked:
            try:
                self._graphql(LINK_BRANCH, variables)
            except GraphQLError as error:
                if error.kind in _REFUSED:
                    return Linked.REFUSED
                return Linked.TAKEN
            except GithubException as error:
                if error.status in (401, 403, 404):
                    return Linked.REFUSED
                raise
            return Linked.CREATED

        linked = await self._tracker.write(
            create, endpoint="create_linked_branch", recover=lambda: self._linked(number, branch),
            resend=True, number=number,
        )  # fmt: skip
        if linked is Linked.TAKEN and branch in (await self._branches(number))["linked"]:
            return Linked.ALREADY  # a racing call linked it first
        return linked

    async def _linked(self, number: int, branch: str) -> Linked | None:
        return Linked.CREATED if branch in (await self._branches(number))["linked"] else None

    async def _branches(self, number: int) -> dict[str, Any]:
        """Ids the mutation needs, the default branch's head, and what is linked already."""
        variables = {"owner": self._owner, "name": self._name, "number": number}

        def fetch() -> dict[str, Any]:
            try:
                data = self._graphql(ISSUE_BRANCHES, variables)
            except GraphQLError as error:
                raise TrackerError(str(error), retryable=False) from error
            repository = data["repository"]
            issue = repository["issue"]
            nodes = issue["linkedBranches"]["nodes"]
            return {
                "repository": repository["id"],
                "oid": repository["defaultBranchRef"]["target"]["oid"],
                "issue": issue["id"],
                "linked": [node["ref"]["name"] for node in nodes if node.get("ref")],
            }

        return await self._tracker.read(fetch, endpoint="issue_branches", number=number)

    def _graphql(self, query: str, variables: dict[str, Any]) -> Any:
        requester = self._tracker.requester
        data = self._json(
            "POST", requester.graphql_url, input={"query": query, "variables": variables}
        )
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors:
            first = errors[0]
            raise GraphQLError(str(first.get("type", "")), str(first.get("message", "")))
        return data["data"]

    # --- GitHub Projects (v2) -------------------------------------------------

    async def place_in_project(
        self, *, project: ProjectRef, field: str, number: int, phase: str
    ) -> Placed:
        """Both mutations are idempotent in GitHub (an item added twice is the same item, a
        value set twice the same value), so they are sent again after a lost answer."""
        found = await self._project(project, field)
        if found is None:
            return Placed.MISSING
        content = (await self._branches(number))["issue"]
        add = {"projectId": found["id"], "contentId": content}
        added = await self._tracker.write(
            lambda: self._graphql(ADD_ITEM, add), endpoint="project_add", resend=True
        )
        option = _option(found.get("field"), phase)
        if option is None:
            return Placed.ADDED
        values = {"projectId": found["id"], "itemId": added["addProjectV2ItemById"]["item"]["id"]}
        values |= {"fieldId": found["field"]["id"], "optionId": option}
        await self._tracker.write(
            lambda: self._graphql(SET_FIELD, values), endpoint="project_field", resend=True
        )
        return Placed.PHASED

    async def content_of(self, *, content_id: str) -> ItemContent | None:
        """The issue behind a node id; None for anything else or nothing this token sees.
        A query, so it is sent again after a 5xx like any idempotent write."""

        def fetch() -> ItemContent | None:
            try:
                node = self._graphql(ITEM_CONTENT, {"id": content_id}).get("node")
            except GraphQLError:
                return None
            if not isinstance(node, dict) or node.get("__typename") != "Issue":
                return None
            repository = (node.get("repository") or {}).get("nameWithOwner")
            return ItemContent(str(repository), int(node["number"])) if repository else None

        return await self._tracker.write(fetch, endpoint="project_item", resend=True)

    async def _project(self, project: ProjectRef, field: str) -> dict[str, Any] | None:
        variables = {"login": project.owner, "number": project.number, "field": field}

        def fetch() -> dict[str, Any] | None:
            try:
                data = self._graphql(PROJECT, variables)
            except GraphQLError:
                return None  # no such owner or project, or not visible to this token
            owner = data.get("repositoryOwner") or {}
            found = owner.get("projectV2")
            return found if isinstance(found, dict) else None

        return await self._tracker.read(fetch, endpoint="project")

    # --- pull requests ----------------------------------------------------------

    async def open_pulls(self, *, head: str) -> Sequence[PullRequest]:
        parameters = {"head": f"{self._owner}:{head}", "state": "open", "per_page": 100}

        def fetch() -> list[PullRequest]:
            return [
                _pull(item)
                for item in self._json("GET", self._path("/pulls"), parameters=parameters)
            ]

        return await self._tracker.read(fetch, endpoint="list_pulls")

    async def retarget_pull(self, *, number: int, base: str) -> PullRequest:
        return await self._edit_pull(number, {"base": base})

    async def close_pull(self, *, number: int) -> PullRequest:
        return await self._edit_pull(number, {"state": "closed"})

    async def _edit_pull(self, number: int, changes: dict[str, str]) -> PullRequest:
        """PATCH is idempotent: sent again after a lost answer."""
        path = self._path(f"/pulls/{number}")
        return await self._tracker.write(
            lambda: _pull(self._json("PATCH", path, input=changes)),
            endpoint="edit_pull", resend=True, number=number,
        )  # fmt: skip


def _option(field: Any, phase: str) -> str | None:
    """The single-select option named like the phase (any case), if the field has one."""
    options = field.get("options", []) if isinstance(field, dict) else []
    wanted = phase.casefold()
    return next(
        (str(o["id"]) for o in options if str(o.get("name", "")).casefold() == wanted), None
    )


def _pull(item: dict[str, Any]) -> PullRequest:
    return PullRequest(
        number=int(item["number"]),
        url=str(item.get("html_url", "")),
        head=str(item["head"]["ref"]),
        base=str(item["base"]["ref"]),
    )


class TrackerStructures:
    """`bot.playbook.ports.Structures`: a GitHub tracker's structure; none for the local one.

    A structure keeps nothing of its own (it speaks through the tracker), so one is made
    per use."""

    def of(self, tracker: Tracker) -> GitHubStructure | None:
        return GitHubStructure(tracker) if isinstance(tracker, GitHubTracker) else None
