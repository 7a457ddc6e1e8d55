"""GitHub webhook payloads (and issue-event API items) to the core's `TrackerEvent`.

Only what the rules read is taken, and everything but the few fields that
identify an event is optional: GitHub omits, nulls and adds fields across
versions and GitHub Enterprise Server releases, and a missing title must
not cost anyone their notification.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from adapters.github.mapping import PULL_URL, aware_utc, github_time
from bot.lifecycle.events import EventKind, TrackerEvent, normal_label
from bot.playbook.model import ProjectEdit, ProjectRef
from bot.repositories.model import Change, InstallationChange, ServedRepository
from bot.types import Issue

ISSUE_ACTIONS = {
    "opened": EventKind.OPENED,
    "labeled": EventKind.LABELED,
    "unlabeled": EventKind.UNLABELED,
    "closed": EventKind.CLOSED,
    "reopened": EventKind.REOPENED,
}
HANDLED_EVENTS = frozenset({"issues", "pull_request"})
INSTALLATION_EVENTS = frozenset({"installation", "installation_repositories"})
PROJECT_ITEM_EVENT = "projects_v2_item"
INSTALLATION_ACTIONS = {change.value: change for change in Change}


class MalformedEvent(ValueError):
    """A payload without the fields that say what happened to which issue."""


def to_event(name: str, payload: Any, delivery: str) -> TrackerEvent | None:
    """The event, or None when it is not one the lifecycle cares about."""
    if not isinstance(payload, Mapping):
        raise MalformedEvent("the payload is not a JSON object")
    action = _text(payload, "action")
    repository = _text(_object(payload, "repository"), "full_name")
    if not action or not repository:
        raise MalformedEvent("missing action or repository.full_name")
    if name == "issues":
        return _issue_event(payload, action, repository, delivery)
    if name == "pull_request":
        return _pull_event(payload, action, repository, delivery)
    return None


def _issue_event(
    payload: Mapping[str, Any], action: str, repository: str, delivery: str
) -> TrackerEvent | None:
    issue = to_issue(_required(payload, "issue"))
    kind = ISSUE_ACTIONS.get(action)
    if kind is None:
        return None
    return TrackerEvent(
        delivery=delivery,
        kind=kind,
        repository=repository,
        issue=issue,
        label=normal_label(_text(_object(payload, "label"), "name")),
        actor=_login(payload.get("sender")),
        is_pull_request=bool(PULL_URL.search(issue.url)),
        reason=_text(_required(payload, "issue"), "state_reason"),
    )


def _pull_event(
    payload: Mapping[str, Any], action: str, repository: str, delivery: str
) -> TrackerEvent | None:
    pull = _required(payload, "pull_request")
    merged = bool(pull.get("merged"))
    if action != "closed" or not merged:
        return None
    return TrackerEvent(
        delivery=delivery,
        kind=EventKind.MERGED,
        repository=repository,
        issue=to_issue(pull),
        actor=_login(payload.get("sender")),
        is_pull_request=True,
        head_branch=_text(_object(pull, "head"), "ref"),
        merged=True,
    )


def to_project_edit(payload: Any) -> ProjectEdit | None:
    """A `projects_v2_item` edited event that changed a field of an issue's item; None for
    other actions, other changes, and items that hold a draft issue or a pull request.

    GitHub names the field (`changes.field_value.field_name`), the project's number and the
    option chosen (`to.name`) in the event, and its owner as `organization`: a user's own
    Project, whose event names no owner, is not read."""
    if not isinstance(payload, Mapping):
        raise MalformedEvent("the payload is not a JSON object")
    item = _required(payload, "projects_v2_item")
    changes = _object(_object(payload, "changes"), "field_value")
    if _text(payload, "action") != "edited" or not changes:
        return None
    if _text(item, "content_type") != "Issue":
        return None
    owner = _login(payload.get("organization"))
    number = changes.get("project_number")
    content = _text(item, "content_node_id")
    if not owner or not content or not isinstance(number, int) or isinstance(number, bool):
        return None  # an older GitHub that does not say which project and field: not read
    return ProjectEdit(
        project=ProjectRef(owner, number),
        field=_text(changes, "field_name"),
        option=_text(_object(changes, "to"), "name"),
        content_id=content,
        actor=_login(payload.get("sender")),
        installation_id=_installation_id(payload),
    )


def _installation_id(payload: Mapping[str, Any]) -> int:
    number = _object(payload, "installation").get("id")
    return number if isinstance(number, int) and not isinstance(number, bool) else 0


def to_installation_change(payload: Any, *, app_id: str = "") -> InstallationChange | None:
    """An `installation` or `installation_repositories` event; None for other actions and apps.

    `repositories` (created, and sometimes unsuspend) and `repositories_added`
    are what the installation now grants; `repositories_removed` what it no longer does.
    """
    if not isinstance(payload, Mapping):
        raise MalformedEvent("the payload is not a JSON object")
    installation = _required(payload, "installation")
    number = installation.get("id")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise MalformedEvent("missing or invalid installation.id")
    change = INSTALLATION_ACTIONS.get(_text(payload, "action"))
    sent_for = installation.get("app_id")
    if change is None or (app_id and sent_for is not None and str(sent_for) != app_id):
        return None
    added = [*_list(payload, "repositories"), *_list(payload, "repositories_added")]
    return InstallationChange(
        change=change,
        installation_id=number,
        account=_login(installation.get("account")),
        added=tuple(_served(repo, number) for repo in added if _text(repo, "full_name")),
        removed=tuple(_text(r, "full_name") for r in _list(payload, "repositories_removed")),
    )


def _list(payload: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = payload.get(key)
    items = value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, Mapping)]


def _served(repo: Mapping[str, Any], installation_id: int) -> ServedRepository:
    return ServedRepository(_text(repo, "full_name"), installation_id, repo.get("private") is True)


def to_issue(data: Mapping[str, Any]) -> Issue:
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise MalformedEvent("missing or invalid issue number")
    labels = data.get("labels") if isinstance(data.get("labels"), list) else []
    assignees = data.get("assignees") if isinstance(data.get("assignees"), list) else []
    return Issue(
        number=number,
        title=_text(data, "title"),
        body=_text(data, "body"),
        url=_text(data, "html_url"),
        state=_text(data, "state") or "open",
        labels=frozenset(name for name in map(_label_name, labels or []) if name),
        author=_login(data.get("user")),
        assignees=tuple(login for login in map(_login, assignees or []) if login),
        created_at=_moment(data, "created_at"),
        updated_at=_moment(data, "updated_at"),
        closed_at=_moment(data, "closed_at"),
    )


def _moment(payload: Mapping[str, Any], key: str) -> datetime | None:
    return aware_utc(github_time(payload.get(key)))


def _required(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    if not isinstance(value, Mapping):
        raise MalformedEvent(f"missing {key}")
    return value


def _object(payload: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = payload.get(key)
    return value if isinstance(value, Mapping) else {}


def _text(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def _login(user: Any) -> str:
    return _text(user, "login") if isinstance(user, Mapping) else ""


def _label_name(label: Any) -> str:
    if isinstance(label, str):
        return label
    return _text(label, "name") if isinstance(label, Mapping) else ""
