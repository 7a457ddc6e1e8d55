"""Digest tests run their storage parts on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.database import Database
from tests.fakes.fixtures import fake_github
from tests.support.databases import DATABASE_PARAMS, make_database

__all__ = ["database", "fake_github"]


@pytest.fixture(params=DATABASE_PARAMS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with make_database(request.param, tmp_path) as made:
        made.migrate()
        yield made
