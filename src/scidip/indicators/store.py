"""Where ingested tables and computed indicators live: Parquet files under one folder.

Layout of a store (default ``<data_dir>/indicators``)::

    ingest.json                 what was ingested, when, whether it is synthetic
    malformed.parquet           skipped records: source_file, source_line, reason
    tables/<name>.parquet       works, work_field, work_country, work_citation_year,
                                work_institution; the links work_reference, work_topic,
                                work_keyword, work_author
    results/<name>.parquet      country_field_period, world_field_period, collaboration, coverage,
                                coverage_by_year, institution_period
    results/compute.json        options and engine of the last compute
    reference/                  the MPIDR series (scidip.indicators.mobility.reference)

These are the files of the store's current generation (:mod:`scidip.generations`): every writer
(ingest, compute, the technology tracker, mobility, the reference load) builds the next one
aside, starting from hard links to the current one's files, and switches to it in one step when
it has written everything. A reader sees the old store or the new one, never a half-written
one; a failed write leaves the old one whole. Readers that read several files and need them
from one generation (a country brief, the Capability page) take a :meth:`Store.snapshot`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from scidip import generations
from scidip.errors import InvalidData, NotFound

TABLES = ("works", "work_field", "work_country", "work_citation_year", "work_institution")
#: The links the technology tracker and the mobility figures read (:mod:`scidip.indicators.links`).
LINK_TABLES = ("work_reference", "work_topic", "work_keyword", "work_author")
RESULTS = (
    "country_field_period",
    "world_field_period",
    "collaboration",
    "coverage",
    "coverage_by_year",
    "institution_period",
)


LEGACY = ("ingest.json", "malformed.parquet", "tables", "results", "reference", "staging")
"""The entries of a store written in place (before generations): removed once two exist."""


@dataclass(frozen=True)
class Store:
    """A store folder; nothing is created until something is written. Its files are read from
    ``pinned`` (a generation's folder) if given, else from the current generation at each
    access."""

    root: Path
    pinned: Path | None = None

    @property
    def base(self) -> Path:
        """The folder of the generation read (or being written)."""
        return self.pinned or generations.current(self.root)

    def snapshot(self) -> Store:
        """This store pinned to its current generation: every later read sees the same files,
        whatever is written meanwhile (until two more writes remove the generation)."""
        return Store(self.root, self.base)

    @contextlib.contextmanager
    def writing(self, *, replaces: tuple[str, ...] = ()) -> Iterator[Store]:
        """The next generation to write, as a store: it starts with the current one's files but
        the top-level entries ``replaces`` (hard links: replace a file, never write into it),
        and becomes current when the block ends without an error; on an error it is removed
        and the store is as it was. Writers run one after the other."""
        keep = lambda entry: entry.name not in replaces  # noqa: E731
        with generations.building(self.root, carry=keep, legacy=LEGACY) as built:
            yield Store(self.root, built)

    @property
    def tables_dir(self) -> Path:
        return self.base / "tables"

    @property
    def results_dir(self) -> Path:
        return self.base / "results"

    @property
    def reference_dir(self) -> Path:
        return self.base / "reference"

    @property
    def staging_dir(self) -> Path:
        return self.base / "staging"

    def table_path(self, name: str) -> Path:
        return self.tables_dir / f"{name}.parquet"

    def result_path(self, name: str) -> Path:
        return self.results_dir / f"{name}.parquet"

    def read_meta(self, name: str) -> dict[str, Any]:
        """``ingest.json`` (name ``ingest``) or ``results/compute.json`` (``compute``)."""
        path = self.base / "ingest.json" if name == "ingest" else self.results_dir / "compute.json"
        if not path.exists():
            what = "nothing ingested" if name == "ingest" else "no indicators computed"
            raise NotFound(f"{what} in {self.root}: run `scidip indicators {name}` first")
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def write_meta(self, name: str, data: dict[str, Any]) -> None:
        path = self.base / "ingest.json" if name == "ingest" else self.results_dir / "compute.json"
        _replace_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def tables(self, con: ibis.BaseBackend) -> dict[str, ir.Table]:
        """The ingested tables, opened on ``con``; :class:`NotFound` when not ingested."""
        self.read_meta("ingest")
        missing = [name for name in TABLES if not self.table_path(name).exists()]
        if missing:
            raise InvalidData(
                f"{self.root} was ingested by an earlier SciDip (no {', '.join(missing)}): "
                "run `scidip indicators ingest` again"
            )
        return {name: con.read_parquet(str(self.table_path(name))) for name in TABLES}

    def links(self, con: ibis.BaseBackend) -> dict[str, ir.Table]:
        """The link tables (:data:`LINK_TABLES`) opened on ``con``; :class:`InvalidData` when the
        store was ingested before SciDip kept them."""
        self.read_meta("ingest")
        if not all(self.table_path(name).exists() for name in LINK_TABLES):
            raise InvalidData(
                f"{self.root} holds no citation, topic, keyword and author links (ingested by an "
                "earlier SciDip): run `scidip indicators ingest` again"
            )
        return {name: con.read_parquet(str(self.table_path(name))) for name in LINK_TABLES}


def write_arrow(table: pa.Table, path: Path) -> int:
    """Write an Arrow table to one Parquet file at ``path`` (atomically); returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    return int(table.num_rows)


def write_parquet(con: ibis.BaseBackend, expr: ir.Table, path: Path) -> int:
    """Execute ``expr`` on ``con`` into one Parquet file at ``path``; returns the row count.

    DuckDB writes the file itself (in parallel); other engines stream Arrow batches through the
    driver into a single file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    if con.name == "duckdb":
        con.to_parquet(expr, tmp)
    else:
        reader = con.to_pyarrow_batches(expr)
        with pq.ParquetWriter(tmp, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
    tmp.replace(path)
    return int(pq.ParquetFile(path).metadata.num_rows)


def read_json(path: Path, missing: str) -> dict[str, Any]:
    """A result's metadata file; :class:`NotFound` with ``missing`` when it is not there."""
    if not path.exists():
        raise NotFound(missing)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write a result's metadata file (indented, a final newline)."""
    _replace_text(path, json.dumps(data, indent=2) + "\n")


def _replace_text(path: Path, text: str) -> None:
    # Written aside, then renamed over the old file: never written into a file in place, which
    # a generation may share with the one before it (a hard link).
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
