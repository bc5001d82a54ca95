"""The japan-mofa dataset loaded once per test module (in a transaction rolled back at the end),
and golden-file comparison.

Golden files live in ``tests/reports/golden``; to rewrite them after a deliberate change, run
``SCIDIP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reports`` and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from scidip.datasets.bundled import resolve_dataset
from scidip.datasets.loader import load_dataset
from scidip.db.stamp import StampingSession

GOLDEN = Path(__file__).parent / "golden"
GENERATED_ON = date(2026, 1, 31)
"""The generation date injected into every report under test."""


@pytest.fixture(scope="module")
def mofa(engine: Engine) -> Iterator[Session]:
    """A session on the registry with the bundled japan-mofa dataset, shared by a module's tests
    (they only read) and rolled back afterwards."""
    with engine.connect() as conn:
        outer = conn.begin()
        s = StampingSession(
            bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            load_dataset(s, resolve_dataset("japan-mofa"))
            yield s
        finally:
            s.close()
            outer.rollback()


def _assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SCIDIP_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}: run with SCIDIP_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """``golden(name, text)``: ``text`` equals the golden file ``name`` (rewritten when
    SCIDIP_UPDATE_GOLDEN is set)."""
    return _assert_golden


@pytest.fixture
def generated_on() -> date:
    """The generation date injected into every report under test."""
    return GENERATED_ON
