"""OpenAlex-shaped Arrow rows → SciDip's staging schema, with Arrow compute alone.

The rows come from Arrow's JSON reader (:data:`~scidip.indicators.openalex_arrow.OPENALEX_SCHEMA`)
or from a Parquet conversion of the snapshot, which may lack some nested fields (they read as
absent). Every nested list keeps its offsets: only the values are rewritten (ids shortened,
keywords turned into ids), vectorised, so a real record's hundred references or concepts cost a
few array operations per batch rather than an engine's lambda per element. The rules are those
of the line-by-line reader (:func:`scidip.indicators.openalex_record.parse_work`):
``https://openalex.org/W1`` → ``W1`` (:func:`~scidip.indicators.openalex_record.short_id`), a
keyword's id or display name as :func:`~scidip.indicators.openalex_record.keyword_id` writes it.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from scidip.indicators.openalex_record import (
    AUTHORSHIP_TYPE,
    CONCEPT_TYPE,
    INSTITUTION_TYPE,
    STAGING_SCHEMA,
    TOPIC_TYPE,
)

_STR = pa.string()


def short(values: pa.Array) -> pa.Array:
    """The part after the last ``/`` of each string (nulls stay null).

    Extracting the tail is about twice as fast as deleting the head (``^.*/``), which backtracks
    over every id's ``https://openalex.org/`` (a real record has a hundred references)."""
    return pc.struct_field(pc.extract_regex(values, "(?P<tail>[^/]*)$"), [0])


def keyword(values: pa.Array) -> pa.Array:
    """:func:`~scidip.indicators.openalex_record.keyword_id`, vectorised."""
    slug = pc.replace_substring_regex(pc.utf8_lower(short(values)), "[^0-9a-z]+", "-")
    return pc.replace_substring_regex(slug, "^-+|-+$", "")


def _field(parent: pa.Array, name: str, kind: pa.DataType) -> pa.Array:
    """``parent.name`` (null where the parent is null), or nulls when the struct lacks it."""
    if name not in [f.name for f in parent.type]:
        return pa.nulls(len(parent), kind)
    value = pc.struct_field(parent, name)
    # A Parquet conversion may store another width (large_string, int64): the staged type.
    if not pa.types.is_nested(kind) and value.type != kind:
        value = pc.cast(value, kind)
    return value


def _values(lists: pa.Array) -> pa.Array:
    """The values a list array's offsets point into (its own slice of them)."""
    offsets = lists.offsets
    return lists.values.slice(offsets[0].as_py(), offsets[-1].as_py() - offsets[0].as_py())


def _relist(lists: pa.Array, values: pa.Array, kind: pa.DataType) -> pa.Array:
    """A list array with ``lists``' offsets and validity over new ``values``."""
    offsets = pc.subtract(lists.offsets, lists.offsets[0])
    mask = pc.is_null(lists) if lists.null_count else None
    return pa.ListArray.from_arrays(offsets, values, type=pa.list_(kind), mask=mask)


def _map(lists: pa.Array, fn: Callable[[pa.Array], pa.Array], kind: pa.DataType) -> pa.Array:
    """``fn`` applied to the values of each list."""
    return _relist(lists, fn(_values(lists)), kind)


def _institutions(lists: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(institutions as staged, their country codes) of each authorship's institution list."""
    i = _values(lists)
    lineage = _field(i, "lineage", pa.list_(_STR))
    staged = pa.StructArray.from_arrays(
        [short(_field(i, "id", _STR)), short(_field(i, "ror", _STR)),
         _field(i, "display_name", _STR), _field(i, "country_code", _STR),
         _map(lineage, short, _STR)],
        fields=list(INSTITUTION_TYPE),
    )  # fmt: skip
    codes = _field(i, "country_code", _STR)
    return _relist(lists, staged, INSTITUTION_TYPE), _relist(lists, codes, _STR)


def _authorships(lists: pa.Array) -> pa.Array:
    a = _values(lists)
    insts = _field(a, "institutions", pa.list_(pa.struct([("id", _STR)])))
    staged, codes = _institutions(insts)
    author = _field(a, "author", pa.struct([("id", _STR)]))
    struct = pa.StructArray.from_arrays(
        [short(_field(author, "id", _STR)), _field(a, "countries", pa.list_(_STR)), codes, staged],
        fields=list(AUTHORSHIP_TYPE),
    )
    return _relist(lists, struct, AUTHORSHIP_TYPE)


def _concepts(lists: pa.Array) -> pa.Array:
    c = _values(lists)
    struct = pa.StructArray.from_arrays(
        [short(_field(c, "id", _STR)), pc.cast(_field(c, "level", pa.int32()), pa.int32()),
         pc.cast(_field(c, "score", pa.float64()), pa.float64())],
        fields=list(CONCEPT_TYPE),
    )  # fmt: skip
    return _relist(lists, struct, CONCEPT_TYPE)


def _topics(lists: pa.Array) -> pa.Array:
    t = _values(lists)
    subfield = _field(t, "subfield", pa.struct([("id", _STR)]))
    struct = pa.StructArray.from_arrays(
        [short(_field(t, "id", _STR)), short(_field(subfield, "id", _STR))],
        fields=list(TOPIC_TYPE),
    )
    return _relist(lists, struct, TOPIC_TYPE)


def _keywords(lists: pa.Array) -> pa.Array:
    k = _values(lists)
    return _relist(lists, keyword(pc.coalesce(_field(k, "id", _STR),
                                              _field(k, "display_name", _STR))), _STR)  # fmt: skip


def staged(rows: pa.Table, updated_date: str, source_file: str, lines: pa.Array) -> pa.Table:
    """The staging rows (:data:`~scidip.indicators.openalex_record.STAGING_SCHEMA`) of
    OpenAlex-shaped ``rows``; ``lines``: each row's 1-based line (row) in its file."""
    n = rows.num_rows
    col = {name: rows.column(name).combine_chunks() for name in rows.column_names}
    col = {k: pc.cast(v, _STR) if v.type == pa.large_string() else v for k, v in col.items()}
    topic = col["primary_topic"]
    source = _field(_field(col["primary_location"], "source", pa.struct([])), "type", _STR)
    parts = {}
    for key in ("field", "subfield", "domain"):
        part = _field(topic, key, pa.struct([("id", _STR), ("display_name", _STR)]))
        parts[f"{key}_id"] = short(_field(part, "id", _STR))
        parts[f"{key}_name"] = _field(part, "display_name", _STR)
    out = {
        "work_id": short(col["id"]),
        "updated_date": pa.array([updated_date] * n, _STR),
        "publication_year": pc.cast(col["publication_year"], pa.int32()),
        "record_updated": col["updated_date"],
        "work_type": col["type"],
        "type_crossref": col["type_crossref"],
        "source_type": source,
        "is_retracted": pc.fill_null(col["is_retracted"], False),
        "cited_by_count": pc.cast(pc.fill_null(col["cited_by_count"], 0), pa.int64()),
        "topic_id": short(_field(topic, "id", _STR)),
        **{k: parts[k] for k in ("field_id", "field_name", "subfield_id", "subfield_name",
                                 "domain_id", "domain_name")},
        "concepts": _concepts(col["concepts"]),
        "references_count": pc.cast(col["referenced_works_count"], pa.int64()),
        "authorships": _authorships(col["authorships"]),
        "counts_by_year": col["counts_by_year"],
        "referenced_works": _map(col["referenced_works"], short, _STR),
        "topic_ids": _topics(col["topics"]),
        "keywords": _keywords(col["keywords"]),
        "source_file": pa.array([source_file] * n, _STR),
        "source_line": pc.cast(lines, pa.int64()),
    }  # fmt: skip
    return pa.table(out).cast(STAGING_SCHEMA)
