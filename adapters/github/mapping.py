"""PyGithub objects to the core's `Issue`.

Only attributes present in every list answer are read: touching a missing one
makes PyGithub fetch the whole issue again, one request per issue.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from github.Issue import Issue as GhIssue

from bot.types import Issue

PULL_URL = re.compile(r"/pull/\d+$")


def aware_utc(moment: datetime | None) -> datetime | None:
    """The core compares times; naive and aware datetimes cannot be compared."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def github_time(value: object) -> datetime | None:
    """A time as GitHub's JSON writes it (`2024-05-15T07:00:00Z`); anything else is unknown."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def is_pull_request(issue: GhIssue) -> bool:
    """GitHub's issue endpoints return pull requests too; their page is /pull/N.

    Reading `issue.pull_request` instead would trigger a refetch for every
    plain issue, because that key is absent from their JSON.
    """
    return bool(PULL_URL.search(issue.html_url or ""))


def to_issue(issue: GhIssue) -> Issue:
    return Issue(
        number=issue.number,
        title=issue.title or "",
        body=issue.body or "",
        url=issue.html_url,
        state=issue.state,
        labels=frozenset(label.name for label in issue.labels),
        author=issue.user.login if issue.user else "",
        assignees=tuple(person.login for person in issue.assignees),
        created_at=aware_utc(issue.created_at),
        updated_at=aware_utc(issue.updated_at),
        closed_at=aware_utc(issue.closed_at),
    )
