"""Slack: refusals go only to the person (ephemeral, through response_url), with the link.

Ana is a signed-in maintainer (tests/slack/conftest.py); Ben is not signed in.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_oauth import CLIENT_ID, CLIENT_SECRET
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import BEN, SlackHarness, SlackSender, as_text

pytestmark = pytest.mark.slow
EXPERIMENT = "***Ask Reference:*** #1\n## Results\n***TLDR:*** \n"


@pytest.fixture
def slack_overrides() -> dict[str, Any]:
    """GitHub's sign-in on, so a refusal carries the person's own sign-in link."""
    return {
        "github_client_id": CLIENT_ID,
        "github_client_secret": SecretStr(CLIENT_SECRET),
        "dslp_secret_key": SecretStr(Fernet.generate_key().decode()),
        "dslp_public_url": "https://dslp.example.com",
    }


async def test_an_outcome_from_someone_not_signed_in_is_refused_only_to_them(
    slack: SlackSender, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    fake_github.add_issue(title="Churn", body="x", labels=["Ask"])
    number = fake_github.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    assert (await slack.command(f"experiment {number} failed no signal", user=BEN)).status == 200
    [answer] = await fake_slack.wait_for_response()
    assert answer["response_type"] == "ephemeral" and answer["hook"] == f"cmd-{BEN}"
    assert "Sign in with GitHub" in as_text(answer) and "/github/signin?state=" in as_text(answer)
    assert fake_github.issues()[-1].labels == ["Experiment"]
    assert not fake_slack.delivered("chat.postMessage")


async def test_a_form_command_is_refused_before_any_modal_opens(
    slack: SlackSender, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    number = fake_github.add_issue(title="Churn", body="x", labels=["Ask"]).number
    await slack.command(f"data {number}", user=BEN)
    [answer] = await fake_slack.wait_for_response()
    assert "needs write access to octo/dslp" in as_text(answer)
    assert not fake_slack.delivered("views.open")
    await slack.command(f"data {number}")
    assert await fake_slack.wait_for("views.open", 1)


async def test_a_digest_button_that_changes_github_is_checked(
    slack: SlackSender, fake_slack: FakeSlack, fake_github: FakeGitHub
) -> None:
    number = fake_github.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    value = f"experiment {number} on-hold paused from the digest"
    await slack.press({"action_id": "dslp_choice_0", "value": value}, user=BEN, channel="CDATA")
    [answer] = await fake_slack.wait_for_response()
    assert answer["response_type"] == "ephemeral" and "Sign in" in as_text(answer)
    assert fake_github.issues()[-1].labels == ["Experiment"]


async def test_the_bots_token_names_the_verified_login_it_writes_for(
    slack: SlackHarness, fake_github: FakeGitHub
) -> None:
    """With GITHUB_TOKEN GitHub shows the bot as the author, so the comment says who it was."""
    fake_github.add_issue(title="Churn", body="x", labels=["Ask"])
    number = fake_github.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    assert (await slack.command(f"experiment {number} failed no signal")).status == 200
    await slack.settle()
    [comment] = fake_github.repo().issues[number].comments
    assert "recorded from Slack by uana (@\u200bana-gh, verified)" in comment.body
