"""Brain circulation as a service: computed from an ingested store's authorships, read back,
and set beside the MPIDR reference series. The CLI (``scidip mobility …``) and the reports call
these; the workbench can too.

``compute`` writes ``results/mobility_<name>.parquet`` for ``moves``, ``flows``,
``country_year`` and ``typology`` (:mod:`scidip.indicators.mobility.circulation`) and
``results/mobility.json``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import ibis
import pyarrow.parquet as pq

from scidip.errors import InvalidData, NotFound
from scidip.indicators.engine import EngineName, IndicatorSettings, connect
from scidip.indicators.mobility.circulation import (
    by_field,
    circulation,
    scholar_fields,
    scholar_years,
)
from scidip.indicators.mobility.reference import reference_rows
from scidip.indicators.store import Store, read_json, write_arrow, write_json

TABLES = ("moves", "flows", "country_year", "typology")
#: The tables by field (``field_<name>``, with ``field_id`` and ``field_name``).
FIELD_TABLES = ("flows", "country_year", "typology")
META = "mobility.json"
#: The figures shown side by side, SciDip's and the reference's (same names).
FIGURES = ("padded_population", "inmigrations", "outmigrations", "netmigrationrate")


def compute(store: Store, con: ibis.BaseBackend | None = None) -> dict[str, Any]:
    """Compute brain circulation from ``store``'s ``work_author`` links; returns the metadata."""
    con = con or connect(EngineName.duckdb, IndicatorSettings.from_settings())
    with store.writing() as built:  # switched in whole, or not at all
        work_author = built.links(con)["work_author"]
        years = con.to_pyarrow(scholar_years(work_author))
        tables = circulation(years)
        rows = {name: write_arrow(tables[name], _path(built, name)) for name in TABLES}
        fields = con.to_pyarrow(scholar_fields(work_author, built.tables(con)["work_field"]))
        split = by_field(years, fields)
        rows |= {
            f"field_{n}": write_arrow(split[n], _path(built, f"field_{n}")) for n in FIELD_TABLES
        }
        meta = {
            "scholars": len(set(years.column("author_id").to_pylist())),
            "rows": rows,
            "synthetic": bool(built.read_meta("ingest").get("synthetic", False)),
            "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_json(built.results_dir / META, meta)
    return meta


def _path(store: Store, name: str) -> Any:
    return store.result_path(f"mobility_{name}")


def read_meta(store: Store) -> dict[str, Any]:
    """``results/mobility.json``; :class:`NotFound` when not computed."""
    missing = f"no mobility computed in {store.root}: run `scidip mobility compute`"
    return read_json(store.results_dir / META, missing)


def read(store: Store, name: str, filters: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows of one of :data:`TABLES`, or ``field_<name>`` for one of :data:`FIELD_TABLES`
    (``filters``: PyArrow's, e.g. ``[("year", "=", 2019)]``)."""
    read_meta(store)
    if not _path(store, name).exists():
        raise NotFound(f"no {name.replace('_', ' ')} computed: run `scidip mobility compute`")
    rows: list[dict[str, Any]] = pq.read_table(_path(store, name), filters=filters).to_pylist()
    return rows


def beside(store: Store, country: str, series: str = "openalex") -> list[dict[str, Any]]:
    """Per year, the MPIDR ``series`` for ``country`` (``mpidr_…``) beside SciDip's own figures
    (``scidip_…``, None where SciDip computed nothing or nothing was computed): the years of
    either."""
    code = country.upper()
    ref = reference_rows(store, "mpidr_country_year",
                         [("country_code", "=", code), ("series", "=", series)])  # fmt: skip
    try:
        own = read(store, "country_year", [("country_code", "=", code)])
    except NotFound:
        own = []
    by_year: dict[int, dict[str, Any]] = {}
    for prefix, rows in (("mpidr", ref), ("scidip", own)):
        for r in rows:
            row = by_year.setdefault(r["year"], {"country_code": code, "year": r["year"]})
            row.update({f"{prefix}_{f}": r[f] for f in FIGURES})
    empty = {f"{p}_{f}": None for p in ("mpidr", "scidip") for f in FIGURES}
    return [{**empty, **by_year[y]} for y in sorted(by_year)]


def partner_flows(
    store: Store,
    country: str,
    first_year: int,
    last_year: int,
    source: str = "mpidr",
    field: str | None = None,
) -> list[dict[str, Any]]:
    """Scholars moving between ``country`` and each partner over ``first_year``…``last_year``:
    ``to_partner``, ``from_partner`` and ``net`` (from the partner minus to it), largest
    exchange first; ``source`` ``mpidr`` (the Scopus flows) or ``scidip`` (SciDip's own);
    ``field``: SciDip's scholars of one OpenAlex field only (the MPIDR flows have no field)."""
    code = country.upper()
    span = [("year", ">=", first_year), ("year", "<=", last_year)]
    if field is not None:
        if source == "mpidr":
            raise InvalidData("the MPIDR flows are by country only: use --source scidip")
        rows = read(store, "field_flows", [*span, ("field_id", "=", field)])
    elif source == "mpidr":
        rows = reference_rows(store, "mpidr_flows", span)
    else:
        rows = read(store, "flows", span)
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        if code not in (r["origin"], r["destination"]) or r["origin"] == r["destination"]:
            continue
        partner = r["destination"] if r["origin"] == code else r["origin"]
        row = found.setdefault(partner, {"partner": partner, "to_partner": 0, "from_partner": 0})
        row["to_partner" if r["origin"] == code else "from_partner"] += int(r["n_migrations"])
    out = [{**r, "net": r["from_partner"] - r["to_partner"]} for r in found.values()]
    return sorted(out, key=lambda r: (-(r["to_partner"] + r["from_partner"]), r["partner"]))


def field_balance(
    store: Store, country: str, first_year: int, last_year: int
) -> list[dict[str, Any]]:
    """Per OpenAlex field, ``country``'s scholars moving in and out over
    ``first_year``…``last_year`` (SciDip's own, by each scholar's field) and ``net``, largest
    exchange first."""
    code = country.upper()
    span = [("year", ">=", first_year), ("year", "<=", last_year), ("country_code", "=", code)]
    found: dict[str, dict[str, Any]] = {}
    for r in read(store, "field_country_year", span):
        row = found.setdefault(r["field_id"], {"field_id": r["field_id"],
                                               "field_name": r["field_name"],
                                               "inmigrations": 0, "outmigrations": 0})  # fmt: skip
        row["inmigrations"] += int(r["inmigrations"])
        row["outmigrations"] += int(r["outmigrations"])
    out = [{**r, "net": r["inmigrations"] - r["outmigrations"]} for r in found.values()]
    return sorted(out, key=lambda r: (-(r["inmigrations"] + r["outmigrations"]), r["field_id"]))
