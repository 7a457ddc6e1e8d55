"""With a GitHub App, a signed-in person's writes carry their own user token, so GitHub
shows them as the actor; anyone else's (vouched for, no token) the installation's.

The fake GitHub records the token of every request's Authorization header, and makes an
issue written with a person's token theirs.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from tests.fakes.github_api import FakeGitHub
from tests.github.app_support import APP_ID, install_app
from tests.identity.conftest import BEN, Browser
from tests.support.identities import grant

pytestmark = pytest.mark.slow
EXPERIMENT = "***Ask Reference:*** #1\n## Results\n***TLDR:*** \n"


@pytest.fixture
def identity_overrides(fake_github: FakeGitHub) -> dict[str, Any]:
    """App mode: the app installed on octo (octo/dslp) and acme (acme/models)."""
    install_app(fake_github)
    assert fake_github.app is not None
    return {
        "github_token": SecretStr(""),
        "github_app_id": str(APP_ID),
        "github_app_private_key": SecretStr(fake_github.app.private_key),
    }


def user_token(fake: FakeGitHub, login: str) -> str:
    [token] = [token for token, held in fake.oauth.tokens.items() if held.login == login]
    return token


def writes(fake: FakeGitHub) -> list[tuple[str, str, str]]:
    return [(r.method, r.path, r.credential) for r in fake.requests if r.method != "GET"]


async def test_a_signed_in_persons_outcome_is_written_with_their_own_token(
    browser: Browser, fake_github: FakeGitHub
) -> None:
    await browser.sign_in()
    fake_github.collaborator("ana-gh", "write")
    fake_github.add_issue(title="Churn", body="x", labels=["Ask"])
    number = fake_github.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    said = await browser.say(f"experiment {number} failed no signal in the residuals")
    assert "Recorded" in said.text
    experiment = fake_github.repo().issues[number]
    assert experiment.labels == ["Experiment", "failed"] and experiment.state == "closed"
    assert [comment.user for comment in experiment.comments] == ["ana-gh"]
    assert "verified" not in experiment.comments[0].body, "GitHub names her already"
    token = user_token(fake_github, "ana-gh")
    changes = [w for w in writes(fake_github) if "/issues" in w[1]]
    assert changes and {credential for _, _, credential in changes} == {token}


async def test_someone_vouched_for_without_a_token_is_written_for_with_the_apps_token(
    browser: Browser, fake_github: FakeGitHub
) -> None:
    await grant(browser.app, fake_github, BEN.member, "ben-gh", "write")
    fake_github.add_issue(title="Churn", body="x", labels=["Ask"])
    number = fake_github.add_issue(title="GBM", body=EXPERIMENT, labels=["Experiment"]).number
    said = await browser.say(f"experiment {number} failed no signal", BEN)
    assert "Recorded" in said.text
    experiment = fake_github.repo().issues[number]
    assert experiment.labels == ["Experiment", "failed"]
    assert [comment.user for comment in experiment.comments] != ["ben-gh"]
    assert "(@\u200bben-gh, verified)" in experiment.comments[0].body, "the app's token names him"
    changes = [w for w in writes(fake_github) if "/issues" in w[1]]
    assert changes and all(credential.startswith("ghs_") for _, _, credential in changes)
