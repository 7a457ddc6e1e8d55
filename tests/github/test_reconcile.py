"""Reading a repository hook's delivery log from the fake GitHub, as the real API shapes it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapters.composition import build
from adapters.github.reconcile import AppHook, NoHook, RepositoryHook, _failed
from adapters.github.retry import RetryPolicy
from adapters.github.tracker import GitHubTracker
from adapters.github.webhook import _reconciler
from bot.ports import TrackerError
from tests.fakes.github_api import FakeGitHub
from tests.github.app_support import app_client, app_mode, install_app
from tests.support.apps import app_settings

# Nobody listens there (port 9 on loopback): every attempt fails to connect, at once.
URL = "http://127.0.0.1:9/github/webhook"


def tracker(fake: FakeGitHub) -> GitHubTracker:
    policy = RetryPolicy(attempts=1, request_gap=0, write_gap=0)
    return GitHubTracker(token=fake.token, repository="octo/dslp", api_url=fake.api_url,
                         policy=policy)  # fmt: skip


async def test_the_hook_is_found_by_its_url_and_its_log_read_page_by_page(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_hook("http://127.0.0.1:9/another-hook", "s")
    hook = fake_github.add_hook(URL, "s")
    for n in range(250):
        await fake_github.deliver(hook, "issues", {"action": "opened", "n": n}, guid=f"g{n}")
    github = tracker(fake_github)
    source = RepositoryHook(rest=github, repository="octo/dslp", url=URL)
    seen, cursor, pages = [], "", 0
    while True:
        page, cursor = await source.page(cursor)
        seen += page
        pages += 1
        if not cursor:
            break
    assert pages == 3 and [d.guid for d in seen] == [f"g{n}" for n in reversed(range(250))]
    assert all(d.status_code == 0 and not d.succeeded for d in seen)
    await source.redeliver(seen[0])
    await fake_github.redeliveries_done()
    assert (hook.deliveries[-1].guid, hook.deliveries[-1].redelivery) == ("g249", True)
    await github.aclose()


async def test_no_hook_pointing_at_us_says_so(fake_github: FakeGitHub) -> None:
    github = tracker(fake_github)
    source = RepositoryHook(rest=github, repository="octo/dslp", url=URL)
    try:
        await source.page("")
    except NoHook as error:
        assert URL in str(error)
    else:
        raise AssertionError("expected NoHook")
    await github.aclose()


async def test_an_event_is_asked_for_only_when_none_of_its_attempts_succeeded(
    fake_github: FakeGitHub,
) -> None:
    hook = fake_github.add_hook(URL, "s")
    for guid in ("a", "b", "b"):
        await fake_github.deliver(hook, "issues", {"action": "opened"}, guid=guid)
    hook.deliveries[2].status_code = 202  # b's redelivery went through
    github = tracker(fake_github)
    page, _ = await RepositoryHook(rest=github, repository="octo/dslp", url=URL).page("")
    assert [d.guid for d in _failed(page)] == ["a"]
    await github.aclose()


async def test_the_apps_own_webhook_is_read_and_redelivered_with_its_jwt(
    fake_github: FakeGitHub,
) -> None:
    """Issue 17: in App mode nothing was reconciled; the app's hook needs the app's JWT."""
    install_app(fake_github)
    hook = fake_github.add_app_hook(URL, "s", installation_id=7)
    for guid in ("a", "b"):
        await fake_github.deliver(hook, "issues", {"action": "opened"}, guid=guid)
    app = app_client(fake_github)
    source = AppHook(rest=app)
    page, cursor = await source.page("")
    assert ([d.guid for d in page], cursor) == (["b", "a"], "")
    await source.redeliver(page[0])
    await fake_github.redeliveries_done()
    assert [(d.guid, d.redelivery, d.installation_id) for d in hook.deliveries[2:]] == [
        ("b", True, 7)
    ]
    app.close()
    github = tracker(fake_github)
    with pytest.raises(TrackerError):  # a token is not the app: GitHub answers 401
        await github.rest("GET", "/app/hook/deliveries")
    await github.aclose()


async def test_in_app_mode_reconciliation_asks_again_for_what_failed(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    install_app(fake_github)
    hook = fake_github.add_app_hook(URL, "s")
    for guid in ("a", "b"):
        await fake_github.deliver(hook, "issues", {"action": "opened"}, guid=guid)
    app = await asyncio.to_thread(build, app_mode(tmp_path, fake_github))
    try:
        reconciler = _reconciler(app)
        assert reconciler is not None
        assert await reconciler.run() == 2
        await fake_github.redeliveries_done()
        assert fake_github.count("POST", r"/app/hook/deliveries/\d+/attempts") == 2
    finally:
        app.database.dispose()


async def test_in_token_mode_every_served_repositorys_hook_is_reconciled(
    tmp_path: Path, fake_github: FakeGitHub
) -> None:
    """GITHUB_REPOSITORY and DSLP_REPOSITORIES each have their own hook and delivery log;
    one without a hook pointing at the bot is skipped, not a reason to stop."""
    fake_github.add_repo("acme/models")
    fake_github.add_repo("acme/unhooked")
    default = fake_github.add_hook(URL, "s")
    other = fake_github.add_hook(URL, "s", repository="acme/models")
    for hook, guid in ((default, "d1"), (other, "m1"), (other, "m2")):
        await fake_github.deliver(hook, "issues", {"action": "opened"}, guid=guid)
    settings = app_settings(
        tmp_path,
        fake_github.api_url,
        dslp_public_url="http://127.0.0.1:9",
        dslp_repositories="acme/models,acme/unhooked",
    )
    app = await asyncio.to_thread(build, settings)
    try:
        reconciler = _reconciler(app)
        assert reconciler is not None
        assert await reconciler.run() == 3
        await fake_github.redeliveries_done()
        assert fake_github.count("POST", r"/repos/octo/dslp/hooks/\d+/deliveries/\d+/attempts") == 1
        assert (
            fake_github.count("POST", r"/repos/acme/models/hooks/\d+/deliveries/\d+/attempts") == 2
        )
    finally:
        app.database.dispose()
