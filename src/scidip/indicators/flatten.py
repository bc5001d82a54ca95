"""Staging batches (one nested row per record) → three flat Arrow tables, vectorised.

The nested lists of a record (authorships, their countries, ``counts_by_year``) are flattened
here with Arrow compute, once per batch, because an engine's lateral ``UNNEST`` over millions of
nested rows costs far more. Each flat row carries the record's ``record_key`` (unique over an
ingest), which :mod:`scidip.indicators.normalise` uses to keep the latest version of a work.

The one rule applied here, **country of an authorship**: ``authorships[].countries``; when that
list is empty, the ``country_code`` of the authorship's institutions.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

RECORD_COLUMNS = [
    "work_id",
    "updated_date",
    "publication_year",
    "work_type",
    "is_retracted",
    "cited_by_count",
    "field_id",
    "field_name",
    "subfield_id",
    "subfield_name",
    "domain_id",
    "domain_name",
    "source_file",
    "source_line",
]


def _positions(lists: pa.ListArray) -> tuple[pa.Array, np.ndarray]:
    """Parent row and 0-based position within the parent, for each flattened element."""
    parent = pc.list_parent_indices(lists)
    offsets = np.asarray(lists.offsets)
    parent_np = np.asarray(parent)
    position = np.arange(len(parent_np), dtype=np.int64) - (offsets[parent_np] - offsets[0])
    return parent, position


def authorship_countries(staged: pa.Table, keys: pa.Array) -> pa.Table:
    """(record_key, author_position, alpha2): one row per country code of each authorship."""
    auths = staged.column("authorships").combine_chunks()
    parent, position = _positions(auths)
    flat = pc.list_flatten(auths)
    countries, institutions = flat.field("countries"), flat.field("institution_countries")
    has_countries = pc.fill_null(pc.greater(pc.list_value_length(countries), 0), False)
    chosen = pc.if_else(has_countries, countries, institutions)
    code_parent = pc.list_parent_indices(chosen)
    return pa.table(
        {
            "record_key": keys.take(parent).take(code_parent),
            "author_position": pa.array(position, pa.int32()).take(code_parent),
            "alpha2": pc.list_flatten(chosen),
        }
    )


def citation_years(staged: pa.Table, keys: pa.Array) -> pa.Table:
    """(record_key, citation_year, citations) from ``counts_by_year``."""
    counts = staged.column("counts_by_year").combine_chunks()
    flat = pc.list_flatten(counts)
    return pa.table(
        {
            "record_key": keys.take(pc.list_parent_indices(counts)),
            "citation_year": flat.field("year"),
            "citations": flat.field("cited_by_count"),
        }
    )


def split(staged: pa.Table, first_key: int) -> dict[str, pa.Table]:
    """``records``, ``authorship_countries`` and ``citation_years`` of a staging batch.

    Records are numbered ``first_key``, ``first_key + 1``… in ``record_key``.
    """
    keys = pa.array(np.arange(first_key, first_key + len(staged), dtype=np.int64))
    records = staged.select(RECORD_COLUMNS).append_column("record_key", keys)
    return {
        "records": records,
        "authorship_countries": authorship_countries(staged, keys),
        "citation_years": citation_years(staged, keys),
    }
