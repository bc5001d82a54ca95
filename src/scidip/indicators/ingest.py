"""``ingest``: read an OpenAlex works snapshot (JSON Lines or Parquet) into the store's tables.

Steps: each file is read in batches into staging Parquet (skipping malformed records, which are
written with their line numbers to ``malformed.parquet`` as they are found), each record's country
weights computed as it is read (a batch at a time: memory stays bounded); then one set of Ibis
expressions (:mod:`scidip.indicators.normalise`) keeps the latest version of each work and writes
the columnar tables. The report says what was read (a snapshot root: ``data/works`` only), how
many records were superseded by a later version of their work, and the date the data stand at.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from scidip.indicators.engine import EngineName, IndicatorSettings, connect, materialiser
from scidip.indicators.flatten import split
from scidip.indicators.links import (
    LINK_TABLES,
    RECORD_AUTHORS_SCHEMA,
    STAGING_LINKS,
    record_authors,
)
from scidip.indicators.normalise import (
    alpha2_to_alpha3,
    authorship_countries_alpha3,
    country_weights,
    institution_weights,
    normalise,
    version_date,
)
from scidip.indicators.openalex import (
    STAGING_SCHEMA,
    Malformed,
    SnapshotFile,
    input_scope,
    read_json_file,
)
from scidip.indicators.openalex_arrow import read_json_clean, read_parquet_file
from scidip.indicators.store import TABLES, Store, write_parquet
from scidip.indicators.synthetic_label import is_synthetic

#: Called after each batch with (bytes of input finished, records read in the batch).
Progress = Callable[[int, int], None]
#: Records per batch read by Arrow (Parquet, clean JSON): each batch costs a few DuckDB
#: connections and query compilations, so fewer, larger batches are faster; memory stays small.
ARROW_BATCH = 250_000

STAGING_TABLES = (
    "records",
    "record_countries",
    "record_institutions",
    "citation_years",
    *STAGING_LINKS,
)
RECORD_COUNTRIES_SCHEMA = pa.schema(
    [
        ("record_key", pa.int64()),
        ("country_code", pa.string()),
        ("paper_weight_frac", pa.float64()),
        ("is_international", pa.bool_()),
        ("partner_codes", pa.list_(pa.string())),
    ]
)
RECORD_INSTITUTIONS_SCHEMA = pa.schema(
    [
        ("record_key", pa.int64()),
        ("institution_id", pa.string()),
        ("ror", pa.string()),
        ("institution_name", pa.string()),
        ("country_code", pa.string()),
        ("weight_frac", pa.float64()),
        ("lineage", pa.string()),
    ]
)
#: The order ``work_country`` is written in: each reference set (field and year) together, its
#: rows by citation count. ``compute`` joins and groups the rows by those columns: in that order
#: its hash tables' work stays local (at 10M works, counting by country, field and year gets 2
#: to 3 times faster, about 0.5 to 1 s, for some 20 s more of ingest). Sorting ``works`` too
#: would save a tenth of a second for 12 s more.
SORTED_BY = {"work_country": ["field_id", "publication_year", "cited_by_count"]}
MALFORMED_SCHEMA = pa.schema(
    [("source_file", pa.string()), ("source_line", pa.int64()), ("reason", pa.string())]
)


#: Malformed records kept in the report (all of them are in ``malformed.parquet``).
EXAMPLES = 20


@dataclass
class IngestReport:
    """What an ingest read and wrote.

    Every record read is accounted for: ``records_read = works + superseded_records``, and
    ``malformed`` records were skipped (listed in ``malformed.parquet``).
    """

    source: str
    #: What was read: a snapshot root's ``data/works`` only, and which folders were not.
    read_from: str = ""
    ignored: list[str] = field(default_factory=list)
    files: int = 0
    input_bytes: int = 0
    records_read: int = 0
    superseded_records: int = 0
    malformed: int = 0
    malformed_examples: list[dict[str, Any]] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    #: The date the data stand at: the latest ``updated_date`` among the records (for a snapshot,
    #: its release; for API bodies, the capture), ``YYYY-MM-DD``; "" when nothing was read.
    data_as_of: str = ""
    #: The release as the user names it (``--release``), "" when not given.
    release: str = ""
    synthetic: bool = False
    seconds: float = 0.0
    ingested_at: str = ""

    @property
    def works(self) -> int:
        """Distinct works after keeping the latest version of each."""
        return self.table_rows.get("works", 0)


def _batches(file: SnapshotFile, batch_size: int) -> Iterator[tuple[pa.Table, list[Malformed]]]:
    if file.is_parquet:
        return read_parquet_file(file, batch_size=max(batch_size, ARROW_BATCH))
    clean = read_json_clean(file, batch_size=max(batch_size, ARROW_BATCH))
    return iter(clean) if clean is not None else read_json_file(file, batch_size=batch_size)


def stage_tables(rows: pa.Table, first_key: int, codes: pa.Table) -> dict[str, pa.Table]:
    """The staging tables of one batch of staging rows, numbered from ``first_key``:
    ``records``, ``record_countries`` (:func:`~scidip.indicators.normalise.country_weights`, on a
    short-lived DuckDB connection), ``citation_years`` and the links
    (:mod:`scidip.indicators.links`)."""
    flat = split(rows, first_key=first_key)
    # A connection per batch: it lets go of the batch when it closes.
    con = ibis.duckdb.connect()
    try:
        countries = ibis.memtable(flat.pop("authorship_countries"))
        authors = record_authors(
            ibis.memtable(flat.pop("authorship_authors")),
            authorship_countries_alpha3(countries, ibis.memtable(codes)),
        )
        flat["record_authors"] = con.to_pyarrow(authors).cast(RECORD_AUTHORS_SCHEMA)
        weights = country_weights(countries, ibis.memtable(codes))
        flat["record_countries"] = con.to_pyarrow(weights).cast(RECORD_COUNTRIES_SCHEMA)
        institutions = institution_weights(
            ibis.memtable(flat.pop("authorship_institutions")), ibis.memtable(codes)
        )
        flat["record_institutions"] = con.to_pyarrow(institutions).cast(RECORD_INSTITUTIONS_SCHEMA)
    finally:
        con.disconnect()
    return flat


def _stage(
    files: list[SnapshotFile],
    store: Store,
    report: IngestReport,
    progress: Progress | None,
    batch_size: int,
) -> None:
    """Write every file's staging rows as Parquet parts, and the malformed records as they come
    (only the first :data:`EXAMPLES` stay in memory)."""
    shutil.rmtree(store.staging_dir, ignore_errors=True)
    store.staging_dir.mkdir(parents=True)
    codes = alpha2_to_alpha3()
    part = 0
    with pq.ParquetWriter(store.base / "malformed.parquet", MALFORMED_SCHEMA) as malformed:
        for file in files:
            size = file.path.stat().st_size
            for rows, bad in _batches(file, batch_size):
                if len(rows):
                    for name, table in stage_tables(rows, report.records_read, codes).items():
                        (store.staging_dir / name).mkdir(exist_ok=True)
                        pq.write_table(table, store.staging_dir / name / f"part_{part:06d}.parquet")
                    part += 1
                report.records_read += len(rows)
                if bad:
                    found = [asdict(b) for b in bad]
                    malformed.write_table(pa.Table.from_pylist(found, schema=MALFORMED_SCHEMA))
                    report.malformed += len(bad)
                    report.malformed_examples += found[: EXAMPLES - len(report.malformed_examples)]
                if progress:
                    progress(0, len(rows) + len(bad))
            report.files += 1
            report.input_bytes += size
            if progress:
                progress(size, 0)


def ingest(
    path: Path | list[Path],
    store: Store,
    *,
    con: ibis.BaseBackend | None = None,
    progress: Progress | None = None,
    batch_size: int = 50_000,
    release: str = "",
) -> IngestReport:
    """Ingest the works under ``path`` (one path or several, read together) into ``store``,
    replacing what it held.

    ``con`` runs the normalisation (when None, an in-memory DuckDB configured by
    :class:`~scidip.indicators.engine.IndicatorSettings`, e.g. its memory limit). ``release``:
    the snapshot release as the user names it, recorded as given. Raises
    :class:`scidip.errors.InvalidData` when a path holds no works files.
    """
    started = time.perf_counter()
    paths = [path] if isinstance(path, Path) else list(path)
    scope = input_scope(paths)
    con = con or connect(EngineName.duckdb, IndicatorSettings.from_settings())
    report = IngestReport(
        source=", ".join(str(p) for p in paths),
        read_from=scope.read_from,
        ignored=scope.ignored,
        release=release,
        synthetic=any(is_synthetic(p) for p in paths),
    )
    with store.writing(replaces=INGESTED) as built:  # the old store stays until the end
        _ingest(scope.files, built, con, report, progress, batch_size, started)
    return report


INGESTED = ("ingest.json", "malformed.parquet", "tables", "staging")
"""What an ingest writes anew; the rest of the store (computed results, the reference) is kept."""


def _ingest(
    files: list[SnapshotFile],
    store: Store,
    con: ibis.BaseBackend,
    report: IngestReport,
    progress: Progress | None,
    batch_size: int,
    started: float,
) -> None:
    _stage(files, store, report, progress, batch_size)
    if report.records_read == 0:
        # An empty glob cannot be read: normalise empty tables of the staging schemas.
        empty = stage_tables(STAGING_SCHEMA.empty_table(), 0, alpha2_to_alpha3())
        staged = {name: ibis.memtable(table) for name, table in empty.items()}
    else:
        staged = {
            name: con.read_parquet(str(store.staging_dir / name / "*.parquet"))
            for name in STAGING_TABLES
        }
    records = staged["records"]
    latest = con.to_pyarrow(records.aggregate(d=version_date(records).max())).to_pylist()[0]["d"]
    report.data_as_of = (latest or "")[:10]
    tables = normalise(staged, cache=materialiser(con))
    for name in (*TABLES, *LINK_TABLES):
        table = tables[name].order_by(SORTED_BY[name]) if name in SORTED_BY else tables[name]
        report.table_rows[name] = write_parquet(con, table, store.table_path(name))
    shutil.rmtree(store.staging_dir, ignore_errors=True)
    report.superseded_records = report.records_read - report.works
    report.seconds = round(time.perf_counter() - started, 3)
    report.ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.write_meta("ingest", asdict(report))
