"""``docs/indicators.md`` documents every column the indicators produce."""

from __future__ import annotations

from pathlib import Path

import ibis
import pyarrow as pa

from scidip.indicators.pipeline import ComputeOptions, indicator_expressions

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
INTERNAL = {
    "field_name",
    "country_code",
    "partner_code",
    "field_id",
    "period_years",
    "period_start",
    "period_end",
}  # fmt: skip  (explained in the text, not the tables)


def _schemas() -> dict[str, list[str]]:
    attributes = {"publication_year": [2020], "field_id": ["17"], "work_type": ["article"],
                  "is_retracted": [False], "cited_by_count": [1], "references_count": [3],
                  "has_country": [True]}  # fmt: skip
    works = pa.table({"work_key": [1], "work_id": ["W1"], **attributes})
    field = pa.table({"work_key": [1], "field_id": ["17"], "field_name": ["CS"]})
    wc = pa.table({"work_key": [1], "country_code": ["JPN"], "paper_weight_frac": [1.0],
                   "is_international": [False], "partner_codes": [[]],
                   **attributes})  # fmt: skip
    tables = {"works": works, "work_field": field, "work_country": wc}
    exprs = indicator_expressions(
        {k: ibis.memtable(v) for k, v in tables.items()}, 2020, 2020, ComputeOptions()
    )
    return {name: list(e.schema().names) for name, e in exprs.items()}


def test_every_result_column_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = {
        f"{table}.{col}"
        for table, cols in _schemas().items()
        for col in cols
        if col not in INTERNAL and f"`{col}`" not in text
    }
    assert not missing, f"undocumented columns: {sorted(missing)}"
