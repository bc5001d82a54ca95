"""The planted synthetic snapshot, ingested once per test session; the registry with the
succession fixture dataset, for the agreement status."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scidip.datasets.loader import load_dataset
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine
from scidip.db.stamp import StampingSession
from scidip.indicators.tech.definitions import TechList, parse_list
from scidip.indicators.tech.synthetic import definitions_yaml

SUCCESSION = Path(__file__).parents[2] / "fixtures" / "datasets" / "succession"


@pytest.fixture(scope="session")
def syn_list() -> TechList:
    return parse_list(definitions_yaml(), "syn.yaml")


@pytest.fixture(scope="session")
def syn_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("defs") / "syn.yaml"
    path.write_text(definitions_yaml(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def registry_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The registry's database (``tests/indicators`` names its Ibis backend ``engine``): a new
    SQLite file, or SCIDIP_TEST_DATABASE_URL migrated to the head (each test rolls back)."""
    url = os.environ.get("SCIDIP_TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'tech.sqlite3'}"
    )
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def registry(registry_engine: Engine) -> Iterator[Session]:
    """A session with the succession fixture dataset loaded, rolled back afterwards."""
    with registry_engine.connect() as conn:
        outer = conn.begin()
        s = StampingSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            load_dataset(s, SUCCESSION)
            yield s
        finally:
            s.close()
            outer.rollback()
