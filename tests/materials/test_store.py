"""Where the store lives and what happens when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidip.config import Settings
from scidip.errors import NotFound
from scidip.materials.store import MaterialsStore, resolve_store_dir


def test_store_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path)
    monkeypatch.delenv("SCIDIP_MATERIALS_STORE", raising=False)
    assert resolve_store_dir(settings) == tmp_path / "materials"
    monkeypatch.setenv("SCIDIP_MATERIALS_STORE", str(tmp_path / "env"))
    assert resolve_store_dir(settings) == tmp_path / "env"
    assert resolve_store_dir(settings, tmp_path / "cli") == tmp_path / "cli"


def test_missing_store_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="scidip materials fetch"):
        MaterialsStore(tmp_path).connect()


def test_views_over_parquet(store_dir: Path) -> None:
    con = MaterialsStore(store_dir).connect()
    assert con.execute("SELECT count(*) FROM countries").fetchone() == (10,)
