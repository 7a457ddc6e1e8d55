"""Pytest fixtures for the fake servers; import them into a conftest.py.

from tests.fakes.fixtures import fake_github, ghes_github  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.github_api import FakeGitHub


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A fresh GitHub per test: `octo/dslp`, token `test-token`, user `dslp-bot`."""
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def ghes_github() -> Iterator[FakeGitHub]:
    """The same, served under GitHub Enterprise Server's `/api/v3` prefix."""
    with FakeGitHub(base_path="/api/v3") as fake:
        yield fake
