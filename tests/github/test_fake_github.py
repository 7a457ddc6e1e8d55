"""FakeGitHub's own shapes, for the endpoints later features rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.fakes.github_api import FakeGitHub

AUTH = {"Authorization": "token test-token"}


def get(fake: FakeGitHub, path: str, **params: str) -> requests.Response:
    with requests.Session() as session:
        return session.get(f"{fake.api_url}{path}", params=params, headers=AUTH, timeout=5)


def send(fake: FakeGitHub, method: str, path: str, body: Any) -> requests.Response:
    with requests.Session() as session:
        return session.request(method, f"{fake.api_url}{path}", json=body, headers=AUTH, timeout=5)


def test_errors_have_githubs_shape_and_every_answer_rate_headers(fake_github: FakeGitHub) -> None:
    answer = get(fake_github, "/repos/octo/dslp/issues/9")
    assert answer.status_code == 404
    assert set(answer.json()) == {"message", "documentation_url"}
    assert answer.headers["X-RateLimit-Limit"] == "5000"


def test_duplicate_label_is_422(fake_github: FakeGitHub) -> None:
    first = send(fake_github, "POST", "/repos/octo/dslp/labels", {"name": "Ask", "color": "ff0000"})
    again = send(fake_github, "POST", "/repos/octo/dslp/labels", {"name": "ask", "color": "00ff00"})
    assert first.status_code == 201
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "already_exists"


def test_list_pages_with_link_headers(fake_github: FakeGitHub) -> None:
    for n in range(3):
        fake_github.add_issue(title=f"t{n}")
    first = get(fake_github, "/repos/octo/dslp/issues", per_page="2")
    assert [i["number"] for i in first.json()] == [3, 2]
    assert 'rel="next"' in first.headers["Link"]
    second = requests.get(first.links["next"]["url"], headers=AUTH, timeout=5)
    assert [i["number"] for i in second.json()] == [1]
    assert "pull_request" not in second.json()[0]


def test_search_by_repo_label_state_and_updated(fake_github: FakeGitHub) -> None:
    old = datetime(2024, 1, 1, tzinfo=UTC)
    fake_github.clock = lambda: old
    fake_github.add_issue(title="stale ask", labels=["ask"])
    fake_github.clock = lambda: old + timedelta(days=30)
    fake_github.add_issue(title="fresh ask", labels=["ask"])
    fake_github.add_issue(title="a pr", labels=["ask"], pull_request=True)
    q = 'repo:octo/dslp label:"ask" is:open is:issue updated:<2024-01-15'
    found = get(fake_github, "/search/issues", q=q).json()
    assert [item["title"] for item in found["items"]] == ["stale ask"]
    assert found["total_count"] == 1


def test_patch_issue_and_issue_labels(fake_github: FakeGitHub) -> None:
    fake_github.add_issue(title="t", labels=["ask"])
    path = "/repos/octo/dslp/issues/1"
    closed = send(fake_github, "PATCH", path, {"state": "closed", "title": "T"}).json()
    assert (closed["state"], closed["title"]) == ("closed", "T")
    assert closed["state_reason"] == "completed"
    assert closed["closed_at"].endswith("Z")
    assert send(fake_github, "POST", path + "/labels", {"labels": ["data"]}).status_code == 200
    left = send(fake_github, "DELETE", path + "/labels/ask", None).json()
    assert [label["name"] for label in left] == ["data"]
    comments = get(fake_github, path + "/comments")
    assert comments.json() == []


def test_after_effect_fault_still_acts(fake_github: FakeGitHub) -> None:
    fake_github.fail_next("POST", r"/repos/octo/dslp/issues", 502, after_effect=True)
    answer = send(fake_github, "POST", "/repos/octo/dslp/issues", {"title": "x"})
    assert answer.status_code == 502
    assert len(fake_github.issues()) == 1
    assert fake_github.requests[0].body == {"title": "x"}
