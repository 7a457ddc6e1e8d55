"""Installation tokens shared by replicas (DSLP_SECRET_KEY set): two app instances on one
database that both need a fresh token make one token request per installation, and a
replica that died while holding the refresh lease blocks the other only until it runs out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import text

from adapters.app import App
from adapters.composition import build
from storage.installation_tokens import SqlInstallationTokens
from tests.fakes.github_api import FakeGitHub
from tests.github.app_support import app_mode, install_app

pytestmark = pytest.mark.slow
KEY = Fernet.generate_key().decode()


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        install_app(fake)
        fake.add_issue(title="Churn?", body="x", labels=["Ask"])
        yield fake


def replica(tmp_path: Path, github: FakeGitHub) -> App:
    """One more app instance on the same database (tmp_path's)."""
    return build(app_mode(tmp_path, github, dslp_secret_key=SecretStr(KEY)))


def token_requests(github: FakeGitHub, installation: int) -> int:
    return github.count("POST", rf"/app/installations/{installation}/access_tokens")


async def test_two_replicas_needing_a_token_ask_github_once_per_installation(
    tmp_path: Path, github: FakeGitHub
) -> None:
    assert github.app is not None
    one, two = replica(tmp_path, github), replica(tmp_path, github)
    try:
        found = await asyncio.gather(
            one.tracker.get_issue(number=1), two.tracker.get_issue(number=1)
        )
        assert [issue.title if issue else None for issue in found] == ["Churn?", "Churn?"]
        for installation in github.app.installations:
            assert token_requests(github, installation) == 1
        with one.database.engine.connect() as connection:
            sealed = connection.execute(
                text("SELECT token FROM github_installation_tokens")
            ).scalars()
            stored = " ".join(sealed)
        issued = [r.credential for r in github.requests if r.path == "/repos/octo/dslp/issues/1"]
        assert issued and all(token not in stored for token in issued)  # sealed at rest
    finally:
        one.database.dispose()
        two.database.dispose()


async def test_a_replica_that_died_refreshing_blocks_the_other_only_until_its_lease_ends(
    tmp_path: Path, github: FakeGitHub
) -> None:
    assert github.app is not None
    [octo, _] = github.app.installations
    dead = replica(tmp_path, github)
    shared = SqlInstallationTokens(dead.database, secret_key=KEY)
    assert await shared.claim(octo, seconds=0.5)  # ... and the replica dies here
    alive = replica(tmp_path, github)
    try:
        issue = await alive.tracker.get_issue(number=1)
        assert issue is not None and issue.title == "Churn?"
        assert token_requests(github, octo) == 1
        stored = await shared.get(octo)
        assert stored is not None and stored[0] == github.requests[-1].credential
    finally:
        dead.database.dispose()
        alive.database.dispose()
