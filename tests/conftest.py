"""Suite-wide set-up: which database the app tests run on (see tests/support/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.databases import drop_app_schemas


@pytest.fixture(scope="session", autouse=True)
def _app_schemas() -> Iterator[None]:
    """PostgreSQL schemas made for app tests are dropped when the run ends."""
    yield
    drop_app_schemas()
