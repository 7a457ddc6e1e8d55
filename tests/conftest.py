"""Suite-wide set-up: which database the app tests run on (see tests/support/databases.py)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.support.databases import drop_app_schemas

# No deadline: property tests check results, never speed (benchmarks do that), and a
# loaded machine would otherwise fail an example for being slow. CI gets the same
# examples on every run (a failure there is reproducible, not luck); runs elsewhere
# draw new ones each time and keep exploring.
settings.register_profile("suite", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("suite"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "suite")


@pytest.fixture(scope="session", autouse=True)
def _app_schemas() -> Iterator[None]:
    """PostgreSQL schemas made for app tests are dropped when the run ends."""
    yield
    drop_app_schemas()


@pytest.fixture(autouse=True)
def _root_logging() -> Iterator[None]:
    """A test that runs `dslp-bot` in-process (`cli.main`) configures logging onto the stream
    pytest captured for that test; later logs (a fake server's access log) would be written to
    it after pytest closed it. The root logger is put back as it was after every test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
