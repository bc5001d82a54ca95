"""Normalisation rules (authorship country, fractional weights, duplicates), on every engine."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from scidip.indicators.flatten import split
from scidip.indicators.normalise import (
    alpha2_to_alpha3,
    country_weights,
    institution_weights,
    normalise,
)
from scidip.indicators.openalex import STAGING_SCHEMA, parse_work


def _work(wid: str, authorships: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"id": f"https://openalex.org/{wid}", "publication_year": 2020, "type": "article",
            "authorships": authorships, **extra}  # fmt: skip


def _topic(field: str) -> dict[str, Any]:
    return {"field": {"id": f"https://openalex.org/fields/{field}", "display_name": f"F{field}"}}


RECORDS = [
    # W1: authorships JP | JP+US | none | FR (from the institution only) → A = 3:
    # JPN 1/3 + 1/6 = 1/2, USA 1/6, FRA 1/3.
    (
        "2024-01-01",
        _work(
            "W1",
            [
                {"countries": ["JP"]},
                {"countries": ["JP", "US"]},
                {"countries": [], "institutions": []},
                {"countries": [], "institutions": [{"country_code": "FR"}, {"country_code": None}]},
            ],
            primary_topic=_topic("17"),
            counts_by_year=[
                {"year": 2023, "cited_by_count": 3},
                {"year": 2022, "cited_by_count": 1},
            ],
        ),
    ),
    # W2: no authorship at all → the pseudo-country XXX with weight 1.
    ("2024-01-01", _work("W2", [], primary_topic=_topic("17"))),
    # W3 twice: the later partition wins (field 27); Kosovo XK → XKX; "zz" is kept as ZZ.
    ("2024-01-01", _work("W3", [{"countries": ["US"]}], primary_topic=_topic("17"))),
    (
        "2024-02-01",
        _work("W3", [{"countries": ["XK"]}, {"countries": ["zz"]}], primary_topic=_topic("27")),
    ),
    # W4: a country listed twice in one authorship counts once; no topic → field "unknown".
    ("2024-01-01", _work("W4", [{"countries": ["JP", "JP"]}])),
]  # fmt: skip


@pytest.fixture
def tables(load):
    rows = []
    for line, (updated, record) in enumerate(RECORDS, start=1):
        row = parse_work(record)
        row.update(updated_date=updated, source_file=f"{updated}.gz", source_line=line)
        rows.append(row)
    staged = {
        k: load(v)
        for k, v in split(pa.Table.from_pylist(rows, schema=STAGING_SCHEMA), first_key=0).items()
    }
    codes = load(alpha2_to_alpha3())
    staged["record_countries"] = country_weights(staged.pop("authorship_countries"), codes)
    staged["record_institutions"] = institution_weights(
        staged.pop("authorship_institutions"), codes
    )
    return normalise(staged)


#: ``work_key`` is the ``record_key`` of the latest record: W1 0, W2 1, W3 3 (its second
#: record), W4 4.
KEYS = {"W1": 0, "W2": 1, "W3": 3, "W4": 4}


def _attributes(field_id: str) -> dict[str, Any]:
    return {"publication_year": 2020, "field_id": field_id, "work_type": "article",
            "is_retracted": False, "cited_by_count": 0, "references_count": None, "topic_id": None,
            "source_type": None}  # fmt: skip


def test_fractional_weights_by_authorship_country(tables, run):
    # International: at least two distinct known countries (W3: XKX and the unmapped ZZ); each
    # row lists the work's other countries.
    # Each row carries its work's attributes (W3's from its latest record: field 27).
    got = run(tables["work_country"], ["work_key", "country_code"])
    rows = [
        ("W1", "FRA", 1 / 3, True, ["JPN", "USA"], "17"),
        ("W1", "JPN", 1 / 2, True, ["FRA", "USA"], "17"),
        ("W1", "USA", 1 / 6, True, ["FRA", "JPN"], "17"),
        ("W2", "XXX", 1.0, False, [], "17"),
        ("W3", "XKX", 0.5, True, ["ZZ"], "27"),
        ("W3", "ZZ", 0.5, True, ["XKX"], "27"),
        ("W4", "JPN", 1.0, False, [], "unknown"),
    ]
    for r in got:  # float sums: compared to 12 decimals
        r["paper_weight_frac"] = round(r["paper_weight_frac"], 12)
    assert got == [
        {"work_key": KEYS[w], "country_code": c, "paper_weight_frac": round(x, 12),
         "is_international": intl, "partner_codes": partners, "has_country": c != "XXX",
         **_attributes(f)}
        for w, c, x, intl, partners, f in rows
    ]  # fmt: skip


def test_latest_partition_wins_and_missing_field_is_reported(tables, run):
    works = run(tables["works"], ["work_id"], ["work_key", "work_id", "field_id", "updated_date"])
    assert works == [
        {"work_key": 0, "work_id": "W1", "field_id": "17", "updated_date": "2024-01-01"},
        {"work_key": 1, "work_id": "W2", "field_id": "17", "updated_date": "2024-01-01"},
        {"work_key": 3, "work_id": "W3", "field_id": "27", "updated_date": "2024-02-01"},
        {"work_key": 4, "work_id": "W4", "field_id": "unknown", "updated_date": "2024-01-01"},
    ]
    fields = run(tables["work_field"], ["work_key"], ["work_key", "field_id", "field_name"])
    assert fields == [
        {"work_key": 0, "field_id": "17", "field_name": "F17"},
        {"work_key": 1, "field_id": "17", "field_name": "F17"},
        {"work_key": 3, "field_id": "27", "field_name": "F27"},
        {"work_key": 4, "field_id": "unknown", "field_name": "Field unknown"},
    ]


def test_citations_by_year(tables, run):
    got = run(tables["work_citation_year"], ["work_key", "citation_year"])
    assert got == [
        {"work_key": 0, "citation_year": 2022, "citations": 1},
        {"work_key": 0, "citation_year": 2023, "citations": 3},
    ]


def test_country_code_table_maps_alpha2_to_alpha3():
    codes = dict(zip(*alpha2_to_alpha3().to_pydict().values(), strict=True))
    assert (codes["JP"], codes["US"], codes["XK"], codes["GB"]) == ("JPN", "USA", "XKX", "GBR")
