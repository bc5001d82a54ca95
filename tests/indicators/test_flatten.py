"""Flattening staging batches with Arrow: positions, the authorship-country rule, keys."""

from __future__ import annotations

import pyarrow as pa

from scidip.indicators.flatten import split
from scidip.indicators.openalex import STAGING_SCHEMA, parse_work

RECORDS = [
    {"id": "W1", "publication_year": 2020, "authorships": [{"countries": ["US"]}]},
    {"id": "W2", "publication_year": 2020, "authorships": [
        {"countries": ["JP", "US"], "institutions": [{"country_code": "JP"}]},
        {"countries": [], "institutions": []},
        {"countries": [], "institutions": [{"country_code": "FR"}, {"country_code": "DE"}]},
    ], "counts_by_year": [{"year": 2022, "cited_by_count": 4}]},
    {"id": "W3", "publication_year": 2021},
]  # fmt: skip


def _staged() -> pa.Table:
    rows = []
    for i, record in enumerate(RECORDS):
        row = parse_work(record)
        row.update(updated_date="", source_file="f", source_line=i + 1)
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=STAGING_SCHEMA)


def test_countries_else_institutions_with_positions_in_a_sliced_batch():
    # Slicing drops W1: positions must restart at 0 for W2 and keys start at first_key.
    out = split(_staged().slice(1, 2), first_key=100)
    assert out["authorship_countries"].to_pylist() == [
        {"record_key": 100, "author_position": 0, "alpha2": "JP"},
        {"record_key": 100, "author_position": 0, "alpha2": "US"},
        {"record_key": 100, "author_position": 2, "alpha2": "FR"},
        {"record_key": 100, "author_position": 2, "alpha2": "DE"},
    ]
    assert out["citation_years"].to_pylist() == [
        {"record_key": 100, "citation_year": 2022, "citations": 4}
    ]
    assert out["records"].column("record_key").to_pylist() == [100, 101]
    assert out["records"].column("work_id").to_pylist() == ["W2", "W3"]


def _concept(cid: str, level: int, score: float) -> dict[str, object]:
    return {"id": f"https://openalex.org/{cid}", "level": level, "score": score}


def test_field_from_the_top_level_0_concept():
    from scidip.indicators.flatten import concept_fields

    physics, maths = _concept("C121332964", 0, 0.5), _concept("C33923547", 0, 0.5)
    records = [
        # Biology (0.7) over Medicine (0.4); the level-1 concept scored 0.9 does not count.
        [_concept("C71924100", 0, 0.4), _concept("C86803240", 0, 0.7),
         _concept("C2779134260", 1, 0.9)],
        # A tie: the smaller id, C33923547 Mathematics (26), in either order.
        [physics, maths],
        [maths, physics],
        # Only deeper concepts: no field.
        [_concept("C2779134260", 1, 0.9)],
        [],
    ]  # fmt: skip
    rows = []
    for i, concepts in enumerate(records):
        row = parse_work({"id": f"W{i}", "publication_year": 2020, "concepts": concepts})
        row.update(updated_date="", source_file="f", source_line=i + 1)
        rows.append(row)
    staged = pa.Table.from_pylist(rows, schema=STAGING_SCHEMA)
    assert concept_fields(staged).to_pylist() == ["13", "26", "26", None, None]
