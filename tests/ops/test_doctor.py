"""`dslp-bot doctor` says in plain words what works and what does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.doctor import Finding, diagnose, report
from tests.fakes.fixtures import fake_github
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_app import other_key_pem
from tests.github.app_support import app_mode, install_app
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


def _by_name(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.name: finding for finding in findings}


async def test_no_admins_is_a_warning_not_a_problem(tmp_path: Path) -> None:
    findings = _by_name(await diagnose(app_settings(tmp_path)))
    assert findings["admins"].ok and findings["admins"].warning
    assert "[warning] admins: DSLP_ADMINS is empty" in report(list(findings.values()))
    named = _by_name(await diagnose(app_settings(tmp_path, dslp_admins="slack:T1:U1")))
    assert not named["admins"].warning


async def test_slack_without_a_workspace_list_is_warned_about(tmp_path: Path) -> None:
    slack: dict[str, Any] = {
        "slack_bot_token": SecretStr("xoxb-doctor"),
        "slack_signing_secret": SecretStr("signing"),
        "slack_api_url": "http://127.0.0.1:9/api/",
    }
    open_slack = _by_name(await diagnose(app_settings(tmp_path, **slack)))
    assert open_slack["allow-lists"].warning
    assert "DSLP_SLACK_TEAM_IDS" in open_slack["allow-lists"].detail
    listed = _by_name(await diagnose(app_settings(tmp_path, dslp_slack_team_ids="T1", **slack)))
    assert not listed["allow-lists"].warning


async def test_teams_without_a_tenant_list_is_warned_about(tmp_path: Path) -> None:
    teams: dict[str, Any] = {"microsoft_app_id": "app-1", "microsoft_app_password": SecretStr("pw")}
    open_teams = _by_name(await diagnose(app_settings(tmp_path, **teams)))
    assert open_teams["allow-lists"].warning
    assert "DSLP_TEAMS_TENANT_IDS" in open_teams["allow-lists"].detail
    assert "DSLP_SLACK_TEAM_IDS" not in open_teams["allow-lists"].detail  # Slack is off
    listed = _by_name(await diagnose(app_settings(tmp_path, dslp_teams_tenant_ids="t-1", **teams)))
    assert not listed["allow-lists"].warning


async def test_without_a_chat_platform_there_is_nothing_to_allow_list(tmp_path: Path) -> None:
    findings = _by_name(await diagnose(app_settings(tmp_path)))
    assert not findings["allow-lists"].warning


# --- the GitHub App ---------------------------------------------------------------------


@pytest.fixture
def app_github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        install_app(fake)
        yield fake


async def app_findings(tmp_path: Path, fake: FakeGitHub, **overrides: Any) -> dict[str, Finding]:
    findings = await diagnose(app_mode(tmp_path, fake, **overrides))
    return {finding.name: finding for finding in findings}


async def test_a_good_app_set_up_is_healthy(tmp_path: Path, app_github: FakeGitHub) -> None:
    findings = await app_findings(tmp_path, app_github)
    assert all(finding.ok for finding in findings.values()), report(list(findings.values()))
    assert "GitHub App 'dslp-bot' (id 4242)" in findings["github app"].detail
    assert "2 repositories served; default octo/dslp" in findings["repositories"].detail
    assert findings["tracker"].ok


async def test_a_key_of_another_app_is_named(tmp_path: Path, app_github: FakeGitHub) -> None:
    other = SecretStr(other_key_pem())
    findings = await app_findings(tmp_path, app_github, github_app_private_key=other)
    assert not findings["github app"].ok
    assert "refused the app's signed token" in findings["github app"].detail
    assert "BEGIN" not in report(list(findings.values()))


async def test_a_broken_key_is_named(tmp_path: Path, app_github: FakeGitHub) -> None:
    broken = SecretStr("-----BEGIN RSA PRIVATE KEY-----\nxyz\n-----END RSA PRIVATE KEY-----")
    findings = await app_findings(tmp_path, app_github, github_app_private_key=broken)
    assert (
        not findings["github app"].ok
        and "not a usable RSA private key" in findings["github app"].detail
    )
    assert not findings["tracker"].ok


async def test_missing_permissions_and_events_are_named(
    tmp_path: Path, app_github: FakeGitHub
) -> None:
    assert app_github.app is not None
    octo, acme = app_github.app.installations.values()
    octo.permissions = {"issues": "read", "metadata": "read", "contents": "write"}
    octo.events = ["issues"]
    acme.permissions["administration"] = "write"
    findings = await app_findings(tmp_path, app_github)
    said = findings[f"installation {octo.id}"]
    assert not said.ok
    assert "lacks issues: write, pull_requests: write" in said.detail
    assert "does not send issue_comment, pull_request" in said.detail
    extra = findings[f"installation {acme.id}"]
    assert extra.ok and "more than needed (administration: write)" in extra.detail


async def test_suspended_and_missing_installations_are_named(
    tmp_path: Path, app_github: FakeGitHub
) -> None:
    assert app_github.app is not None
    _, acme = app_github.app.installations.values()
    acme.suspended_at = datetime.now(UTC)
    findings = await app_findings(tmp_path, app_github, github_repository="acme/models")
    assert not findings[f"installation {acme.id}"].ok
    assert "suspended" in findings[f"installation {acme.id}"].detail
    assert not findings["repositories"].ok
    assert "acme/models is not among" in findings["repositories"].detail
    app_github.app.installations.clear()
    nowhere = await app_findings(tmp_path, app_github)
    assert (
        not nowhere["installations"].ok and "installed nowhere" in nowhere["installations"].detail
    )


async def test_a_configured_project_needs_the_projects_permission_and_event(
    tmp_path: Path, app_github: FakeGitHub
) -> None:
    assert app_github.app is not None
    octo, acme = app_github.app.installations.values()
    acme.permissions["organization_projects"] = "write"
    acme.events = [*acme.events, "projects_v2_item"]
    findings = await app_findings(tmp_path, app_github, dslp_project="octo/5")
    said = findings[f"installation {octo.id}"]
    assert not said.ok and "lacks organization_projects: write" in said.detail
    assert "does not send projects_v2_item" in said.detail
    assert findings[f"installation {acme.id}"].ok
    without = await app_findings(tmp_path, app_github)
    assert (
        "more than needed (organization_projects: write)"
        in without[f"installation {acme.id}"].detail
    )


async def test_a_project_of_another_owner_is_named(tmp_path: Path) -> None:
    async def project(value: str, **more: Any) -> Finding:
        served = {"github_repository": "octo/dslp", "dslp_repositories": "Octo/ml, acme/ds"}
        settings = app_settings(tmp_path, dslp_project=value, **{**served, **more})
        return _by_name(await diagnose(settings))["project"]

    some = await project("OCTO/5")
    assert some.ok and some.warning
    assert "takes only OCTO's repositories, so acme/ds get no Project" in some.detail
    nobody = await project("elsewhere/5")
    assert not nobody.ok and "octo/dslp, Octo/ml, acme/ds" in nobody.detail
    mine = await project("octo/5", dslp_repositories="", dslp_project_field="Phase")
    assert mine.ok and not mine.warning and "Project octo/5" in mine.detail
    assert "'Phase' field" in mine.detail


@pytest.mark.parametrize("value", ["octo", "octo/five", "octo/5/6", "<!channel>/5"])
async def test_a_malformed_project_is_a_problem(tmp_path: Path, value: str) -> None:
    found = _by_name(await diagnose(app_settings(tmp_path, dslp_project=value)))["project"]
    assert not found.ok and "must be owner/number" in found.detail


async def test_no_project_is_fine(tmp_path: Path) -> None:
    found = _by_name(await diagnose(app_settings(tmp_path)))["project"]
    assert found.ok and not found.warning and "no DSLP_PROJECT" in found.detail
