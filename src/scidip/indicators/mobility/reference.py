"""The MPIDR's published scholarly-migration series, loaded as a reference beside SciDip's own.

Source: Akbaritabar, A., Theile, T. & Zagheni, E. (2024), "Bilateral flows and rates of
international migration of scholars for 210 countries for the period 1998–2020", *Scientific
Data* 11, 816; files of the ``data_processed/`` folder of
``MPIDR/Global-flows-and-rates-of-international-migration-of-scholars`` (CC BY 4.0). SciDip
reads them where they lie (``shared/data/mpidr-scholarly-migration/``) and writes its own
Parquet copy into the indicator store (``reference/``), with where each came from:

* ``mpidr_country_year.parquet`` — per series (``openalex``: 1998–2018, ``scopus``:
  1998–2020), country (ISO alpha-3) and year: ``padded_population``, ``inmigrations``,
  ``outmigrations``, ``netmigration`` and the three rates, as published;
* ``mpidr_flows.parquet`` — the Scopus country-to-country flows (``year``, ``origin``,
  ``destination``, ``n_migrations``).

Rows without an ISO alpha-3 code (the published files hold some) are left out and counted in
``reference.json``. A file missing a column is refused whole, naming the file and the column.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from scidip.errors import InvalidData, NotFound
from scidip.indicators.store import Store, read_json, write_arrow, write_json

CITATION = (
    "Akbaritabar, A., Theile, T. & Zagheni, E. (2024). Bilateral flows and rates of "
    "international migration of scholars for 210 countries for the period 1998-2020. "
    "Scientific Data 11, 816. https://doi.org/10.1038/s41597-024-03655-9 (CC BY 4.0)"
)
SERIES = {
    "openalex": "openalex_2024_V1_scholarlymigration_country_enriched.csv",
    "scopus": "scopus_2024_V1_scholarlymigration_country_enriched.csv",
}
FLOWS = "scopus_2024_V1_scholarlymigration_countryflows_enriched.parquet"
#: Published column → SciDip's column.
COUNTRY_COLUMNS = {
    "iso3code": "country_code",
    "year": "year",
    "padded_population_of_researchers": "padded_population",
    "number_of_inmigrations": "inmigrations",
    "number_of_outmigrations": "outmigrations",
    "netmigration": "netmigration",
    "outmigrationrate": "outmigrationrate",
    "inmigrationrate": "inmigrationrate",
    "netmigrationrate": "netmigrationrate",
}
FLOW_COLUMNS = {
    "year": "year",
    "iso3codefrom": "origin",
    "iso3codeto": "destination",
    "n_migrations": "n_migrations",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _select(table: pa.Table, columns: dict[str, str], path: Path) -> tuple[pa.Table, int]:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise InvalidData(f"{path}: missing column(s) {', '.join(missing)}: not the MPIDR file")
    t = table.select(list(columns)).rename_columns(list(columns.values()))
    t = t.set_column(t.column_names.index("year"), "year", pc.cast(t.column("year"), pa.int32()))
    codes = [c for c in ("country_code", "origin", "destination") if c in t.column_names]
    keep = pa.array([True] * len(t))
    for c in codes:
        keep = pc.and_(keep, pc.fill_null(pc.not_equal(t.column(c), ""), False))
    return t.filter(keep), int(len(t) - pc.sum(keep).as_py())


def load_reference(source: Path, store: Store) -> dict[str, Any]:
    """Read the MPIDR files in ``source`` and write the reference tables into ``store``; the
    metadata (citation, files with their SHA-256, rows kept and left out) is returned and kept
    in ``reference/reference.json``. Nothing is written unless every file reads."""
    if not source.is_dir():
        raise NotFound(f"{source}: no such folder (the MPIDR files, e.g. shared/data/...)")
    series, files, dropped = [], [], 0
    for name, file in SERIES.items():
        path = source / file
        if not path.exists():
            raise NotFound(f"{path}: missing")
        t, left = _select(pcsv.read_csv(path), COUNTRY_COLUMNS, path)
        series.append(t.append_column("series", pa.array([name] * len(t), pa.string())))
        files.append({"file": file, "sha256": _sha256(path), "rows_kept": len(t)})
        dropped += left
    flows_path = source / FLOWS
    if not flows_path.exists():
        raise NotFound(f"{flows_path}: missing")
    flows, left = _select(pq.read_table(flows_path), FLOW_COLUMNS, flows_path)
    files.append({"file": FLOWS, "sha256": _sha256(flows_path), "rows_kept": len(flows)})
    meta = {
        "citation": CITATION,
        "source": str(source),
        "files": files,
        "rows_without_iso3_left_out": dropped + left,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with store.writing(replaces=("reference",)) as built:  # switched in whole
        folder = built.reference_dir
        write_arrow(pa.concat_tables(series, promote_options="permissive"),
                    folder / "mpidr_country_year.parquet")  # fmt: skip
        write_arrow(flows, folder / "mpidr_flows.parquet")
        write_json(folder / "reference.json", meta)
    return meta


def reference_meta(store: Store) -> dict[str, Any]:
    """``reference/reference.json``; :class:`NotFound` when no reference is loaded."""
    missing = "no MPIDR reference loaded: run `scidip mobility load-reference`"
    return read_json(store.reference_dir / "reference.json", missing)


def reference_rows(
    store: Store, name: str, filters: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Rows of the reference table ``name`` (``mpidr_country_year`` or ``mpidr_flows``)."""
    reference_meta(store)
    table = pq.read_table(store.reference_dir / f"{name}.parquet", filters=filters or None)
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
