"""Filtering for the fake's issue list and search endpoints.

Pure functions over the fake's state, so the HTTP layer stays a thin router.
Only the qualifiers the bot uses are understood; others match nothing, which
makes a test fail loudly instead of passing by accident.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

from tests.fakes.github_state import FakeIssue, FakeRepo, GitHubState, validation_failed

SORT_KEYS = {
    "created": lambda issue: (issue.created_at, issue.number),
    "updated": lambda issue: (issue.updated_at, issue.number),
    "comments": lambda issue: (len(issue.comments), issue.number),
}


def list_filter(repo: FakeRepo, query: Mapping[str, str]) -> list[FakeIssue]:
    """GET /repos/{o}/{r}/issues: state, labels (all must match), creator, since, sort."""
    state = query.get("state", "open")
    since = parse_date(query["since"]) if query.get("since") else None
    wanted = {name.strip().lower() for name in query.get("labels", "").split(",") if name.strip()}
    creator = query.get("creator", "").lower()
    chosen = [
        issue
        for issue in repo.issues.values()
        if state in ("all", issue.state)
        and wanted <= {name.lower() for name in issue.labels}
        and (not creator or issue.user.lower() == creator)
        and (since is None or issue.updated_at >= since)
    ]
    return sort_issues(chosen, query.get("sort", "created"), query.get("direction", "desc"))


def sort_issues(issues: list[FakeIssue], sort: str, direction: str) -> list[FakeIssue]:
    key = SORT_KEYS.get(sort, SORT_KEYS["created"])
    return sorted(issues, key=key, reverse=direction != "asc")


def parse_date(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _compare(moment: datetime, condition: str) -> bool:
    match = re.fullmatch(r"(<=|>=|<|>)?(.+)", condition)
    if match is None:
        return False
    operator, value = match.group(1) or "=", parse_date(match.group(2))
    checks = {
        "<": moment < value,
        "<=": moment <= value,
        ">": moment > value,
        ">=": moment >= value,
        "=": moment.date() == value.date(),
    }
    return checks[operator]


def _matches(repo: FakeRepo, issue: FakeIssue, term: str) -> bool:
    """One search term: a qualifier like `label:x`, or a word in title or body."""
    key, _, value = term.partition(":")
    value_l = value.lower()
    qualifiers: dict[str, Callable[[], bool]] = {
        "repo": lambda: repo.full_name.lower() == value_l,
        "label": lambda: value_l in {name.lower() for name in issue.labels},
        "is": lambda: value_l in _kinds(issue),
        "state": lambda: issue.state == value_l,
        "type": lambda: value_l == ("pr" if issue.is_pull_request else "issue"),
        "author": lambda: issue.user.lower() == value_l,
        "updated": lambda: _compare(issue.updated_at, value),
        "created": lambda: _compare(issue.created_at, value),
        "in": lambda: True,
    }
    if value and key in qualifiers:
        return qualifiers[key]()
    text = f"{issue.title}\n{issue.body or ''}".lower()
    return term.lower() in text


def _kinds(issue: FakeIssue) -> set[str]:
    return {issue.state, "pr" if issue.is_pull_request else "issue"}


def search(state: GitHubState, q: str) -> list[tuple[FakeRepo, FakeIssue]]:
    """GET /search/issues: every term must match (GitHub's implicit AND)."""
    try:
        terms = shlex.split(q)
    except ValueError as exc:
        raise validation_failed("Search", "invalid", "q") from exc
    if not terms:
        raise validation_failed("Search", "missing", "q")
    hits = [(repo, issue) for repo, issue in _all_issues(state.repos.values())]
    chosen = [(repo, issue) for repo, issue in hits if all(_matches(repo, issue, t) for t in terms)]
    return sorted(chosen, key=lambda pair: (pair[1].created_at, pair[1].number), reverse=True)


def _all_issues(repos: Iterable[FakeRepo]) -> Iterable[tuple[FakeRepo, FakeIssue]]:
    for repo in repos:
        for issue in repo.issues.values():
            yield repo, issue
