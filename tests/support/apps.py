"""Building the real app for tests: real storage, real trackers, fakes only at the HTTP edge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.config import Settings
from tests.support.databases import app_database_url


def app_settings(tmp_path: Path, github_api_url: str = "", **overrides: Any) -> Settings:
    """Settings for a test app: SQLite in tmp_path, GitHub (the fake) only when a URL is given."""
    github: dict[str, Any] = {}
    if github_api_url:
        github = {
            "github_token": SecretStr("test-token"),
            "github_repository": "octo/dslp",
            "github_api_url": github_api_url,
        }
    fast = {
        "dslp_github_retry_backoff": 0.01,
        "dslp_github_max_wait": 2.0,
        "dslp_github_request_gap": 0.0,
        "dslp_github_write_gap": 0.0,
        "dslp_filing_retry_seconds": 0.05,
    }
    database = {"dslp_database_url": app_database_url(tmp_path)}
    return Settings(dslp_data_dir=tmp_path / "data", **{**fast, **github, **database, **overrides})
