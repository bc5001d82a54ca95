"""Engine and session factory. Nothing is created at import: call :func:`make_engine`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from scidip.config import Settings
from scidip.db import limits  # noqa: F401  (registers the field-length check on every flush)
from scidip.db.stamp import StampingSession


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


WRITE = "scidip_write"
"""Execution option of a connection that will write: on SQLite its transaction takes the write
lock when it begins (``BEGIN IMMEDIATE``), so that concurrent writers wait their turn (up to the
busy timeout) instead of failing when a read they made is overtaken by another's commit."""


def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite, creates the file's folder and enforces foreign keys.

    On SQLite the driver's own transaction handling is turned off and SQLAlchemy emits BEGIN
    (SQLAlchemy's recipe for pysqlite): without it a transaction begins only at its first write,
    a savepoint taken before that commits for good when released, and an all-or-nothing save
    (:mod:`scidip.registry.record`) would not be one.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if kwargs.get("isolation_level") != "AUTOCOMMIT":
            event.listen(engine, "connect", _no_driver_transactions)
            event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay readable after commit)."""
    return sessionmaker(engine, class_=StampingSession, expire_on_commit=False)


@contextmanager
def session_scope(settings: Settings) -> Iterator[Session]:
    """A session on the configured database that commits on success and rolls back on error.

    For the edges (CLI commands, scripts); services never commit.
    """
    engine = make_engine(settings.resolved_database_url())
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            yield session
    finally:
        engine.dispose()
