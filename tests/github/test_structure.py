"""The structure calls PyGithub does not wrap, through the tracker's requester, on GitHub.com
and on GitHub Enterprise Server (REST under /api/v3, GraphQL at /api/graphql)."""

from __future__ import annotations

import pytest

from adapters.github import GitHubTracker
from adapters.github.structure import GitHubStructure
from bot.playbook.model import Attached, Linked
from tests.fakes.github_api import FakeGitHub
from tests.linked.conftest import FAST


@pytest.mark.parametrize("base_path", ["", "/api/v3"])
async def test_sub_issue_branch_and_pulls_where_the_api_lives(base_path: str) -> None:
    with FakeGitHub(base_path=base_path) as fake:
        tracker = GitHubTracker(
            token="test-token", repository="octo/dslp", api_url=fake.api_url, policy=FAST
        )
        try:
            await _walk(fake, GitHubStructure(tracker))
            assert fake.structure.graphql_calls  # GraphQL reached, wherever it lives
        finally:
            tracker.close()


async def _walk(fake: FakeGitHub, structure: GitHubStructure) -> None:
    ask = fake.add_issue(title="Ask", labels=["Ask"]).number
    child = fake.add_issue(title="Experiment", labels=["Experiment"]).number
    child_id = await structure.issue_id(number=child)
    assert child_id is not None
    assert await structure.add_sub_issue(parent=ask, child_id=child_id) is Attached.ADDED
    assert await structure.add_sub_issue(parent=ask, child_id=child_id) is Attached.ALREADY
    other = fake.add_issue(title="Other Ask", labels=["Ask"]).number
    assert await structure.add_sub_issue(parent=other, child_id=child_id) is Attached.ELSEWHERE
    assert await structure.link_branch(number=child, branch="experiment/2-x") is Linked.CREATED
    assert await structure.link_branch(number=child, branch="experiment/2-x") is Linked.ALREADY
    fake.repo().branches["taken"] = "c" * 40
    assert await structure.link_branch(number=child, branch="taken") is Linked.TAKEN
    pull = fake.add_pull(head="experiment/2-x")
    (found,) = await structure.open_pulls(head="experiment/2-x")
    assert (found.number, found.base) == (pull.number, "main")
    assert (await structure.retarget_pull(number=pull.number, base="taken")).base == "taken"
    assert (await structure.close_pull(number=pull.number)).number == pull.number
    assert await structure.open_pulls(head="experiment/2-x") == []
