"""Synthetic works as Parquet with the nested structure of OpenAlex's JSON records (vectorised)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scidip.indicators.synthetic import (
    COUNTRIES,
    DOMAINS,
    FIELDS,
    OA,
    SUBFIELDS_PER_FIELD,
    TYPES,
    IntArray,
    SyntheticSpec,
    WorksChunk,
    citation_years,
    references_count,
)

_ID_NAME = [("id", pa.string()), ("display_name", pa.string())]


def _prefixed(prefix: str, numbers: IntArray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def _lists(offsets: IntArray, values: pa.Array) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


def _topics(chunk: WorksChunk) -> pa.Array:
    rows = [(f, s) for f in range(len(FIELDS)) for s in range(SUBFIELDS_PER_FIELD)]
    idx = np.where(chunk.field_index >= 0, chunk.field_index * SUBFIELDS_PER_FIELD, 0)
    idx = idx + chunk.subfield_index
    take = pa.array(idx)

    def part(ids: list[str], names: list[str]) -> pa.Array:
        return pa.StructArray.from_arrays(
            [pa.array(ids).take(take), pa.array(names).take(take)],
            fields=[pa.field(*f) for f in _ID_NAME],
        )

    fid = [FIELDS[f][0] for f, _ in rows]
    sid = [FIELDS[f][0] * 100 + s + 1 for f, s in rows]
    dom = [FIELDS[f][2] for f, _ in rows]
    children = [
        pa.array([f"{OA}/T{i}0" for i in sid]).take(take),
        pa.array([f"{FIELDS[f][1]}: topic {s + 1} (synthetic)" for f, s in rows]).take(take),
        part(
            [f"{OA}/subfields/{i}" for i in sid],
            [f"{FIELDS[f][1]} {s + 1} (synthetic)" for f, s in rows],
        ),
        part([f"{OA}/fields/{i}" for i in fid], [FIELDS[f][1] for f, _ in rows]),
        part([f"{OA}/domains/{d}" for d in dom], [DOMAINS[d] for d in dom]),
    ]
    names = ["id", "display_name", "subfield", "field", "domain"]
    return pa.StructArray.from_arrays(children, names=names, mask=pa.array(chunk.field_index < 0))


def _authorships(chunk: WorksChunk) -> pa.Array:
    c, c2 = chunk.auth_country, chunk.auth_second_country
    pairs = np.stack([c, c2], axis=1)
    valid = pairs >= 0
    per_auth = valid.sum(axis=1)
    offsets = np.zeros(len(c) + 1, dtype=np.int64)
    np.cumsum(per_auth, out=offsets[1:])
    flat = pairs[valid]
    inst = np.repeat(chunk.auth_institution, per_auth)
    codes = pa.array(np.array([code for code, _, _ in COUNTRIES], dtype=object)[flat], pa.string())
    institutions = pa.StructArray.from_arrays(
        [_prefixed(f"{OA}/I", (flat + 1) * 1000 + inst), codes], names=["id", "country_code"]
    )
    work_of = np.repeat(np.arange(chunk.n), np.diff(chunk.auth_offsets))
    pos = np.arange(len(c)) - chunk.auth_offsets[work_of]
    last = chunk.auth_offsets[work_of + 1] - chunk.auth_offsets[work_of] - 1
    position = np.where(pos == 0, "first", np.where(pos == last, "last", "middle"))
    auth = pa.StructArray.from_arrays(
        [pa.array(position, pa.string()), _lists(offsets, institutions), _lists(offsets, codes)],
        names=["author_position", "institutions", "countries"],
    )
    return _lists(chunk.auth_offsets, auth)


def works_table(chunk: WorksChunk, spec: SyntheticSpec) -> pa.Table:
    """The chunk as an Arrow table in OpenAlex's nested works layout (the fields SciDip reads)."""
    numbers = np.arange(chunk.first_index + 1, chunk.first_index + chunk.n + 1)
    cy = citation_years(chunk, spec.snapshot_year)
    counts = pa.StructArray.from_arrays(
        [pa.array(cy.year, pa.int32()), pa.array(cy.count, pa.int64())],
        names=["year", "cited_by_count"],
    )
    return pa.table(
        {
            "id": _prefixed(f"{OA}/W", numbers),
            "title": _prefixed("Synthetic work ", numbers),
            "publication_year": pa.array(chunk.year, pa.int32()),
            "type": pa.array(np.array(TYPES, dtype=object)[chunk.type_index], pa.string()),
            "is_retracted": pa.array(chunk.retracted),
            "cited_by_count": pa.array(chunk.citations, pa.int64()),
            "counts_by_year": _lists(cy.offsets, counts),
            "primary_topic": _topics(chunk),
            "referenced_works_count": pa.array(references_count(numbers), pa.int64()),
            "authorships": _authorships(chunk),
        }
    )


def write_parquet_part(chunk: WorksChunk, spec: SyntheticSpec, path: Path) -> None:
    """One ``part_NNN.parquet`` file."""
    pq.write_table(works_table(chunk, spec), path)
