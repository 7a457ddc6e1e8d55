"""The lifecycle reads an issue it never saw through the tracker of that issue's own
repository: an Experiment of acme/models (not the default octo/dslp) succeeds, and its
Ask, #1 of acme/models, is read from acme/models, never from octo/dslp. The notice's button
names acme/models#2, so it opens the Model issue there wherever it is pressed."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from tests.fakes.slack_api import TEAM
from tests.slack.conftest import CHANNEL, SlackHarness, as_text
from tests.slack.test_slack_lifecycle import SECRET, SUCCEEDED_BODY, webhook
from tests.slack.test_slack_tenancy import say
from tests.support.webhooks import issue_payload

pytestmark = pytest.mark.slow
OTHER = "acme/models"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    return {"github_webhook_secret": SecretStr(SECRET), "dslp_repositories": OTHER}


async def test_an_ask_of_another_repository_is_read_from_that_repository(
    slack: SlackHarness,
) -> None:
    github = slack.github
    github.add_repo(OTHER)
    github.collaborator("ana-gh", "maintain", OTHER)
    github.add_issue(repository=OTHER, title="Forecast demand", body="x", labels=["Ask"])
    github.add_issue(title="Unrelated default issue", body="x", labels=["Ask"])
    assert "now receives" in await say(slack, TEAM, f"subscribe {OTHER}", channel=CHANNEL)
    added = await say(slack, TEAM, "role add ml-engineer <@UBOB|bob>", channel=CHANNEL)
    assert f"in {OTHER}" in added
    payload = issue_payload(
        "labeled",
        number=2,
        body=SUCCEEDED_BODY,
        labels=("Experiment", "Succeeded"),
        label="Succeeded",
        repository=OTHER,
    )
    await webhook(slack, slack.app, "issues", payload)
    [post] = await slack.fake.wait_for("chat.postMessage", 1)
    assert "Ask: #1 Forecast demand" in as_text(post) and "Unrelated" not in as_text(post)
    assert f'"value": "model {OTHER}#2"' in as_text(post["blocks"])  # acts there wherever pressed
    read = [(r.method, r.path) for r in github.requests if r.path.endswith("/issues/1")]
    assert read == [("GET", f"/repos/{OTHER}/issues/1")]
