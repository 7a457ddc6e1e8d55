"""GitHub webhook payloads for tests: the trimmed fixtures, adjusted, and signed like GitHub."""

from __future__ import annotations

import copy
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from adapters.github.webhook import signature_for

FIXTURES = Path(__file__).parent.parent / "fixtures" / "github"
REPOSITORY = "octo/dslp"
WEB = "https://github.com"


@cache
def _fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _repository(payload: dict[str, Any], repository: str) -> None:
    owner, name = repository.split("/")
    payload["repository"].update(full_name=repository, name=name, html_url=f"{WEB}/{repository}")
    payload["repository"]["owner"]["login"] = owner


def _user(login: str) -> dict[str, Any]:
    return {"login": login, "id": abs(hash(login)) % 10**8, "type": "User"}


def issue_payload(
    action: str,
    *,
    number: int,
    title: str = "An issue",
    body: str = "",
    labels: tuple[str, ...] = (),
    label: str = "",
    assignees: tuple[str, ...] = (),
    author: str = "octocat",
    state: str = "",
    repository: str = REPOSITORY,
) -> dict[str, Any]:
    """An `issues` event; `labels` are the issue's labels after the action."""
    source = action if action in ("opened", "labeled", "unlabeled", "closed") else "opened"
    payload = copy.deepcopy(_fixture(f"issues.{source}"))
    payload["action"] = action
    _repository(payload, repository)
    issue = payload["issue"]
    issue.update(
        number=number,
        title=title,
        body=body,
        html_url=f"{WEB}/{repository}/issues/{number}",
        state=state or ("closed" if action == "closed" else "open"),
        user=_user(author),
        labels=[{"id": 1, "name": name, "color": "ededed"} for name in labels],
        assignees=[_user(login) for login in assignees],
    )
    if label:
        payload["label"] = {"id": 2, "name": label, "color": "ededed"}
    else:
        payload.pop("label", None)
    return payload


def merged_pull_payload(
    *,
    number: int,
    branch: str,
    title: str = "Ship it",
    merged: bool = True,
    repository: str = REPOSITORY,
) -> dict[str, Any]:
    payload = copy.deepcopy(_fixture("pull_request.closed"))
    _repository(payload, repository)
    payload["number"] = number
    pull = payload["pull_request"]
    pull.update(
        number=number, title=title, merged=merged, html_url=f"{WEB}/{repository}/pull/{number}"
    )
    pull["head"]["ref"] = branch
    return payload


def project_item_payload(
    *,
    content_id: str,
    option: str,
    owner: str = "octo",
    project_number: int = 5,
    field: str = "Status",
    content_type: str = "Issue",
    sender: str = "ana-gh",
    installation_id: int | None = None,
) -> dict[str, Any]:
    """A `projects_v2_item` edited event for a single-select field, shaped like GitHub's
    (the item, `changes.field_value` with the field's name, the project's number and the
    option chosen, the organization; no repository)."""
    payload: dict[str, Any] = {
        "action": "edited",
        "projects_v2_item": {
            "id": 812,
            "node_id": "PVTI_lADOBfT0Hc4AB8zbzgB3nKQ",
            "project_node_id": "PVT_kwDOBfT0Hc4AB8zb",
            "content_node_id": content_id,
            "content_type": content_type,
            "creator": _user("octocat"),
            "created_at": "2026-12-01T10:00:00Z",
            "updated_at": "2026-12-07T03:00:00Z",
            "archived_at": None,
        },
        "changes": {
            "field_value": {
                "field_node_id": "PVTSSF_lADOBfT0Hc4AB8zbzgMv9yA",
                "field_type": "single_select",
                "field_name": field,
                "project_number": project_number,
                "from": {"id": "98236657", "name": "Experiment", "color": "PURPLE"},
                "to": {"id": "47fc9ee4", "name": option, "color": "GREEN"},
            }
        },
        "organization": {"login": owner, "id": 1, "node_id": "O_kgDOBfT0Hc"},
        "sender": _user(sender),
    }
    if installation_id is not None:
        payload["installation"] = {"id": installation_id, "node_id": "MDIzOkludGVncmF0aW9u"}
    return payload


def ping_payload() -> dict[str, Any]:
    return copy.deepcopy(_fixture("ping"))


def signed(
    event: str, payload: Any, secret: str, *, delivery: str = ""
) -> tuple[bytes, dict[str, str]]:
    """The body and headers GitHub would send."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature_for(body, secret),
        "Content-Type": "application/json",
    }
    return body, headers
