"""One database handle: engine, sessions, migrations.

Repositories are async (the core awaits them) but SQLAlchemy sessions are
sync; `Database.run` is the single place that bridges the two by running a
unit of work in a worker thread. Nothing outside `storage/` sees a session.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import re
import sqlite3
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, SQLModel

if sys.platform != "win32":  # SQLite's migration lock file (see `migration_lock_path`)
    import fcntl

if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.+)$", re.MULTILINE)
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Any fixed 64-bit number works; it only has to be the same for every replica.
MIGRATION_LOCK_KEY = 0x64736C70_626F74
# Errors that mean "the database cannot be reached right now", not "this statement is wrong".
OUTAGE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


class CompareOptions(TypedDict):
    """How Alembic compares the models with the schema (autogenerate, and the test that
    holds migrations to models): column types and server defaults too, so neither drifts."""

    compare_type: bool
    compare_server_default: bool


COMPARE_OPTIONS = CompareOptions(compare_type=True, compare_server_default=True)


class Database:
    """An engine built from a URL, with the settings each dialect needs to be safe."""

    def __init__(self, url: str) -> None:
        self._url = make_url(url)
        self.engine = _sqlite_engine(self._url) if self.is_sqlite else _postgres_engine(self._url)
        self._reader = _sqlite_reader(self._url) if self.is_sqlite else self.engine
        self._write_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The full URL, password included (never log it), to open a second handle."""
        return self._url.render_as_string(hide_password=False)

    @property
    def is_sqlite(self) -> bool:
        return self._url.get_backend_name() == "sqlite"

    def migrate(self) -> None:
        """Bring the schema to the newest revision; safe to call on every start.

        On PostgreSQL a transaction-scoped advisory lock makes replicas that
        start together take turns: the second one waits, then finds the
        schema already at head and does nothing. SQLite's turns are taken on a
        lock file (see `_migration_turn`). Alembic (a fifth of a second of imports)
        is loaded only when the schema is not at head already.
        """
        with self._migration_turn(), self.engine.begin() as connection:
            if not self.is_sqlite:
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            if _at_head(connection):
                return
            from alembic import command

            command.upgrade(_alembic_config(connection), "head")

    @contextlib.contextmanager
    def _migration_turn(self) -> Iterator[None]:
        """On SQLite, whoever migrates a file (a starting replica, `dslp-bot migrate`) waits
        for the others on `<file>.migrate-lock` before opening a connection.

        The write transaction alone would make the second one wait in SQLite's
        busy handler, which gives up with "database is locked" after
        SQLITE_BUSY_TIMEOUT_MS while the first migration still runs. The lock
        file has no such limit, and the system lets go of it when its process dies.
        """
        lock = migration_lock_path(self._url)
        if lock is None:
            yield
            return
        lock.parent.mkdir(parents=True, exist_ok=True)
        with lock.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def ping(self) -> bool:
        """Whether the database answers a trivial query (for readiness probes)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    async def aping(self) -> bool:
        return await asyncio.to_thread(self.ping)

    @contextlib.asynccontextmanager
    async def exclusive(self, key: int) -> AsyncIterator[bool]:
        """Whether this process, alone among the replicas, may do the block's work now.

        On PostgreSQL a session advisory lock, tried without waiting and held on
        its own connection for the block: a replica that dies lets go with its
        connection, so there is no lease to tune. SQLite serves one replica,
        whose callers already take turns in-process: always True there.
        """
        if self.is_sqlite:
            yield True
            return
        connection = await asyncio.to_thread(self.engine.connect)
        held = False
        try:
            held = await asyncio.to_thread(_try_lock, connection, key)
            yield held
        finally:
            await asyncio.to_thread(_release, connection, key, held)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._reader is not self.engine:
            self._reader.dispose()

    def _transact(self, work: Callable[[Session], T]) -> T:
        with (
            self._writing(),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            return work(session)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """On SQLite, this process's writers queue here rather than in SQLite's busy handler.

        SQLite lets one writer in at a time; a second one polls the lock with
        sleeps of up to 100 ms, which alone would put an ack past its
        deadline. A thread lock hands the turn over at once. Other processes
        on the same file still meet busy_timeout, as before.
        """
        if not self.is_sqlite:
            yield
            return
        with self._write_lock:
            yield

    def _look(self, work: Callable[[Session], T]) -> T:
        with Session(self._reader, expire_on_commit=False) as session, session.begin():
            return work(session)

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction in a worker thread.

        Committed if it returns, rolled back if it raises; the event loop never
        waits on the database.
        """
        return await asyncio.to_thread(self._transact, work)

    async def read(self, work: Callable[[Session], T]) -> T:
        """Run a read-only `work` in one transaction that takes no write lock.

        `run` starts every transaction with BEGIN IMMEDIATE because a read
        followed by a write must not fail half way on SQLite; a unit that
        only reads cannot hit that, so it gets a plain (deferred) BEGIN and a
        consistent WAL snapshot while writers carry on. Never write in it.
        """
        return await asyncio.to_thread(self._look, work)


def migration_lock_path(url: URL) -> Path | None:
    """The lock file SQLite migrators of this database take turns on; None for PostgreSQL
    (an advisory lock), in-memory SQLite (one connection's own) and Windows (no `flock`)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if sys.platform == "win32":
        return None
    return Path(f"{url.database}.migrate-lock")


def unavailable(error: BaseException) -> bool:
    """Whether `error` is the database being out of reach (an outage to ride out, not a bug)."""
    return isinstance(error, OUTAGE_ERRORS)


def insert_into(session: Session, table: type[SQLModel]) -> Any:
    """An INSERT with ON CONFLICT, which both our dialects spell the same way.

    Taken from the module of the dialect in use, which its engine has loaded: importing the
    other one too would add 5-20 ms to every start for nothing.
    """
    dialect = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    return dialect.insert(table)


def _postgres_engine(url: URL) -> Engine:
    """Pre-ping so connections dropped by a server restart are replaced, not handed out.

    `hide_parameters` on every engine: an error's message then never carries
    the statement's values (issue titles, answers, TLDRs) into the logs.
    """
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_engine(url: URL) -> Engine:
    """SQLite in a file, tuned for a few threads writing at once.

    (In-memory SQLite would give every pooled connection its own empty database.)

    WAL lets readers and a writer work together; busy_timeout makes a writer
    wait instead of failing; `BEGIN IMMEDIATE` takes the write lock at the start
    of every transaction, so a read-then-write can never fail half way with
    "database is locked" (SQLite cannot upgrade a stale read snapshot).
    """
    if url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _sqlite_reader(url: URL) -> Engine:
    """A second pool on the same file whose transactions begin DEFERRED (see `Database.read`)."""
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_deferred)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _begin_immediate
    cursor = dbapi_connection.cursor()
    # The timeout first: switching to WAL needs a lock too, and must wait for it, not fail.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


WAL_RETRY_SECONDS = 0.01


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """`PRAGMA journal_mode=WAL`, waiting as busy_timeout would.

    When several connections open a new file at once (the doctor's checks, a replica's
    pools), SQLite fails the losers' switch with "database is locked" at once, without
    calling the busy handler; one in ten such starts failed. Tried again, the switch finds
    the file in WAL already, or gets its turn.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _try_lock(connection: Connection, key: int) -> bool:
    held = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
    connection.commit()  # the lock is the session's; no transaction is left open while it is held
    return bool(held)


def _release(connection: Connection, key: int, held: bool) -> None:
    """Unlock before the connection goes back to the pool; if that fails, drop the session
    (and the lock with it) instead."""
    try:
        if held:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()
    except SQLAlchemyError:
        connection.invalidate()
    finally:
        connection.close()


def migration_heads() -> frozenset[str]:
    """The newest revisions in storage/migrations/versions, read from their files' `revision`
    and `down_revision` lines; empty when a file does not read as expected, so that Alembic
    itself is asked."""
    revisions: set[str] = set()
    below: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {name: value for name, value in REVISION_LINE.findall(path.read_text())}
        try:
            revision = ast.literal_eval(found["revision"].strip())
            down = ast.literal_eval(found["down_revision"].strip())
        except (KeyError, SyntaxError, ValueError):
            return frozenset()
        if not isinstance(revision, str):
            return frozenset()
        revisions.add(revision)
        below.update(down if isinstance(down, tuple) else () if down is None else (down,))
    return frozenset(revisions - below)


def _at_head(connection: Connection) -> bool:
    """Whether the schema's recorded revisions are exactly the newest ones (nothing to do)."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    stored = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    heads = migration_heads()
    return bool(heads) and frozenset(stored) == heads


def _alembic_config(connection: Connection) -> Config:
    """Built in code so migrations work from an installed wheel with no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
