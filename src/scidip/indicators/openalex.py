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

INSTITUTION_TYPE = pa.struct(
    [
        ("id", pa.string()),
        ("ror", pa.string()),
        ("name", pa.string()),
        ("country_code", pa.string()),
    ]
)
AUTHORSHIP_TYPE = pa.struct(
    [
        ("author_id", pa.string()),
        ("countries", pa.list_(pa.string())),
        ("institution_countries", pa.list_(pa.string())),
        ("institutions", pa.list_(INSTITUTION_TYPE)),
    ]
)
CITATION_YEAR_TYPE = pa.struct([("year", pa.int32()), ("cited_by_count", pa.int64())])
TOPIC_TYPE = pa.struct([("topic_id", pa.string()), ("subfield_id", pa.string())])
CONCEPT_TYPE = pa.struct([("id", pa.string()), ("level", pa.int32()), ("score", pa.float64())])

#: One row per work as read, before any counting rule: the staging schema.
STAGING_SCHEMA = pa.schema(
    [
        ("work_id", pa.string()),
        ("updated_date", pa.string()),
        ("publication_year", pa.int32()),
        ("record_updated", pa.string()),
        ("work_type", pa.string()),
        ("type_crossref", pa.string()),
        ("source_type", pa.string()),
        ("is_retracted", pa.bool_()),
        ("cited_by_count", pa.int64()),
        ("topic_id", pa.string()),
        ("field_id", pa.string()),
        ("field_name", pa.string()),
        ("subfield_id", pa.string()),
        ("subfield_name", pa.string()),
        ("domain_id", pa.string()),
        ("domain_name", pa.string()),
        ("concepts", pa.list_(CONCEPT_TYPE)),
        ("references_count", pa.int64()),
        ("authorships", pa.list_(AUTHORSHIP_TYPE)),
        ("counts_by_year", pa.list_(CITATION_YEAR_TYPE)),
        # The links the technology tracker and the mobility figures read (short ids).
        ("referenced_works", pa.list_(pa.string())),
        ("topic_ids", pa.list_(TOPIC_TYPE)),
        ("keywords", pa.list_(pa.string())),
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


def _topic_part(
    topic: dict[str, Any], key: str, where: str = "primary_topic"
) -> tuple[str | None, str | None]:
    part = topic.get(key)
    if part is None:
        return None, None
    if not isinstance(part, dict):
        raise InvalidData(f"{where}.{key} is not an object")
    pid = _opt_str(part.get("id"), f"{where}.{key}.id")
    return (short_id(pid) if pid else None), _opt_str(
        part.get("display_name"), f"{where}.{key}.display_name"
    )


def _codes(value: Any, name: str) -> list[str | None]:
    """A list of country codes as given: nulls and empty strings are kept (the rule for them
    is applied once, for both readers, in :mod:`scidip.indicators.flatten`)."""
    codes = _list(value, name)
    if not all(c is None or isinstance(c, str) for c in codes):
        raise InvalidData(f"{name} holds a non-string")
    return codes


def _institution(inst: Any) -> dict[str, str | None]:
    if not isinstance(inst, dict):
        raise InvalidData("authorships[].institutions[] is not an object")
    iid = _opt_str(inst.get("id"), "institutions[].id")
    ror = _opt_str(inst.get("ror"), "institutions[].ror")
    return {
        "id": short_id(iid) if iid else None,
        "ror": short_id(ror) if ror else None,
        "name": _opt_str(inst.get("display_name"), "institutions[].display_name"),
        "country_code": _opt_str(inst.get("country_code"), "institutions[].country_code"),
    }


def _authorship(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidData("authorship is not an object")
    insts = [
        _institution(i) for i in _list(value.get("institutions"), "authorships[].institutions")
    ]
    author = value.get("author") or {}
    if not isinstance(author, dict):
        raise InvalidData("authorships[].author is not an object")
    aid = _opt_str(author.get("id"), "authorships[].author.id")
    return {
        "author_id": short_id(aid) if aid else None,
        "countries": _codes(value.get("countries"), "authorships[].countries"),
        "institution_countries": [i["country_code"] for i in insts],
        "institutions": insts,
    }


def _score(value: Any) -> float | None:
    """A concept's score: a number, or (in 2022 records) a number written as a string."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise InvalidData("concepts[].score is not a number") from None
    raise InvalidData("concepts[].score is not a number")


def _concepts(value: Any) -> list[dict[str, Any]]:
    concepts = []
    for c in _list(value, "concepts"):
        if not isinstance(c, dict):
            raise InvalidData("concepts[] is not an object")
        cid = _opt_str(c.get("id"), "concepts[].id")
        level = c.get("level")
        if level is not None and (isinstance(level, bool) or not isinstance(level, int)):
            raise InvalidData("concepts[].level is not an integer")
        concepts.append(
            {"id": short_id(cid) if cid else None, "level": level, "score": _score(c.get("score"))}
        )
    return concepts


def _references_count(obj: dict[str, Any]) -> int | None:
    """``referenced_works_count``; records before 2023 have only the ``referenced_works`` list."""
    count = obj.get("referenced_works_count")
    if count is not None:
        return _int(count, "referenced_works_count")
    refs = obj.get("referenced_works")
    return None if refs is None else len(_list(refs, "referenced_works"))


def keyword_id(value: str) -> str:
    """A keyword as the tracker matches it: OpenAlex's keyword id (``keywords/quantum-computing``
    → ``quantum-computing``), or a display name lower-cased with runs of non-alphanumerics as
    ``-`` (2023 records give ``{keyword, score}`` only)."""
    return re.sub(r"[^0-9a-z]+", "-", short_id(value).lower()).strip("-")


def _keywords(value: Any) -> list[str]:
    found = []
    for k in _list(value, "keywords"):
        text = (
            k.get("id") or k.get("display_name") or k.get("keyword") if isinstance(k, dict) else k
        )
        if not isinstance(text, str):
            raise InvalidData("keywords[] is neither an object with an id nor a string")
        found.append(keyword_id(text))
    return found


def _topics(value: Any) -> list[dict[str, str | None]]:
    topics = []
    for t in _list(value, "topics"):
        if not isinstance(t, dict):
            raise InvalidData("topics[] is not an object")
        tid = _opt_str(t.get("id"), "topics[].id")
        subfield_id, _ = _topic_part(t, "subfield", "topics[]")
        topics.append({"topic_id": short_id(tid) if tid else None, "subfield_id": subfield_id})
    return topics


def _references(obj: dict[str, Any]) -> list[str]:
    refs = _list(obj.get("referenced_works"), "referenced_works")
    if not all(isinstance(r, str) for r in refs):
        raise InvalidData("referenced_works holds a non-string")
    return [short_id(r) for r in refs]


def _source_type(obj: dict[str, Any]) -> str | None:
    location = obj.get("primary_location")
    source = location.get("source") if isinstance(location, dict) else None
    if not isinstance(source, dict):
        return None
    return _opt_str(source.get("type"), "primary_location.source.type")


def parse_work(obj: Any) -> dict[str, Any]:
    """Extract the fields SciDip uses from one OpenAlex work (a decoded JSON object).

    Required: ``id`` (string) and ``publication_year`` (integer). Optional fields default to
    "absent" (``None``, empty lists, ``is_retracted`` false, ``cited_by_count`` 0). A field of the
    wrong type raises :class:`InvalidData` naming it. Records of every vintage are read: 2022's
    (``host_venue``, Crossref types, concept scores as strings, no ``countries``), 2023's
    (``concepts`` but no ``primary_topic``) and today's.
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
    topic_id = _opt_str(topic.get("id"), "primary_topic.id")
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
        "record_updated": _opt_str(obj.get("updated_date"), "updated_date"),
        "work_type": _opt_str(obj.get("type"), "type"),
        "type_crossref": _opt_str(obj.get("type_crossref"), "type_crossref"),
        "source_type": _source_type(obj),
        "is_retracted": bool(retracted),
        "cited_by_count": _int(obj.get("cited_by_count"), "cited_by_count", default=0),
        "topic_id": short_id(topic_id) if topic_id else None,
        "field_id": field_id,
        "field_name": field_name,
        "subfield_id": subfield_id,
        "subfield_name": subfield_name,
        "domain_id": domain_id,
        "domain_name": domain_name,
        "concepts": _concepts(obj.get("concepts")),
        "references_count": _references_count(obj),
        "authorships": [_authorship(a) for a in _list(obj.get("authorships"), "authorships")],
        "counts_by_year": counts,
        "referenced_works": _references(obj),
        "topic_ids": _topics(obj.get("topics")),
        "keywords": _keywords(obj.get("keywords")),
    }


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
