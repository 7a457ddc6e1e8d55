"""Slack: many repositories (token mode, DSLP_REPOSITORIES): issues named `owner/repo#N`,
a channel's repository chosen with `use`, and GitHub's permissions per repository.

Ana (ana-gh) maintains octo/dslp (tests/slack/conftest.py); each test says what she may do
in acme/models.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.github_api import FakeGitHub
from tests.fakes.slack_api import TEAM
from tests.slack.conftest import ANA, CHANNEL, GOOD, SlackHarness, as_text, file_form

pytestmark = pytest.mark.slow
OTHER = "acme/models"
EXPERIMENT = "***Ask Reference:*** #1\n## Results\n***TLDR:*** \n"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"dslp_repositories": OTHER}


@pytest.fixture
def other(fake_github: FakeGitHub) -> FakeGitHub:
    """acme/models, with its own Ask #1 and Experiment #2; octo/dslp has neither."""
    fake_github.add_repo(OTHER)
    fake_github.add_issue(repository=OTHER, title="Forecast demand", body="x", labels=["Ask"])
    fake_github.add_issue(repository=OTHER, title="ARIMA", body=EXPERIMENT, labels=["Experiment"])
    return fake_github


async def said(slack: SlackHarness, text: str, *, channel: str = CHANNEL) -> str:
    before = len(slack.fake.responses)
    assert (await slack.command(text, channel=channel)).status == 200
    answers = await slack.fake.wait_for_response(before + 1)
    return as_text(answers[before:])


async def test_an_outcome_is_recorded_in_the_repository_the_reference_names(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.collaborator("ana-gh", "write", OTHER)
    answer = await said(slack, f"experiment {OTHER}#2 failed no signal in the residuals")
    assert "acme/models" in answer
    experiment = other.repo(OTHER).issues[2]
    assert experiment.labels == ["Experiment", "failed"] and experiment.state == "closed"
    assert other.issues() == []  # octo/dslp untouched


async def test_linked_work_opens_for_an_ask_in_the_named_repository(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.collaborator("ana-gh", "write", OTHER)
    assert (await slack.command(f"data {OTHER}#1")).status == 200
    [opened] = await slack.fake.wait_for("views.open", 1)
    assert "Forecast demand" in as_text(opened)
    drafts = await slack.app.drafts.list_open(owner=f"slack:{TEAM}:{ANA}")
    assert [d.context["repository"] for d in drafts] == [OTHER]


async def test_permission_is_checked_in_the_repository_named(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    """Ana maintains octo/dslp but only reads acme/models: refused there, allowed at home."""
    other.collaborator("ana-gh", "read", OTHER)
    refused = await said(slack, f"experiment {OTHER}#2 failed no signal")
    assert "needs write access to acme/models" in refused and "read access" in refused
    assert other.repo(OTHER).issues[2].labels == ["Experiment"]
    number = other.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    assert "failed" in await said(slack, f"experiment #{number} failed no lift")
    assert other.repo().issues[number].labels == ["Experiment", "failed"]


async def test_a_repository_the_bot_does_not_serve_is_refused_without_a_word_about_it(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.add_repo("secret/vault").private = True
    for text in ("experiment secret/vault#1 failed x", "use secret/vault", "status secret/vault#1"):
        answer = await said(slack, text)
        assert "not a repository this bot serves" in answer, text
        assert "private" not in answer and "install" not in answer.casefold()
    assert not [r for r in other.requests if "/secret/vault" in r.path]


async def test_use_sets_the_channel_repository_and_ask_files_there(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.collaborator("ana-gh", "write", OTHER)
    assert "now uses acme/models" in await said(slack, f"use {OTHER}")
    assert "uses acme/models" in await said(slack, "use")
    await file_form(slack, GOOD)
    await slack.settle()
    filed = other.issues(OTHER)[-1]
    assert filed.title == GOOD["title"] and filed.labels == ["Ask"]
    assert other.issues() == []
    posts = await slack.fake.wait_for("chat.postMessage")
    assert f"/acme/models/issues/{filed.number}" in as_text(posts)
    assert "Forecast demand" not in await said(slack, f"status #{filed.number}")
    assert GOOD["title"] in await said(slack, f"status #{filed.number}")


async def test_use_needs_write_access_to_that_repository(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.collaborator("ana-gh", "read", OTHER)
    assert "needs write access to acme/models" in await said(slack, f"use {OTHER}")
    assert "uses octo/dslp" in await said(slack, "use")


async def test_a_channel_subscribed_to_one_repository_uses_it(
    slack: SlackHarness, other: FakeGitHub
) -> None:
    other.collaborator("ana-gh", "write", OTHER)
    assert "now receives" in await said(slack, f"subscribe {OTHER} confirm")
    assert "uses acme/models" in await said(slack, "use")
    answer = await said(slack, "experiment #2 on hold waiting for data")
    assert other.repo(OTHER).issues[2].labels == ["Experiment", "on hold"], answer
