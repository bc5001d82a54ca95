"""A generated snapshot, ingested and computed on each engine: the invariants, and agreement.

Invariants (hand-checkable on any input): in every field and period the world's top-10 % papers
are exactly 10 % of its papers (1 % for top-1 %), the countries' fractional counts sum to the
world's papers and their top-10 % counts to the world's; fractional world shares sum to 100 %.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from scidip.indicators.compute import compute
from scidip.indicators.ingest import ingest
from scidip.indicators.store import Store
from scidip.indicators.synthetic import SyntheticSpec
from scidip.indicators.synthetic_writers import write_snapshot

SPEC = SyntheticSpec(works=2500, seed=2024, first_year=2016, last_year=2023)
KEYS = {
    "country_field_period": ["period_years", "period_end", "field_id", "country_code"],
    "world_field_period": ["period_years", "period_end", "field_id"],
    "collaboration": ["period_years", "period_end", "country_code", "partner_code"],
    "coverage": ["item"],
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Store:
    root = tmp_path_factory.mktemp("snapshot")
    write_snapshot(SPEC, root / "snap")
    store = Store(root / "store")
    ingest(root / "snap", store)
    return store


def _computed(ingested: Store, engine: Any, folder: Path) -> Store:
    store = Store(folder)
    shutil.copytree(ingested.tables_dir, store.tables_dir)
    shutil.copy(ingested.base / "ingest.json", store.base / "ingest.json")
    compute(store, engine)
    return store


def _result(store: Store, name: str) -> list[dict[str, Any]]:
    t = pq.read_table(store.result_path(name))
    return t.sort_by([(k, "ascending") for k in KEYS[name]]).to_pylist()


@pytest.fixture(scope="module")
def by_engine(ingested: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Store]:
    """Stores computed so far, by engine: each engine computes once per module."""
    return {}


@pytest.fixture(params=["duckdb", "spark"])
def computed(request: pytest.FixtureRequest, ingested: Store, by_engine: dict[str, Store],
             tmp_path_factory: pytest.TempPathFactory) -> Store:  # fmt: skip
    name = request.param
    if name not in by_engine:
        engine = _connect(request, name)
        by_engine[name] = _computed(ingested, engine, tmp_path_factory.mktemp(name))
    return by_engine[name]


def _connect(request: pytest.FixtureRequest, name: str) -> Any:
    import ibis

    if name == "duckdb":
        return ibis.duckdb.connect()
    return ibis.pyspark.connect(request.getfixturevalue("spark_session"))


def test_world_top_shares_are_exactly_ten_and_one_percent(computed: Store):
    world = _result(computed, "world_field_period")
    assert {(r["period_years"], r["field_id"]) for r in world} >= {(1, "all"), (3, "all")}
    for r in world:
        assert r["world_top10"] == pytest.approx(0.10 * r["world_papers"], abs=1e-9)
        assert r["world_top1"] == pytest.approx(0.01 * r["world_papers"], abs=1e-9)


def test_country_counts_add_up_to_the_world(computed: Store):
    world = {(r["period_years"], r["period_end"], r["field_id"]): r
             for r in _result(computed, "world_field_period")}  # fmt: skip
    sums: dict[tuple[int, int, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for r in _result(computed, "country_field_period"):
        s = sums[(r["period_years"], r["period_end"], r["field_id"])]
        s[0] += r["papers_frac"]
        s[1] += r["top10_frac"]
        s[2] += r["world_share_frac_pct"]
        s[3] += r["top10_world_share_frac_pct"]
    assert sums.keys() == world.keys()
    for key, (papers, top10, share, top10_share) in sums.items():
        assert papers == pytest.approx(world[key]["world_papers"], abs=1e-9)
        assert top10 == pytest.approx(0.10 * world[key]["world_papers"], abs=1e-9)
        assert share == pytest.approx(100.0, abs=1e-9)
        assert top10_share == pytest.approx(100.0, abs=1e-9)


def test_world_papers_are_the_counted_works(computed: Store):
    coverage = {r["item"]: r["works"] for r in _result(computed, "coverage")}
    annual_all = [r for r in _result(computed, "world_field_period")
                  if r["period_years"] == 1 and r["field_id"] == "all"]  # fmt: skip
    assert sum(r["world_papers"] for r in annual_all) == coverage["counted"]
    assert coverage["works"] == SPEC.works
    assert coverage["counted"] + coverage["excluded_type"] + coverage["excluded_retracted"] == (
        SPEC.works
    )
    assert computed.read_meta("compute")["synthetic"] is True
    assert all(r["synthetic_data"] for r in _result(computed, "coverage"))


@pytest.mark.parametrize("computed", ["spark"], indirect=True)
def test_spark_and_duckdb_give_the_same_numbers(
    computed: Store, by_engine: dict[str, Store], ingested: Store, tmp_path: Path
):
    on_spark = computed
    import ibis

    on_duckdb = by_engine.get("duckdb") or _computed(ingested, ibis.duckdb.connect(), tmp_path)
    for name in KEYS:
        a, b = _result(on_duckdb, name), _result(on_spark, name)
        assert len(a) == len(b) > 0, name
        for x, y in zip(a, b, strict=True):
            assert x.keys() == y.keys()
            for k in x:
                if isinstance(x[k], float) and y[k] is not None:
                    assert x[k] == pytest.approx(y[k], rel=1e-9, abs=1e-12), (name, k, x)
                else:
                    assert x[k] == y[k], (name, k, x)


def _tiny_snapshot(root: Path) -> Path:
    """Works of 2022 (JPN), 2023 (JPN, USA) and 2024 (USA); the data stand at 2024-03-01."""
    import gzip
    import json

    folder = root / "data" / "works" / "updated_date=2024-03-01"
    folder.mkdir(parents=True)
    works = [("W1", 2022, "JP"), ("W2", 2023, "JP"), ("W3", 2023, "US"), ("W4", 2024, "US")]
    with gzip.open(folder / "part_000.gz", "wt") as handle:
        for wid, year, country in works:
            record = {"id": wid, "publication_year": year, "type": "article",
                      "updated_date": "2024-03-01T10:00:00", "referenced_works_count": 1,
                      "authorships": [{"countries": [country]}]}  # fmt: skip
            handle.write(json.dumps(record) + "\n")
    return root


def test_the_incomplete_last_year_is_left_out_or_flagged(tmp_path: Path, engine: Any):
    from scidip.indicators.pipeline import ComputeOptions

    store = Store(tmp_path / "store")
    assert ingest(_tiny_snapshot(tmp_path / "snap"), store).data_as_of == "2024-03-01"
    report = compute(store, engine, ComputeOptions(moving_window_years=2))
    # 2024 is the data's own year: not complete, left out by default.
    assert (report.last_complete_year, report.first_year, report.last_year) == (2023, 2022, 2023)
    assert report.coverage["excluded_incomplete_year"] == 1
    world = [(r["period_years"], r["period_end"], r["world_papers"], r["incomplete_period"])
             for r in _result(store, "world_field_period") if r["field_id"] == "all"]  # fmt: skip
    assert world == [(1, 2022, 1, False), (1, 2023, 2, False), (2, 2023, 3, False)]
    options = ComputeOptions(moving_window_years=2, include_incomplete_year=True)
    report = compute(store, engine, options)
    assert (report.last_year, report.coverage["excluded_incomplete_year"]) == (2024, 0)
    world = [(r["period_years"], r["period_end"], r["world_papers"], r["incomplete_period"])
             for r in _result(store, "world_field_period") if r["field_id"] == "all"]  # fmt: skip
    assert world == [
        (1, 2022, 1, False), (1, 2023, 2, False), (1, 2024, 1, True),
        (2, 2023, 3, False), (2, 2024, 3, True),
    ]  # fmt: skip
    usa = [(r["period_years"], r["period_end"], r["incomplete_period"])
           for r in _result(store, "country_field_period")
           if r["country_code"] == "USA" and r["field_id"] == "all"]  # fmt: skip
    assert usa == [(1, 2023, False), (1, 2024, True), (2, 2023, False), (2, 2024, True)]
    # show marks the incomplete period.
    from scidip.indicators.show import country_indicators

    assert [r["period"] for r in country_indicators(store, "USA")] == ["2023", "2024*"]
