"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when SCIDIP_TEST_DATABASE_URL
names one), a session per test inside a transaction that is rolled back, and the fixture dataset.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from scidip.datasets.loader import load_dataset
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine
from scidip.db.stamp import StampingSession

FIXTURES = Path(__file__).parent / "fixtures"
SUCCESSION_DATASET = FIXTURES / "datasets" / "succession"


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The test database: SCIDIP_TEST_DATABASE_URL, or a fresh SQLite file."""
    url = os.environ.get("SCIDIP_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def reset_schema(engine: Engine) -> None:
    """Drop everything in a PostgreSQL test database (SQLite files are new each run)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One migrated database for the whole run."""
    eng = make_engine(database_url(tmp_path_factory))
    reset_schema(eng)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even what it commits."""
    with engine.connect() as conn:
        outer = conn.begin()
        s = StampingSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield s
        finally:
            s.close()
            outer.rollback()


@pytest.fixture
def registry(session: Session) -> Session:
    """The session with the succession fixture dataset loaded."""
    load_dataset(session, SUCCESSION_DATASET)
    return session


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty database of the kind under test, dropped afterwards: for tests that
    commit (the command line, migrations)."""
    url = os.environ.get("SCIDIP_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        return
    name = f"scidip_t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
