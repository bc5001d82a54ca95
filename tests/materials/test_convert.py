"""Conversion of the peer-shaped SQLite files into the store's tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scidip.errors import InvalidData
from scidip.materials.convert import convert


def _q(store: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for t in ("materials", "material_hs", "production", "trade", "countries", "governance",
              "peer_governance"):  # fmt: skip
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{store / (t + '.parquet')}')")
    return con.execute(sql).fetchall()


def test_countries_harmonise_taiwan(store_dir: Path) -> None:
    rows = _q(store_dir, "SELECT baci_code, iso3, iso3_harmonised, wmd_name FROM countries "
                         "WHERE baci_code IN (490, 392) ORDER BY 1")  # fmt: skip
    assert rows == [(392, "JPN", "JPN", "Japan"), (490, "S19", "TWN", "Other Asia, nes")]


def test_trade_keeps_null_quantities_and_units_in_names(store_dir: Path) -> None:
    rows = _q(store_dir, "SELECT year, exporter_code, importer_code, hs_code, value_kusd, "
                         "quantity_t FROM trade WHERE quantity_t IS NULL")  # fmt: skip
    assert rows == [(2022, 36, 392, 282200, 500.0, None)]
    assert _q(store_dir, "SELECT count(*) FROM trade") == [(16,)]


def test_production_in_tonnes(store_dir: Path) -> None:
    rows = _q(store_dir, "SELECT material, production, unit, production_t FROM production "
                         "WHERE baci_code = 392 AND year = 2022 ORDER BY 1")  # fmt: skip
    assert rows == [
        ("Copper", 100.0, "metr. t", 100.0),
        ("Gold", 500.0, "kg", 0.5),
        ("Natural gas", 2.0, "Mio m3", 1600.0),
    ]
    world = _q(store_dir, "SELECT country_code_src, baci_code FROM production WHERE is_world_total")
    assert set(world) == {("DELETE", None)}


def test_materials_and_hs_codes(store_dir: Path) -> None:
    assert _q(store_dir, "SELECT material, hs_code, role FROM material_hs "
                         "WHERE material IN ('Cobalt', 'Gallium') ORDER BY 2") == [
        ("Cobalt", 282200, "main"), ("Cobalt", 810510, "complementary"),
    ]  # fmt: skip
    assert _q(store_dir, "SELECT material, traded, peer_supported, eol_rir_frac FROM materials "
                         "WHERE material IN ('Cobalt', 'Gallium') ORDER BY 1") == [
        ("Cobalt", True, True, 0.22), ("Gallium", False, False, 0.0),
    ]  # fmt: skip


def test_governance_both_views(store_dir: Path) -> None:
    sql = "SELECT iso3, estimate, normalised FROM governance WHERE year = 2022"
    ours = _q(store_dir, sql + " AND iso3 IN ('TWN', 'UMI', 'PYF') ORDER BY 1")
    assert ours == [("PYF", None, None), ("TWN", 0.75, 0.35), ("UMI", None, None)]
    sql = "SELECT baci_code, wgi_text FROM peer_governance WHERE year = 2022"
    peer = _q(store_dir, sql + " AND baci_code IN (490, 849, 258) ORDER BY 1")
    assert peer == [(258, "nan"), (490, None), (849, "None")]


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match=r"missing world_mining_data\.db"):
        convert(tmp_path, tmp_path / "out")
