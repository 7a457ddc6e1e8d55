"""The `database` fixture: every contract test runs once per database kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.database import Database
from tests.support.databases import DATABASE_PARAMS, make_database


@pytest.fixture(params=DATABASE_PARAMS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database."""
    with make_database(request.param, tmp_path) as database:
        database.migrate()
        yield database


@pytest.fixture(params=DATABASE_PARAMS)
def blank_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database with no schema yet, for testing migrations themselves."""
    with make_database(request.param, tmp_path) as database:
        yield database
