"""`dslp-bot doctor` says in plain words what works and what does not."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from adapters.doctor import diagnose, report
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings

__all__ = ["fake_github"]


async def test_a_local_set_up_is_healthy(tmp_path: Path) -> None:
    findings = await diagnose(app_settings(tmp_path))
    assert all(finding.ok for finding in findings), report(findings)


async def test_github_problems_are_named(tmp_path: Path, fake_github: FakeGitHub) -> None:
    fake_github.set_permissions(push=False, triage=False)
    no_push = {f.name: f for f in await diagnose(app_settings(tmp_path, fake_github.api_url))}
    assert not no_push["tracker"].ok and "no push access" in no_push["tracker"].detail
    wrong = app_settings(tmp_path, fake_github.api_url, github_token=SecretStr("wrong"))
    refused = {f.name: f for f in await diagnose(wrong)}
    assert not refused["tracker"].ok
    assert "wrong" not in report(list(refused.values()))


async def test_anonymous_teams_is_flagged(tmp_path: Path) -> None:
    findings = {
        f.name: f for f in await diagnose(app_settings(tmp_path, dslp_teams_allow_anonymous=True))
    }
    assert not findings["teams"].ok
