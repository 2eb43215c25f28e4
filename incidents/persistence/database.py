"""Engine, session factory and migrations (Alembic, applied programmatically)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from incidents.errors import ConcurrentUpdate

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, *, statement_timeout: float = 30.0, connect_timeout: float = 5.0,
                pool_timeout: float = 10.0) -> Engine:
    """An engine whose every wait is bounded, so an unreachable or stalled database gives an error
    (retried by the worker) instead of a hang: connecting, waiting for a pooled connection, a statement,
    a lock, and (PostgreSQL) a peer that stopped answering on TCP."""
    sqlite_file(url, create_folder=True)
    connect_args: dict[str, Any] = {}
    if make_url(url).get_backend_name() == "postgresql":
        ms = int(statement_timeout * 1000)
        connect_args = {
            "connect_timeout": max(1, round(connect_timeout)),
            "options": f"-c statement_timeout={ms} -c lock_timeout={ms} "
                       f"-c idle_in_transaction_session_timeout={2 * ms}",
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
            "tcp_user_timeout": ms,
        }
    # hide_parameters: an error's text (logged, dead-lettered) never carries the statement's values
    engine = create_engine(url, pool_pre_ping=True, pool_timeout=pool_timeout, connect_args=connect_args,
                           hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_file(url: str, *, create_folder: bool = False) -> Path | None:
    """The file of a SQLite URL (its folder created when asked), or None for other databases and memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    path = Path(parsed.database)
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def is_transient(error: BaseException) -> bool:
    """The database is down, restarting, unreachable, busy or too slow: the same call may succeed later."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, exc.OperationalError | exc.InterfaceError | exc.TimeoutError
                      | exc.DisconnectionError | ConnectionError | TimeoutError)


def is_conflict(error: BaseException) -> bool:
    """Another worker changed or inserted the same row first: a fresh read and a second try resolve it."""
    return isinstance(error, StaleDataError | ConcurrentUpdate | exc.IntegrityError)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``, one process at a time (``one_migrator``)."""
    with one_migrator(engine):
        command.upgrade(alembic_config(engine), revision)


_MIGRATE_LOCK = 0x6461746C656C  # PostgreSQL advisory-lock key of migrations (the audit chain has its own)


@contextmanager
def one_migrator(engine: Engine) -> Iterator[None]:
    """Processes that start together on a fresh database (the worker and the web console of docker-compose,
    several workers) migrate one after the other; the next finds the schema at its revision and does
    nothing. PostgreSQL: a session advisory lock (no privilege needed; waits up to 10 minutes); SQLite: an
    exclusive lock on a file beside the database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SET statement_timeout = '10min'"))
            conn.execute(text("SET lock_timeout = '10min'"))
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATE_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATE_LOCK})
        return
    path = sqlite_file(engine.url.render_as_string(hide_password=False), create_folder=True)
    if path is None:  # in memory: one process by definition
        yield
        return
    with path.with_name(f"{path.name}-migrate.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None: never migrated). Reads only; needs no DDL rights."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The latest schema revision this version of datalek ships."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
