"""Databases for contract tests: the same suite runs on SQLite and PostgreSQL.

PostgreSQL tests share one server database, so each handle gets its own
freshly created schema (named uniquely) and the connection's search_path
points at it; every table, alembic_version included, lands there and the
schema is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.database import Database

POSTGRES_URL_VARIABLE = "DSLP_TEST_POSTGRES_URL"
# Fixture params: `-m "not postgres"` deselects the PostgreSQL runs.
DATABASE_PARAMS = (pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres))


@contextmanager
def make_database(kind: str, tmp_path: Path) -> Iterator[Database]:
    """An empty, unmigrated database of that kind; skips the test if PostgreSQL is not set up."""
    if kind == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'data' / 'dslp-bot.sqlite3'}")
        yield database
        database.dispose()
    elif kind == "postgres":
        with _postgres_schema(_postgres_url()) as url:
            database = Database(url)
            yield database
            database.dispose()
    else:
        raise ValueError(f"unknown database kind {kind!r}")


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not url:
        pytest.skip(
            f"{POSTGRES_URL_VARIABLE} is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@contextmanager
def _postgres_schema(server_url: str) -> Iterator[str]:
    """A URL whose connections see only a new schema; the schema is dropped on exit."""
    schema = f"test_{uuid.uuid4().hex}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
