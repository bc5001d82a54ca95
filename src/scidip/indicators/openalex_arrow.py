"""OpenAlex works read by Arrow: Parquet files, and the fast path for clean JSON Lines files.

Parquet works keep the JSON records' nested structure, column for column (what a Spark or DuckDB
conversion of the snapshot produces, and what ``scidip indicators generate --parquet`` writes).
A JSON Lines file is first read by Arrow's multi-threaded JSON reader against
:data:`OPENALEX_SCHEMA`; if any line does not fit (bad JSON, a wrong type, a missing id or
year), the file is re-read line by line by :func:`scidip.indicators.openalex.read_json_file`,
which names the lines it skips. Either way, Arrow compute projects the records into the staging
schema (:mod:`scidip.indicators.openalex_project`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq

from scidip.errors import InvalidData
from scidip.indicators.openalex import Malformed, SnapshotFile
from scidip.indicators.openalex_project import staged

_ID_NAME = pa.struct([("id", pa.string()), ("display_name", pa.string())])

#: The part of the OpenAlex works schema that SciDip reads.
OPENALEX_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("publication_year", pa.int32()),
        ("updated_date", pa.string()),
        ("type", pa.string()),
        ("type_crossref", pa.string()),
        ("primary_location", pa.struct([("source", pa.struct([("type", pa.string())]))])),
        ("is_retracted", pa.bool_()),
        ("cited_by_count", pa.int64()),
        (
            "counts_by_year",
            pa.list_(pa.struct([("year", pa.int32()), ("cited_by_count", pa.int64())])),
        ),
        (
            "primary_topic",
            pa.struct(
                [
                    ("id", pa.string()),
                    ("field", _ID_NAME),
                    ("subfield", _ID_NAME),
                    ("domain", _ID_NAME),
                ]
            ),
        ),
        (
            "concepts",
            pa.list_(
                pa.struct([("id", pa.string()), ("level", pa.int32()), ("score", pa.float64())])
            ),
        ),
        ("referenced_works_count", pa.int64()),
        ("referenced_works", pa.list_(pa.string())),
        ("topics", pa.list_(pa.struct([("id", pa.string()), ("subfield", _ID_NAME)]))),
        ("keywords", pa.list_(_ID_NAME)),
        (
            "authorships",
            pa.list_(
                pa.struct(
                    [
                        ("author", pa.struct([("id", pa.string())])),
                        ("countries", pa.list_(pa.string())),
                        (
                            "institutions",
                            pa.list_(
                                pa.struct(
                                    [
                                        ("id", pa.string()),
                                        ("ror", pa.string()),
                                        ("display_name", pa.string()),
                                        ("country_code", pa.string()),
                                        ("lineage", pa.list_(pa.string())),
                                    ]
                                )
                            ),
                        ),
                    ]
                )
            ),
        ),
    ]
)
#: Columns a Parquet works file must have; the others (added to the OpenAlex format since 2023,
#: or not written by every converter) are read as absent when missing.
REQUIRED_COLUMNS = (
    "id",
    "publication_year",
    "type",
    "is_retracted",
    "cited_by_count",
    "counts_by_year",
    "primary_topic",
    "authorships",
)


def _stage(rows: pa.Table, first: int, file: SnapshotFile) -> tuple[pa.Table, list[Malformed]]:
    """Staging rows of OpenAlex-shaped ``rows`` (row ``first`` is the file's row ``first``,
    1-based), and the rows skipped for lacking ``id`` or ``publication_year``."""
    ids, years = rows.column("id"), rows.column("publication_year")
    valid = pc.and_(pc.fill_null(pc.not_equal(ids, ""), False), pc.is_valid(years))
    numbers = pa.array(range(first, first + len(rows)), pa.int64())
    bad_rows = pc.filter(numbers, pc.invert(valid)).to_pylist()
    bad = [Malformed(str(file.path), r, "id or publication_year is missing") for r in bad_rows]
    if bad_rows:
        rows, numbers = rows.filter(valid), pc.filter(numbers, valid)
    return staged(rows, file.updated_date, str(file.path), numbers), bad


def read_parquet_file(
    file: SnapshotFile, batch_size: int = 500_000
) -> Iterator[tuple[pa.Table, list[Malformed]]]:
    """Read one OpenAlex-shaped Parquet file in batches of staging rows.

    A row without ``id`` or ``publication_year`` is skipped and reported with its 1-based row
    number. Raises :class:`InvalidData` when a needed column is absent.
    """
    parquet = pq.ParquetFile(file.path)
    names = parquet.schema_arrow.names
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InvalidData(f"{file.path}: Parquet works lack column(s) {', '.join(missing)}")
    present = [c for c in OPENALEX_SCHEMA.names if c in names]
    first = 1
    for batch in parquet.iter_batches(batch_size=batch_size, columns=present):
        rows = pa.Table.from_batches([batch])
        for f in OPENALEX_SCHEMA:
            if f.name not in names:
                rows = rows.append_column(f, pa.nulls(len(rows), f.type))
        yield _stage(rows, first, file)
        first += len(rows)


def read_json_clean(
    file: SnapshotFile, batch_size: int = 500_000
) -> list[tuple[pa.Table, list[Malformed]]] | None:
    """Staging batches of a JSON Lines file read by Arrow, or None when any line is unfit.

    None sends the caller to the line-by-line reader, which reports the lines it skips.
    """
    compression = "gzip" if file.path.suffix == ".gz" else None
    options = pj.ParseOptions(explicit_schema=OPENALEX_SCHEMA, unexpected_field_behavior="ignore")
    try:
        with pa.input_stream(str(file.path), compression=compression) as stream:
            table = pj.read_json(stream, parse_options=options)
    except (pa.ArrowInvalid, OSError, EOFError):
        return None
    ids, years = table.column("id"), table.column("publication_year")
    if ids.null_count or years.null_count or pc.any(pc.equal(ids, "")).as_py():
        return None
    # Records before 2023 give their references as a list only, which this reader skips (a
    # long list of strings per work): the line-by-line reader counts them.
    if table.column("referenced_works_count").null_count:
        return None
    return [
        _stage(table.slice(start, batch_size), start + 1, file)
        for start in range(0, max(len(table), 1), batch_size)
    ]
