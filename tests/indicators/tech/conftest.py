"""The planted synthetic snapshot, ingested once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidip.indicators.ingest import ingest
from scidip.indicators.store import Store
from scidip.indicators.tech.definitions import TechList, parse_list
from scidip.indicators.tech.synthetic import definitions_yaml, write_planted


@pytest.fixture(scope="session")
def planted_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("planted")
    write_planted(root / "snap")
    store = Store(root / "store")
    ingest(root / "snap", store)
    return store


@pytest.fixture(scope="session")
def syn_list() -> TechList:
    return parse_list(definitions_yaml(), "syn.yaml")


@pytest.fixture(scope="session")
def syn_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("defs") / "syn.yaml"
    path.write_text(definitions_yaml(), encoding="utf-8")
    return path
