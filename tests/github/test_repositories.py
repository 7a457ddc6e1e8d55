"""Token mode serves GITHUB_REPOSITORY and DSLP_REPOSITORIES, each through its own tracker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.app import App
from adapters.composition import build
from bot.repositories.service import UnknownRepository
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings

MARKER = "<!-- dslp-draft: d-pat -->"


@pytest.fixture
async def app(tmp_path: Path, fake_github: FakeGitHub) -> AsyncIterator[App]:
    fake_github.add_repo("acme/models")
    settings = app_settings(
        tmp_path, fake_github.api_url, dslp_repositories="acme/models,octo/DSLP"
    )
    built = build(settings)
    yield built
    built.database.dispose()


async def test_each_listed_repository_gets_its_issue(app: App, fake_github: FakeGitHub) -> None:
    tracker = await app.trackers.for_repository("Acme/Models")
    body = f"Why?\n\n{MARKER}"
    await tracker.create_issue(title="Elsewhere", body=body, labels=["Ask"], marker=MARKER)
    assert [issue.title for issue in fake_github.issues("acme/models")] == ["Elsewhere"]
    assert fake_github.issues() == []
    assert tracker.repository == "acme/models"
    assert await app.trackers.for_repository("octo/dslp") is app.tracker


async def test_the_default_comes_first_and_others_are_refused(app: App) -> None:
    served = [found.full_name for found in await app.repositories.served()]
    assert served == ["octo/dslp", "acme/models"]
    with pytest.raises(UnknownRepository):
        await app.trackers.for_repository("acme/secret")


async def test_a_local_set_up_serves_only_the_local_tracker(tmp_path: Path) -> None:
    built = build(app_settings(tmp_path))
    try:
        assert await built.trackers.for_repository("local") is built.tracker
        with pytest.raises(UnknownRepository):
            await built.trackers.for_repository("octo/dslp")
    finally:
        built.database.dispose()
