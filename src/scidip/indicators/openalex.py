"""Reading OpenAlex works: snapshot files, and each JSON record into SciDip's staging schema.

The OpenAlex snapshot ships works as ``data/works/updated_date=YYYY-MM-DD/part_NNN.gz``: gzip JSON
Lines, one work per line (https://docs.openalex.org/download-all-data/snapshot-data-format). A
work can appear in several ``updated_date`` partitions; the latest one wins (see
:mod:`scidip.indicators.normalise`).

This module finds the works files and reads them line by line; each record is extracted and
type-checked by :mod:`scidip.indicators.openalex_record`, and every counting rule (which country
an authorship belongs to, fractional weights, which works count) lives downstream in
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
from scidip.indicators.openalex_record import (
    STAGING_SCHEMA,
    keyword_id,
    parse_work,
    short_id,
)

__all__ = [
    "STAGING_SCHEMA",
    "InputScope",
    "Malformed",
    "SnapshotFile",
    "input_scope",
    "keyword_id",
    "parse_work",
    "read_json_file",
    "short_id",
    "snapshot_files",
    "works_of",
]

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


@dataclass(frozen=True)
class InputScope:
    """What ``ingest`` reads under a path: its works files, and what it left aside."""

    files: list[SnapshotFile]
    #: A sentence for the report: which folder was read, and why.
    read_from: str
    #: Entity folders of a snapshot root that are not works (``authors``, ``merged_ids``…).
    ignored: list[str]


def _works_root(path: Path) -> tuple[Path, str, list[str]]:
    """The folder to read under ``path``: a snapshot root's ``data/works`` only."""
    for data in (path / "data", path):
        if data.is_dir() and (data / "works").is_dir() and data.name == "data":
            ignored = sorted(p.name for p in data.iterdir() if p.name != "works")
            note = f"snapshot root: read {data / 'works'} only"
            if ignored:
                note += f" (not works, not read: {', '.join(ignored)})"
            return data / "works", note, ignored
    return path, f"read every works file under {path}", []


def input_scope(paths: Path | list[Path]) -> InputScope:
    """The works files of ``paths`` (snapshot roots, ``data/works`` folders, folders of API
    response bodies, or single files), with a note of what was read.

    A snapshot root (a folder holding ``data/works``) is read from ``data/works`` only: the
    snapshot's other entities (``authors``, ``institutions``, ``merged_ids``…) are not works.
    JSON Lines files (``.gz``, ``.jsonl``, ``.json``, ``.ndjson``; a ``.json`` file may also be
    one API response body) and Parquet files (``.parquet``) are taken, sorted by partition date
    then name, so that re-runs are identical. Raises :class:`InvalidData` when there is nothing
    to read.
    """
    files: list[SnapshotFile] = []
    notes: list[str] = []
    ignored: list[str] = []
    for path in [paths] if isinstance(paths, Path) else paths:
        if not path.exists():
            raise InvalidData(f"no such file or folder: {path}")
        root, note, skipped = _works_root(path) if path.is_dir() else (path, f"read {path}", [])
        notes.append(note)
        ignored += skipped
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in candidates:
            is_parquet = p.suffix == ".parquet"
            if not is_parquet and p.suffix not in _JSON_SUFFIXES:
                continue
            match = _PARTITION.search(str(p))
            files.append(SnapshotFile(p, match.group(1) if match else "", is_parquet))
        if not files:
            raise InvalidData(f"no OpenAlex works files (.gz, .jsonl, .parquet) under {path}")
    files = sorted(files, key=lambda f: (f.updated_date, str(f.path)))
    return InputScope(files, "; ".join(notes), ignored)


def snapshot_files(path: Path | list[Path]) -> list[SnapshotFile]:
    """The works files of :func:`input_scope`."""
    return input_scope(path).files


def works_of(obj: Any) -> tuple[list[Any], bool]:
    """The work records in one decoded JSON value, and whether it was a ``/works`` list page.

    An API list response (``{"meta": …, "results": [...]}``) holds its works in ``results``; a
    JSON array holds works; anything else is one work (a snapshot line, a single-work body).
    """
    if isinstance(obj, dict) and "id" not in obj and isinstance(obj.get("results"), list):
        return list(obj["results"]), True
    if isinstance(obj, list):
        return obj, True
    return [obj], False


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _whole_document(handle: IO[str]) -> Any:
    """The file decoded as one JSON document (a pretty-printed API body), or ``_NOT_ONE``."""
    handle.seek(0)
    try:
        return json.load(handle)
    except ValueError:
        return _NOT_ONE


_NOT_ONE = object()


def _lines(handle: IO[str]) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) of the non-blank lines, or of the one document a
    pretty-printed file holds (numbered 1), decided by whether the first line is JSON alone."""
    first = ""
    for first in handle:
        if first.strip():
            break
    try:
        json.loads(first)
    except ValueError:
        document = _whole_document(handle) if first.lstrip()[:1] in ("{", "[") else _NOT_ONE
        if document is not _NOT_ONE:
            yield 1, json.dumps(document)
            return
    handle.seek(0)
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield number, line


def read_json_file(
    file: SnapshotFile, batch_size: int = 50_000
) -> Iterator[tuple[pa.Table, list[Malformed]]]:
    """Read one works file in batches of staging rows, with the records it skipped.

    The file is JSON Lines (a snapshot part: one work per line, blank lines ignored) or one JSON
    document (an API response body, pretty-printed or not): a single work, or a ``/works`` list
    page whose ``results`` are read (:func:`works_of`). A line that is not valid JSON, or a
    record whose fields fail :func:`parse_work`, is skipped and reported with its 1-based line
    number (a list page's records: the page's line, and ``results[i]`` in the reason).
    """
    rows: list[dict[str, Any]] = []
    bad: list[Malformed] = []
    name = str(file.path)
    try:
        with _open_text(file.path) as handle:
            for number, line in _lines(handle):
                try:
                    records, listed = works_of(json.loads(line))
                except ValueError as exc:
                    bad.append(Malformed(name, number, _reason(exc)))
                    continue
                for i, record in enumerate(records):
                    try:
                        row = parse_work(record)
                    except InvalidData as exc:
                        where = f"results[{i}]: " if listed else ""
                        bad.append(Malformed(name, number, where + _reason(exc)))
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
