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
