"""Reading OpenAlex works: snapshot files, and each JSON record into SciDip's staging schema.

The OpenAlex snapshot ships works as ``data/works/updated_date=YYYY-MM-DD/part_NNN.gz``: gzip JSON
Lines, one work per line (https://docs.openalex.org/download-all-data/snapshot-data-format). A
work can appear in several ``updated_date`` partitions; the latest one wins (see
:mod:`scidip.indicators.normalise`).

This module only *extracts and type-checks* the fields SciDip uses; every counting rule (which
country an authorship belongs to, fractional weights, which works count) lives downstream in
:mod:`scidip.indicators.normalise` and :mod:`scidip.indicators.counts`.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from scidip.errors import InvalidData

AUTHORSHIP_TYPE = pa.struct(
    [
        ("countries", pa.list_(pa.string())),
        ("institution_countries", pa.list_(pa.string())),
    ]
)
CITATION_YEAR_TYPE = pa.struct([("year", pa.int32()), ("cited_by_count", pa.int64())])

#: One row per work as read, before any counting rule: the staging schema.
STAGING_SCHEMA = pa.schema(
    [
        ("work_id", pa.string()),
        ("updated_date", pa.string()),
        ("publication_year", pa.int32()),
        ("work_type", pa.string()),
        ("is_retracted", pa.bool_()),
        ("cited_by_count", pa.int64()),
        ("field_id", pa.string()),
        ("field_name", pa.string()),
        ("subfield_id", pa.string()),
        ("subfield_name", pa.string()),
        ("domain_id", pa.string()),
        ("domain_name", pa.string()),
        ("authorships", pa.list_(AUTHORSHIP_TYPE)),
        ("counts_by_year", pa.list_(CITATION_YEAR_TYPE)),
        ("source_file", pa.string()),
        ("source_line", pa.int64()),
    ]
)

_PARTITION = re.compile(r"updated_date=(\d{4}-\d{2}-\d{2})")
_JSON_SUFFIXES = (".gz", ".jsonl", ".json", ".ndjson")


@dataclass(frozen=True)
class SnapshotFile:
    """One input file and the ``updated_date`` partition it sits in ("" when none)."""

    path: Path
    updated_date: str
    is_parquet: bool


@dataclass(frozen=True)
class Malformed:
    """A record that was skipped: file, 1-based line (row for Parquet) and why."""

    source_file: str
    source_line: int
    reason: str


def snapshot_files(path: Path) -> list[SnapshotFile]:
    """The works files under ``path`` (a snapshot root, a ``data/works`` folder or one file).

    JSON Lines files (``.gz``, ``.jsonl``, ``.json``, ``.ndjson``) and Parquet files
    (``.parquet``) are taken, sorted by partition date then name, so that re-runs are identical.
    Raises :class:`InvalidData` when there is nothing to read.
    """
    if not path.exists():
        raise InvalidData(f"no such file or folder: {path}")
    candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    files = []
    for p in candidates:
        is_parquet = p.suffix == ".parquet"
        if not is_parquet and p.suffix not in _JSON_SUFFIXES:
            continue
        match = _PARTITION.search(str(p))
        files.append(SnapshotFile(p, match.group(1) if match else "", is_parquet))
    if not files:
        raise InvalidData(f"no OpenAlex works files (.gz, .jsonl, .parquet) under {path}")
    return sorted(files, key=lambda f: (f.updated_date, str(f.path)))


def short_id(value: str) -> str:
    """``https://openalex.org/W123`` → ``W123`` (ids without a slash are returned as they are)."""
    return value.rsplit("/", 1)[-1]


def _opt_str(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidData(f"{name} is not a string")


def _int(value: Any, name: str, *, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidData(f"{name} is not an integer")
    return value


def _list(value: Any, name: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidData(f"{name} is not a list")
    return value


def _topic_part(topic: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    part = topic.get(key)
    if part is None:
        return None, None
    if not isinstance(part, dict):
        raise InvalidData(f"primary_topic.{key} is not an object")
    pid = _opt_str(part.get("id"), f"primary_topic.{key}.id")
    return (short_id(pid) if pid else None), _opt_str(
        part.get("display_name"), f"primary_topic.{key}.display_name"
    )


def _authorship(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise InvalidData("authorship is not an object")
    countries = [c for c in _list(value.get("countries"), "authorships[].countries") if c]
    if not all(isinstance(c, str) for c in countries):
        raise InvalidData("authorships[].countries holds a non-string")
    inst_codes = []
    for inst in _list(value.get("institutions"), "authorships[].institutions"):
        if not isinstance(inst, dict):
            raise InvalidData("authorships[].institutions[] is not an object")
        code = _opt_str(inst.get("country_code"), "institutions[].country_code")
        if code:
            inst_codes.append(code)
    return {"countries": countries, "institution_countries": inst_codes}


def parse_work(obj: Any) -> dict[str, Any]:
    """Extract the fields SciDip uses from one OpenAlex work (a decoded JSON object).

    Required: ``id`` (string) and ``publication_year`` (integer). Optional fields default to
    "absent" (``None``, empty lists, ``is_retracted`` false, ``cited_by_count`` 0). A field of the
    wrong type raises :class:`InvalidData` naming it.
    """
    if not isinstance(obj, dict):
        raise InvalidData("record is not a JSON object")
    work_id = obj.get("id")
    if not isinstance(work_id, str) or not work_id:
        raise InvalidData("id is missing")
    year = obj.get("publication_year")
    if year is None:
        raise InvalidData("publication_year is missing")
    retracted = obj.get("is_retracted", False)
    if retracted is not None and not isinstance(retracted, bool):
        raise InvalidData("is_retracted is not a boolean")
    topic = obj.get("primary_topic") or {}
    if not isinstance(topic, dict):
        raise InvalidData("primary_topic is not an object")
    field_id, field_name = _topic_part(topic, "field")
    subfield_id, subfield_name = _topic_part(topic, "subfield")
    domain_id, domain_name = _topic_part(topic, "domain")
    counts = []
    for c in _list(obj.get("counts_by_year"), "counts_by_year"):
        if not isinstance(c, dict):
            raise InvalidData("counts_by_year[] is not an object")
        counts.append(
            {
                "year": _int(c.get("year"), "counts_by_year[].year"),
                "cited_by_count": _int(c.get("cited_by_count"), "counts_by_year[].cited_by_count"),
            }
        )
    return {
        "work_id": short_id(work_id),
        "publication_year": _int(year, "publication_year"),
        "work_type": _opt_str(obj.get("type"), "type"),
        "is_retracted": bool(retracted),
        "cited_by_count": _int(obj.get("cited_by_count"), "cited_by_count", default=0),
        "field_id": field_id,
        "field_name": field_name,
        "subfield_id": subfield_id,
        "subfield_name": subfield_name,
        "domain_id": domain_id,
        "domain_name": domain_name,
        "authorships": [_authorship(a) for a in _list(obj.get("authorships"), "authorships")],
        "counts_by_year": counts,
    }


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def read_json_file(
    file: SnapshotFile, batch_size: int = 50_000
) -> Iterator[tuple[pa.Table, list[Malformed]]]:
    """Read one JSON Lines works file in batches of staging rows, with the lines it skipped.

    Blank lines are ignored; a line that is not valid JSON, or whose fields fail
    :func:`parse_work`, is skipped and reported with its 1-based line number.
    """
    rows: list[dict[str, Any]] = []
    bad: list[Malformed] = []
    name = str(file.path)
    try:
        with _open_text(file.path) as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = parse_work(json.loads(line))
                except (ValueError, InvalidData) as exc:
                    bad.append(Malformed(name, number, _reason(exc)))
                    continue
                row.update(updated_date=file.updated_date, source_file=name, source_line=number)
                rows.append(row)
                if len(rows) >= batch_size:
                    yield pa.Table.from_pylist(rows, schema=STAGING_SCHEMA), bad
                    rows, bad = [], []
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        # A truncated gzip member or bad bytes: keep what was read, report where it stopped.
        bad.append(Malformed(name, -1, f"file unreadable after the last good line: {exc}"))
    yield pa.Table.from_pylist(rows, schema=STAGING_SCHEMA), bad


def _reason(exc: Exception) -> str:
    if isinstance(exc, InvalidData):
        return str(exc)
    return f"invalid JSON: {exc}"
