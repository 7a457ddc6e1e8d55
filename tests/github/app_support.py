"""A fake GitHub with the App installed on two organisations, and settings for App mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from adapters.github.app import GitHubApp
from bot.config import Settings
from tests.fakes.github_api import FakeGitHub
from tests.support.apps import app_settings

APP_ID = 4242
PRIVATE = "acme/models"


def install_app(fake: FakeGitHub) -> None:
    """`octo` grants octo/dslp; `acme` grants its private acme/models."""
    fake.create_app(app_id=APP_ID)
    fake.add_repo(PRIVATE).private = True
    fake.install("octo", ["octo/dslp"])
    fake.install("acme", [PRIVATE])


def app_mode(tmp_path: Path, fake: FakeGitHub, **overrides: Any) -> Settings:
    """App mode against the fake: no GITHUB_TOKEN, the app's id and key, octo/dslp by default."""
    assert fake.app is not None
    app = {
        "github_token": SecretStr(""),
        "github_app_id": str(APP_ID),
        "github_app_private_key": SecretStr(fake.app.private_key),
    }
    return app_settings(tmp_path, fake.api_url, **{**app, **overrides})


def app_client(fake: FakeGitHub) -> GitHubApp:
    """The App's own client (JWT calls, installation tokens), as the bot builds it."""
    assert fake.app is not None
    return GitHubApp(app_id=str(APP_ID), private_key=fake.app.private_key, api_url=fake.api_url)
