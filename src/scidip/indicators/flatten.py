"""Staging batches (one nested row per record) → three flat Arrow tables, vectorised.

The nested lists of a record (authorships, their countries, ``counts_by_year``) are flattened
here with Arrow compute, once per batch, because an engine's lateral ``UNNEST`` over millions of
nested rows costs far more. Each flat row carries the record's ``record_key`` (unique over an
ingest), which :mod:`scidip.indicators.normalise` uses to keep the latest version of a work.

Rules applied here, once, for both readers (Arrow's and the line-by-line one):

* **Country of an authorship**: ``authorships[].countries``; when that list holds no code, the
  ``country_code`` of the authorship's institutions. A null or empty (blank) code is no code:
  it is dropped before the choice, so ``countries: [""]`` falls back to the institutions, and an
  authorship with no code anywhere has no country.
* **Older records** (:mod:`scidip.indicators.vintage`): a Crossref ``type`` becomes today's
  OpenAlex type (the old value is kept in ``type_crossref``, where today's records have it); a
  record without ``primary_topic.field`` takes the field of its top level-0 concept
  (``field_source``: ``primary_topic``, ``concepts`` or null).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scidip.indicators.links import flat_links
from scidip.indicators.vintage import CONCEPT_FIELDS, DOMAINS, FIELDS, LEGACY_TYPES

RECORD_COLUMNS = [
    "work_id",
    "updated_date",
    "record_updated",
    "publication_year",
    "work_type",
    "type_crossref",
    "source_type",
    "is_retracted",
    "cited_by_count",
    "references_count",
    "topic_id",
    "field_id",
    "field_name",
    "subfield_id",
    "subfield_name",
    "domain_id",
    "domain_name",
    "field_source",
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


def _codes(lists: pa.ListArray) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """Parent (authorship) index, value and validity of each code in ``lists``: a code is valid
    when it is neither null nor blank."""
    values = pc.list_flatten(lists)
    valid = pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0), False)
    return np.asarray(pc.list_parent_indices(lists)), values, np.asarray(valid)


def authorship_countries(staged: pa.Table, keys: pa.Array) -> pa.Table:
    """(record_key, author_position, alpha2): one row per country code of each authorship, by
    the rule in this module's docstring."""
    auths = staged.column("authorships").combine_chunks()
    parent, position = _positions(auths)
    flat = pc.list_flatten(auths)
    c_parent, c_values, c_valid = _codes(flat.field("countries"))
    i_parent, i_values, i_valid = _codes(flat.field("institution_countries"))
    has_countries = np.bincount(c_parent[c_valid], minlength=len(flat)) > 0
    take_c = np.flatnonzero(c_valid)
    take_i = np.flatnonzero(i_valid & ~has_countries[i_parent])
    owner = np.concatenate([c_parent[take_c], i_parent[take_i]]).astype(np.int64)
    codes = pa.concat_arrays([c_values.take(pa.array(take_c)), i_values.take(pa.array(take_i))])
    return pa.table(
        {
            "record_key": keys.take(parent.take(pa.array(owner))),
            "author_position": pa.array(position, pa.int32()).take(pa.array(owner)),
            "alpha2": pc.utf8_trim_whitespace(codes),
        }
    )


def authorship_institutions(staged: pa.Table, keys: pa.Array) -> pa.Table:
    """(record_key, author_position, n_authorships, institution_id, ror, institution_name,
    alpha2, lineage): one row per institution (with an OpenAlex id) of each authorship;
    ``n_authorships`` counts all the record's authorships, with an institution or not; ``lineage``
    is the institution's, comma-joined (null when the record gives none)."""
    auths = staged.column("authorships").combine_chunks()
    parent, position = _positions(auths)
    n_auth = pc.list_value_length(auths).fill_null(0)
    insts = pc.list_flatten(auths).field("institutions")
    owner = np.asarray(pc.list_parent_indices(insts))
    flat = pc.list_flatten(insts)
    iid = flat.field("id")
    valid = np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(iid)), 0), False)
    )
    take = pa.array(np.flatnonzero(valid))
    auth_of = pa.array(owner[valid])
    record = parent.take(auth_of)
    return pa.table(
        {
            "record_key": keys.take(record),
            "author_position": pa.array(position, pa.int32()).take(auth_of),
            "n_authorships": pc.cast(n_auth.take(record), pa.int32()),
            "institution_id": iid.take(take),
            "ror": flat.field("ror").take(take),
            "institution_name": flat.field("name").take(take),
            "alpha2": pc.utf8_trim_whitespace(flat.field("country_code").take(take)),
            # Comma-joined: a plain string every engine groups and compares.
            "lineage": pc.binary_join(flat.field("lineage").take(take), ","),
        }
    )


def _lookup(values: pa.Array, table: dict[str, str]) -> pa.Array:
    """``table[value]`` for each value (null where absent)."""
    keys = list(table)
    index = pc.index_in(values, value_set=pa.array(keys, pa.string()))
    return pa.array(list(table.values()), pa.string()).take(index)


def concept_fields(staged: pa.Table) -> pa.Array:
    """The field id of each record's top level-0 concept (:data:`~scidip.indicators.vintage.
    CONCEPT_FIELDS`; highest score, ties to the smaller id), null when it has none."""
    concepts = staged.column("concepts").combine_chunks()
    flat = pc.list_flatten(concepts)
    known = pc.and_(
        pc.fill_null(pc.equal(flat.field("level"), 0), False),
        pc.is_in(flat.field("id"), value_set=pa.array(list(CONCEPT_FIELDS), pa.string())),
    )
    top = pa.table(
        {
            "parent": pc.list_parent_indices(concepts),
            "score": pc.fill_null(flat.field("score"), 0.0),
            "id": flat.field("id"),
        }
    ).filter(known)
    # The known ids are "C" and digits: ties go to the smaller number (C33923547 before
    # C121332964), not to the first in text order.
    number = pc.cast(pc.utf8_slice_codeunits(top.column("id"), 1), pa.int64())
    top = top.append_column("number", number)
    top = top.sort_by([("parent", "ascending"), ("score", "descending"), ("number", "ascending")])
    parent = np.asarray(top.column("parent"))
    first = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]]) if len(parent) else parent
    field_of = {cid: field for cid, (_, field) in CONCEPT_FIELDS.items()}
    fields = _lookup(top.column("id").take(pa.array(first)), field_of)
    out = np.full(len(staged), None, dtype=object)
    out[parent[first]] = fields.to_numpy(zero_copy_only=False)
    return pa.array(out, pa.string())


def records_table(staged: pa.Table, keys: pa.Array) -> pa.Table:
    """The records' own columns (:data:`RECORD_COLUMNS`) and ``record_key``, with the type and
    field rules of this module's docstring applied."""
    work_type = staged.column("work_type")
    legacy = _lookup(work_type, LEGACY_TYPES)
    crossref = pc.if_else(pc.is_null(legacy), staged.column("type_crossref"), work_type)
    topic_field = staged.column("field_id")
    from_topic = pc.is_valid(topic_field)
    concept_field = concept_fields(staged)
    field = pc.coalesce(topic_field, concept_field)
    domain = pc.if_else(
        from_topic,
        staged.column("domain_id"),
        _lookup(field, {k: d for k, (_, d) in FIELDS.items()}),
    )
    names = {
        "field_name": pc.if_else(
            from_topic,
            staged.column("field_name"),
            _lookup(field, {k: n for k, (n, _) in FIELDS.items()}),
        ),
        "domain_name": pc.if_else(
            from_topic, staged.column("domain_name"), _lookup(domain, DOMAINS)
        ),
    }
    source = pc.if_else(
        from_topic,
        pa.scalar("primary_topic"),
        pc.if_else(pc.is_valid(concept_field), pa.scalar("concepts"), pa.scalar(None, pa.string())),
    )
    replaced = {
        "work_type": pc.coalesce(legacy, work_type),
        "type_crossref": crossref,
        "field_id": field,
        "domain_id": domain,
        **names,
        "field_source": source,
    }
    columns = {c: replaced[c] if c in replaced else staged.column(c) for c in RECORD_COLUMNS}
    return pa.table(columns).append_column("record_key", keys)


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
    """``records``, ``authorship_countries``, ``authorship_institutions``, ``citation_years``
    and the links of :func:`~scidip.indicators.links.flat_links` of a staging batch.

    Records are numbered ``first_key``, ``first_key + 1``… in ``record_key``.
    """
    keys = pa.array(np.arange(first_key, first_key + len(staged), dtype=np.int64))
    return {
        "records": records_table(staged, keys),
        "authorship_countries": authorship_countries(staged, keys),
        "authorship_institutions": authorship_institutions(staged, keys),
        "citation_years": citation_years(staged, keys),
        **flat_links(staged, keys),
    }
