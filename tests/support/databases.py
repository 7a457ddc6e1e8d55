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
BACKEND_VARIABLE = "DSLP_TEST_DATABASE"
_app_schemas: dict[str, str] = {}
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
        with postgres_schema(_postgres_url()) as url:
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
def postgres_schema(server_url: str) -> Iterator[str]:
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


def app_database_url(tmp_path: Path) -> str:
    """The database a test app uses: SQLite in tmp_path, or with DSLP_TEST_DATABASE=postgres
    a schema of its own on the PostgreSQL server (the same one again for the same tmp_path,
    so restart tests find their data). `drop_app_schemas` removes them at the end.
    """
    if os.environ.get(BACKEND_VARIABLE, "sqlite") != "postgres":
        return f"sqlite:///{tmp_path / 'data' / 'dslp-bot.sqlite3'}"
    key = str(tmp_path)
    if key not in _app_schemas:
        _app_schemas[key] = _create_schema(_postgres_url())
    return _app_schemas[key]


def _create_schema(server_url: str) -> str:
    schema = f"test_{uuid.uuid4().hex}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def drop_app_schemas() -> None:
    if not _app_schemas:
        return
    admin = create_engine(_postgres_url())
    for url in _app_schemas.values():
        schema = str(make_url(url).query["options"]).removeprefix("-csearch_path=")
        with admin.begin() as connection:  # one schema a transaction: locks stay few
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()
    _app_schemas.clear()
