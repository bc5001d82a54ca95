"""Institutions merged to their top-level parents through OpenAlex's ``lineage``, on every engine.

Hand-made institutions (lineage as OpenAlex gives it: the institution and its parents, in id
order): U, a university (lineage U); C, a national research organisation (C); H, U's hospital
(H, U); M, U's medical school (M, U); F, a faculty of M (F, M, U: its top level is U alone, since
M has a parent); L, a joint laboratory of U and C (C, L, U: two top levels, half each); G, whose
parent X no record names (G, X: X is taken as top-level, with no name).

Six articles of 2020, one field: W1 H | U (two authorships: 1/2 each); W2 L; W3 F; W4 M; W5 C;
W6 G. Merged: U gets W1 (1/2 + 1/2 = 1, one paper), W2 (1/2), W3 (1), W4 (1): P = 4,
P(frac) = 3.5. C gets W2 (1/2) and W5 (1): P = 2, P(frac) = 1.5. X gets W6: P = 1.
"""

from __future__ import annotations

from typing import Any

import pyarrow.parquet as pq
import pytest

from scidip.indicators.compute import compute
from scidip.indicators.lineage import InstitutionLevel
from scidip.indicators.pipeline import ComputeOptions
from scidip.indicators.store import Store

LINEAGE = {"U": "U", "C": "C", "H": "HU", "M": "MU", "F": "FMU", "L": "CLU", "G": "GX"}


def _inst(i: str) -> dict[str, Any]:
    lineage = [f"https://openalex.org/I{x}" for x in LINEAGE[i]]
    return {"id": f"https://openalex.org/I{i}", "display_name": f"Institution {i}",
            "country_code": "FR", "lineage": lineage}  # fmt: skip


def _work(n: int, *authorships: str) -> dict[str, Any]:
    return {"id": f"W{n}", "publication_year": 2020, "type": "article", "cited_by_count": n,
            "referenced_works_count": 1, "updated_date": "2022-01-01",
            "primary_topic": {"id": "T1", "field": {"id": "17", "display_name": "CS"}},
            "authorships": [{"institutions": [_inst(a)]} for a in authorships]}  # fmt: skip


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, ingest_works: Any) -> Store:
    works = [_work(1, "H", "U"), _work(2, "L"), _work(3, "F"), _work(4, "M"), _work(5, "C"),
             _work(6, "G")]  # fmt: skip
    store: Store = ingest_works(tmp_path_factory.mktemp("lineage"), works)
    return store


def _table(store: Store) -> dict[str, tuple[Any, ...]]:
    rows = pq.read_table(store.result_path("institution_period")).to_pylist()
    return {r["institution_id"]: (r["institution_name"], r["p_full"], r["p_frac"]) for r in rows}


def test_institutions_as_given(ingested: Store, engine: Any):
    compute(ingested, engine, ComputeOptions(moving_window_years=1))
    assert _table(ingested) == {
        "IU": ("Institution U", 1, 0.5), "IH": ("Institution H", 1, 0.5),
        "IL": ("Institution L", 1, 1.0), "IF": ("Institution F", 1, 1.0),
        "IM": ("Institution M", 1, 1.0), "IC": ("Institution C", 1, 1.0),
        "IG": ("Institution G", 1, 1.0),
    }  # fmt: skip


def test_institutions_merged_to_their_top_level_parents(ingested: Store, engine: Any):
    options = ComputeOptions(moving_window_years=1, institution_level=InstitutionLevel.top)
    compute(ingested, engine, options)
    assert _table(ingested) == {
        "IU": ("Institution U", 4, pytest.approx(3.5)),
        "IC": ("Institution C", 2, pytest.approx(1.5)),
        "IX": (None, 1, 1.0),
    }


def test_compute_parents_through_the_cli(ingested: Store):
    from typer.testing import CliRunner

    from scidip.cli.indicators import app

    args = ["compute", "--store", str(ingested.root), "--window", "1", "--parents"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(_table(ingested)) == ["IC", "IU", "IX"]
    assert CliRunner().invoke(app, args[:-1]).exit_code == 0
    assert len(_table(ingested)) == 7
