"""Database: migrations, dialect settings, readiness and timestamps."""

from __future__ import annotations

import fcntl
import threading
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from storage.columns import UtcDateTime
from storage.database import (
    COMPARE_OPTIONS,
    MIGRATIONS,
    Database,
    migration_heads,
    migration_lock_path,
)
from storage.schema import METADATA

MIGRATION_SECONDS = 30
TABLES = {
    "alembic_version",
    "channel_repositories",
    "playbook_repositories",
    "digest_runs",
    "digest_snoozes",
    "digest_subscriptions",
    "drafts",
    "filed_asks",
    "github_installations",
    "github_installation_tokens",
    "github_links",
    "github_sign_ins",
    "github_tokens",
    "inbox",
    "insight_cursors",
    "insight_events",
    "insight_issues",
    "local_comments",
    "local_issues",
    "local_labels",
    "linked_issues",
    "notifications",
    "poll_cursors",
    "roles",
    "served_repositories",
    "slack_bots",
    "slack_events",
    "slack_installations",
    "slack_oauth_states",
    "slack_token_leases",
    "subscriptions",
    "teams_references",
    "tracker_events",
}
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()  # fails if revisions fork


def _revision(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def test_migrate_creates_every_table(database: Database) -> None:
    assert set(inspect(database.engine).get_table_names()) == TABLES
    assert _revision(database) == [HEAD]


def test_migrate_again_is_a_no_op(database: Database) -> None:
    database.migrate()
    assert _revision(database) == [HEAD]
    assert set(inspect(database.engine).get_table_names()) == TABLES


def test_the_heads_read_from_the_files_are_alembics() -> None:
    """`migrate` skips Alembic when the schema is at these: they must be Alembic's own."""
    assert migration_heads() == {HEAD}


def test_a_schema_one_revision_behind_is_brought_to_head(database: Database) -> None:
    with database.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    assert _revision(database) != [HEAD]
    database.migrate()
    assert _revision(database) == [HEAD]
    assert set(inspect(database.engine).get_table_names()) == TABLES


def test_migrations_match_the_models(database: Database) -> None:
    """A revision forgotten after a model change would show up here as a difference.

    Strictly: types and server defaults too (0004's default on `filed_asks.phase`,
    which the model never had, was one).
    """
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=COMPARE_OPTIONS)
        assert compare_metadata(context, METADATA) == []


def test_two_replicas_migrating_at_once_both_succeed(blank_database: Database) -> None:
    replicas = [blank_database, Database(blank_database.url)]
    start = threading.Barrier(len(replicas))
    errors: list[BaseException] = []

    def start_replica(replica: Database) -> None:
        start.wait()
        try:
            replica.migrate()
        except BaseException as error:  # collected: a thread's exception would be lost
            errors.append(error)

    # Daemon threads with a bounded join: without the lock the two upgrades can
    # block each other, and that must fail this test, not hang the whole run.
    threads = [
        threading.Thread(target=start_replica, args=(replica,), daemon=True) for replica in replicas
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=MIGRATION_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "migrations blocked each other"
    replicas[1].dispose()
    assert errors == []
    assert _revision(blank_database) == [HEAD]


def test_a_sqlite_migration_waits_its_turn_however_long_the_other_takes(tmp_path: Path) -> None:
    """`dslp-bot migrate` runs while a replica starts: the second waits on the lock file,
    not in SQLite's busy handler (which gives up after its timeout: "database is locked")."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    database = Database(url)
    lock = migration_lock_path(make_url(url))
    assert lock is not None
    with lock.open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)  # the other migrator, still at work
        second = threading.Thread(target=database.migrate, daemon=True)
        second.start()
        second.join(timeout=2)
        assert second.is_alive(), "migrated while another migration held the lock"
        assert not (tmp_path / "bot.sqlite3").exists()  # no connection opened yet either
        fcntl.flock(other, fcntl.LOCK_UN)
    second.join(timeout=MIGRATION_SECONDS)
    assert not second.is_alive() and _revision(database) == [HEAD]
    database.dispose()


def test_ping_answers_true_when_reachable(database: Database) -> None:
    assert database.ping() is True


def test_ping_answers_false_when_unreachable() -> None:
    database = Database("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1")
    assert database.ping() is False
    database.dispose()


def test_sqlite_creates_its_folder_and_is_tuned_for_concurrency(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new' / 'folder' / 'bot.sqlite3'}")
    with database.engine.connect() as connection:
        settings = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    assert settings == ["wal", 1, 10_000]
    assert (tmp_path / "new" / "folder" / "bot.sqlite3").exists()
    database.dispose()


def test_connections_opening_a_new_file_at_once_all_get_in(tmp_path: Path) -> None:
    """SQLite fails all but one of their switches to WAL at once, without waiting (one new
    file in ten or twenty, before each switch waited its turn): fifty new files, eight
    connections each, from eight threads."""
    refused: list[BaseException] = []

    def connect(url: str) -> None:
        database = Database(url)
        try:
            with database.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        except BaseException as error:  # collected: a thread's failure must fail the test
            refused.append(error)
        finally:
            database.dispose()

    for number in range(50):
        url = f"sqlite:///{tmp_path / f'new-{number}.sqlite3'}"
        threads = [threading.Thread(target=connect, args=(url,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert refused == []


def test_postgres_tables_land_in_the_test_schema(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("schemas are a PostgreSQL matter")
    query = text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )
    with database.engine.connect() as connection:
        assert set(connection.execute(query).scalars()) >= TABLES


def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(ValueError, match="naive"):
        UtcDateTime().process_bind_param(datetime(2025, 1, 1), database.engine.dialect)
