"""Where the store lives and what happens when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from scidip.config import Settings
from scidip.errors import NotFound
from scidip.materials.store import MaterialsStore, resolve_store_dir


def test_store_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The variable is read with the other settings, in one place (scidip.config.Settings).
    monkeypatch.delenv("SCIDIP_MATERIALS_STORE", raising=False)
    assert resolve_store_dir(Settings(data_dir=tmp_path)) == tmp_path / "materials"
    monkeypatch.setenv("SCIDIP_MATERIALS_STORE", str(tmp_path / "env"))
    settings = Settings(data_dir=tmp_path)
    assert settings.materials_store == tmp_path / "env"
    assert resolve_store_dir(settings) == tmp_path / "env"
    assert resolve_store_dir(settings, tmp_path / "cli") == tmp_path / "cli"


def test_missing_store_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="scidip materials fetch"):
        MaterialsStore(tmp_path).connect()


def test_views_over_parquet(store_dir: Path) -> None:
    con = MaterialsStore(store_dir).connect()
    assert con.execute("SELECT count(*) FROM countries").fetchone() == (10,)


def test_trade_iso_view(store_dir: Path) -> None:
    con = MaterialsStore(store_dir).connect()
    rows = con.execute(
        "SELECT exporter_code, exporter_iso3, importer_iso3, quantity_t FROM trade_iso "
        "WHERE hs_code = 282200 AND importer_code = 392 ORDER BY 1"
    ).fetchall()
    assert rows == [(36, "AUS", "JPN", None), (180, "COD", "JPN", 10.0), (490, "TWN", "JPN", 2.0)]
