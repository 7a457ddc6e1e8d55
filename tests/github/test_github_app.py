"""GitHub App mode end to end: JWT, installation tokens, the registry, the webhooks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from adapters.app import App
from adapters.cli import main
from adapters.composition import build
from adapters.composition.mounts import MOUNTS
from adapters.github.tokens import InstallationTokens
from adapters.web import create_web_app, mount_all
from bot.permissions.model import WRITE
from bot.ports import TrackerError
from bot.repositories.service import UnknownRepository
from bot.types import Person, Say
from tests.fakes.github_api import FakeGitHub
from tests.fakes.github_app import other_key_pem
from tests.github.app_support import APP_ID, PRIVATE, app_client, app_mode, install_app
from tests.support.apps import app_settings
from tests.support.identities import grant
from tests.support.webhooks import signed

SECRET = "webhook-secret"
TOKENS = r"/app/installations/\d+/access_tokens"
MARKER = "<!-- dslp-draft: d-app -->"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        install_app(fake)
        yield fake


@pytest.fixture
async def app(tmp_path: Path, github: FakeGitHub) -> AsyncIterator[App]:
    built = build(app_mode(tmp_path, github, github_webhook_secret=SecretStr(SECRET)))
    yield built
    built.database.dispose()


async def file_ask(app: App, repository: str = "") -> int:
    tracker = await app.trackers.for_repository(repository) if repository else app.tracker
    body = f"### Problem\nChurn.\n\n{MARKER}"
    issue = await tracker.create_issue(title="Churn?", body=body, labels=["Ask"], marker=MARKER)
    return issue.number


async def test_an_ask_is_filed_through_an_installation_token(app: App, github: FakeGitHub) -> None:
    number = await file_ask(app)
    [issue] = github.issues()
    assert (issue.number, issue.labels) == (number, ["Ask"])
    assert github.count("GET", "/app/installations") == 1  # the registry synced once
    assert github.count("POST", TOKENS) == 2  # to list each installation's repositories
    await app.tracker.comment(number=number, body="Thanks")
    assert github.count("POST", TOKENS) == 2  # octo's token, kept
    assert app.trackers.default is app.tracker


async def test_each_repository_uses_its_own_installation(app: App, github: FakeGitHub) -> None:
    await file_ask(app, PRIVATE)
    await file_ask(app)
    assert [i.title for i in github.issues(PRIVATE)] == ["Churn?"]
    assert [i.title for i in github.issues()] == ["Churn?"]
    assert github.app is not None
    [octo, acme] = github.app.installations.values()
    found = [await app.repositories.find(name) for name in ("octo/dslp", PRIVATE)]
    assert [(f.installation_id, f.private) for f in found if f] == [
        (octo.id, False),
        (acme.id, True),
    ]
    assert await served(app) == ["octo/dslp", PRIVATE]  # the default first


async def test_calls_at_first_use_share_one_sync(app: App, github: FakeGitHub) -> None:
    issue, private = await asyncio.gather(
        app.tracker.get_issue(number=1), app.trackers.for_repository(PRIVATE)
    )
    assert issue is None and private.repository == PRIVATE
    assert github.count("GET", "/app/installations") == 1


async def test_a_repository_the_app_does_not_serve_is_refused_in_words(app: App) -> None:
    with pytest.raises(UnknownRepository) as refused:
        await app.trackers.for_repository("octo/elsewhere")
    assert "octo/elsewhere" in refused.value.message


async def test_github_is_asked_who_may_with_the_installation_token(
    app: App, github: FakeGitHub
) -> None:
    ana, ben = Person("slack", "UANA", "T1"), Person("slack", "UBEN", "T1")
    await grant(app, github, ana.key, "ana-gh", "write")
    await grant(app, github, ben.key, "ben-gh", "read")
    assert await app.permissions.refusal(person=ana, need=WRITE, repository="octo/dslp") == []
    [refused] = await app.permissions.refusal(person=ben, need=WRITE, repository="octo/dslp")
    assert isinstance(refused, Say) and "needs write access to octo/dslp" in refused.text
    assert github.count("GET", r"/repos/octo/dslp/collaborators/.*/permission") == 2


async def test_the_token_is_kept_and_renewed_shortly_before_it_expires(github: FakeGitHub) -> None:
    now = datetime.now(UTC)
    assert github.app is not None
    client = app_client(github)
    tokens = InstallationTokens(client.issue_token, now=lambda: now)
    [octo, _] = github.app.installations
    first = await tokens.token(octo)
    assert await tokens.token(octo) == first
    assert github.count("POST", TOKENS) == 1
    now += timedelta(minutes=54)  # six minutes left: still used
    assert await tokens.token(octo) == first
    now += timedelta(minutes=2)  # four left: renewed
    assert await tokens.token(octo) != first
    assert github.count("POST", TOKENS) == 2
    client.close()


async def test_concurrent_calls_ask_for_one_token(github: FakeGitHub) -> None:
    assert github.app is not None
    client = app_client(github)
    tokens = InstallationTokens(client.issue_token)
    [octo, _] = github.app.installations
    found = await asyncio.gather(*(tokens.token(octo) for _ in range(5)))
    assert len(set(found)) == 1
    assert github.count("POST", TOKENS) == 1
    client.close()


async def test_a_token_that_expires_mid_run_is_renewed_and_the_call_succeeds(
    app: App, github: FakeGitHub
) -> None:
    number = await file_ask(app)
    assert github.app is not None
    github.app.expire_tokens()  # GitHub says expired; our cache still believes in it
    issue = await app.tracker.get_issue(number=number)
    assert issue is not None and issue.title == "Churn?"
    assert github.count("POST", TOKENS) == 3  # two at the sync, one renewed after the 401
    assert github.count("GET", r"/repos/octo/dslp/issues/1") == 2  # refused, then answered


async def test_a_token_github_keeps_refusing_is_an_error_in_words(
    app: App, github: FakeGitHub
) -> None:
    await file_ask(app)
    github.fail_next("GET", r"/repos/octo/dslp/issues/1", 401, times=2)
    with pytest.raises(TrackerError) as refused:
        await app.tracker.get_issue(number=1)
    assert refused.value.message == "the GitHub token was refused"


# --- the installation webhooks keep the list current ---------------------------------


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient[Any, Any]]:
    served = TestClient(TestServer(create_web_app(app, mount_all(app, MOUNTS))))
    await served.start_server()
    yield served
    await served.close()


async def post(client: TestClient[Any, Any], event: str, payload: Any) -> tuple[int, Any]:
    body, headers = signed(event, payload, SECRET)
    response = await client.post("/github/webhook", data=body, headers=headers)
    return response.status, await response.json()


def installation(installation_id: int, account: str, app_id: int = APP_ID) -> dict[str, Any]:
    return {
        "id": installation_id,
        "account": {"login": account, "id": 77, "type": "Organization"},
        "app_id": app_id,
        "repository_selection": "selected",
        "permissions": {"issues": "write", "metadata": "read"},
        "events": ["issues"],
        "suspended_at": None,
    }


def repo(full_name: str, *, private: bool = False) -> dict[str, Any]:
    name = full_name.split("/")[1]
    return {"id": 9, "node_id": "R_9", "name": name, "full_name": full_name, "private": private}


def installation_event(action: str, number: int, account: str, *repos: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"action": action, "installation": installation(number, account)}
    payload["sender"] = {"login": "ana", "id": 1, "type": "User"}
    if action == "created":
        payload["repositories"] = [repo(name) for name in repos]
    return payload


def repositories_event(action: str, number: int, account: str, *repos: str) -> dict[str, Any]:
    changed = [repo(name, private=True) for name in repos]
    return {
        "action": action,
        "installation": installation(number, account),
        "repository_selection": "selected",
        "repositories_added": changed if action == "added" else [],
        "repositories_removed": changed if action == "removed" else [],
        "requester": None,
        "sender": {"login": "ana", "id": 1, "type": "User"},
    }


async def served(app: App) -> list[str]:
    return [found.full_name for found in await app.repositories.served()]


async def test_installation_events_add_and_remove_repositories(
    app: App, client: TestClient[Any, Any], github: FakeGitHub
) -> None:
    status, _ = await post(client, "installation", installation_event("created", 7, "lab", "lab/a"))
    assert status == 202
    assert await served(app) == ["lab/a"]
    added = repositories_event("added", 7, "lab", "lab/b", "lab/c")
    assert (await post(client, "installation_repositories", added))[0] == 202
    assert await served(app) == ["lab/a", "lab/b", "lab/c"]
    found = await app.repositories.find("Lab/B")
    assert found is not None and found.private and found.installation_id == 7
    removed = repositories_event("removed", 7, "lab", "lab/b")
    await post(client, "installation_repositories", removed)
    assert await served(app) == ["lab/a", "lab/c"]
    assert github.count("GET", "/app/installations") == 0  # the webhooks alone kept the list


async def test_a_suspended_installation_serves_nothing_until_unsuspended(
    app: App, client: TestClient[Any, Any]
) -> None:
    await post(client, "installation", installation_event("created", 7, "lab", "lab/a"))
    await post(client, "installation", installation_event("suspend", 7, "lab"))
    assert await served(app) == []
    await post(client, "installation", installation_event("unsuspend", 7, "lab"))
    assert await served(app) == ["lab/a"]
    await post(client, "installation", installation_event("deleted", 7, "lab"))
    assert await served(app) == []


async def test_another_apps_installation_and_bad_payloads_change_nothing(
    app: App, client: TestClient[Any, Any]
) -> None:
    other = installation_event("created", 8, "evil", "evil/x")
    other["installation"]["app_id"] = APP_ID + 1
    status, answer = await post(client, "installation", other)
    assert (status, answer["ignored"]) == (202, "action")
    status, _ = await post(client, "installation", {"action": "created", "installation": {}})
    assert status == 400
    assert await served(app) == []


async def test_token_mode_ignores_installation_events(tmp_path: Path, github: FakeGitHub) -> None:
    settings = app_settings(tmp_path, github.api_url, github_webhook_secret=SecretStr(SECRET))
    built = build(settings)
    served_client = TestClient(TestServer(create_web_app(built, mount_all(built, MOUNTS))))
    await served_client.start_server()
    try:
        payload = installation_event("created", 7, "lab", "lab/a")
        status, answer = await post(served_client, "installation", payload)
        assert status == 202 and "not a GitHub App" in answer["ignored"]
    finally:
        await served_client.close()
        built.database.dispose()


# --- the key, checked at start ----------------------------------------------------------


def test_the_key_may_be_a_path_to_the_pem(tmp_path: Path, github: FakeGitHub) -> None:
    assert github.app is not None
    key = tmp_path / "app.pem"
    key.write_text(github.app.private_key, encoding="utf-8")
    settings = app_mode(tmp_path, github, github_app_private_key=SecretStr(str(key)))
    built = build(settings)
    built.database.dispose()


def test_the_key_may_come_with_escaped_line_breaks(tmp_path: Path, github: FakeGitHub) -> None:
    assert github.app is not None
    one_line = github.app.private_key.strip().replace("\n", "\\n")
    built = build(app_mode(tmp_path, github, github_app_private_key=SecretStr(one_line)))
    built.database.dispose()


@pytest.mark.parametrize(
    ("key", "said"),
    [
        (
            "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----",
            "not a usable",
        ),
        ("/nowhere/app.pem", "readable file"),
        ("", "GITHUB_APP_PRIVATE_KEY is empty"),
    ],
)
def test_a_bad_key_is_a_clear_message_at_start(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str,
    said: str,
) -> None:
    settings = app_mode(tmp_path, github, github_app_private_key=SecretStr(key))
    for name, value in _environment(settings).items():
        monkeypatch.setenv(name, value)
    assert main(["init"]) == 2
    error = capsys.readouterr().err
    assert said in error and "not a key" not in error


def test_app_mode_without_a_default_repository_says_so(
    tmp_path: Path,
    github: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in _environment(app_mode(tmp_path, github, github_repository="")).items():
        monkeypatch.setenv(name, value)
    assert main(["serve"]) == 2
    assert "GITHUB_REPOSITORY is empty" in capsys.readouterr().err


def _environment(settings: Any) -> dict[str, str]:
    return {
        "DSLP_DATABASE_URL": settings.dslp_database_url,
        "DSLP_DATA_DIR": str(settings.dslp_data_dir),
        "GITHUB_API_URL": settings.github_api_url,
        "GITHUB_REPOSITORY": settings.github_repository,
        "GITHUB_APP_ID": settings.github_app_id,
        "GITHUB_APP_PRIVATE_KEY": settings.github_app_private_key.get_secret_value(),
        "GITHUB_TOKEN": "",
    }


async def test_a_key_of_another_app_is_refused_by_github(
    tmp_path: Path, github: FakeGitHub
) -> None:
    built = build(app_mode(tmp_path, github, github_app_private_key=SecretStr(other_key_pem())))
    try:
        with pytest.raises(TrackerError):
            await file_ask(built)
        assert github.issues() == []
    finally:
        built.database.dispose()
