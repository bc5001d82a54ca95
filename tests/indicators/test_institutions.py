"""Institution level (Leiden Ranking style) with bootstrap stability intervals, on every engine.

Ten articles of 2020 in one field (one reference set: N = 10, top 10 % = 1 paper, mean citations
15 / 10 = 1.5):

* W1 (10 citations): authorships I1 | I1 + I2 | none (JP only) → n = 3: I1 1/3 + 1/6 = 1/2,
  I2 1/6; JP and US: international. The one top-10 % paper; ncs 10 / 1.5.
* W2 (0): I1 alone → 1. W3 (5): I2 twice → 1; ncs 5 / 1.5.
* W4–W10 (0): I3 alone → 1 each.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scidip.indicators.compute import compute
from scidip.indicators.institutions import stability_intervals
from scidip.indicators.pipeline import ComputeOptions
from scidip.indicators.store import Store


def _inst(i: int, country: str) -> dict[str, str]:
    return {"id": f"https://openalex.org/I{i}", "ror": f"https://ror.org/0{i}", "display_name":
            f"Institute {i}", "country_code": country}  # fmt: skip


def _work(n: int, cites: int, authorships: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"W{n}", "publication_year": 2020, "type": "article", "cited_by_count": cites,
            "referenced_works_count": 3, "updated_date": "2022-01-01",
            "primary_topic": {"id": "T1", "field": {"id": "17", "display_name": "CS"}},
            "authorships": authorships}  # fmt: skip


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, ingest_works: Any) -> Store:
    i1, i2, i3 = _inst(1, "JP"), _inst(2, "US"), _inst(3, "DE")
    works = [
        _work(1, 10, [{"institutions": [i1]}, {"institutions": [i1, i2]},
                      {"countries": ["JP"], "institutions": []}]),
        _work(2, 0, [{"institutions": [i1]}]),
        _work(3, 5, [{"institutions": [i2]}, {"institutions": [i2]}]),
        *[_work(n, 0, [{"institutions": [i3]}]) for n in range(4, 11)],
    ]  # fmt: skip
    store: Store = ingest_works(tmp_path_factory.mktemp("inst"), works)
    return store


def test_institution_weights_are_by_author(ingested: Store):
    rows = pq.read_table(ingested.table_path("work_institution")).to_pylist()
    got = sorted((r["institution_id"], r["ror"], r["country_code"], round(r["weight_frac"], 12))
                 for r in rows if r["work_key"] == 0)  # fmt: skip
    assert got == [("I1", "01", "JPN", 0.5), ("I2", "02", "USA", round(1 / 6, 12))]


def test_institution_indicators_and_stability_intervals(ingested: Store, engine: Any):
    compute(ingested, engine, ComputeOptions(moving_window_years=1, stability_samples=1000))
    rows = pq.read_table(ingested.result_path("institution_period")).to_pylist()
    cols = ["institution_id", "institution_name", "p_full", "p_frac", "p_top10_frac",
            "pp_top10_pct", "mncs", "pp_intl_collab_pct", "rank_p_frac"]  # fmt: skip
    got = {r["institution_id"]: [r[c] for c in cols] for r in rows}
    ncs1, ncs3 = 10 / 1.5, 5 / 1.5
    assert got == {
        "I1": ["I1", "Institute 1", 2, pytest.approx(1.5), pytest.approx(0.5),
               pytest.approx(100 / 3), pytest.approx(0.5 * ncs1 / 1.5), pytest.approx(100 / 3), 2],
        "I2": ["I2", "Institute 2", 2, pytest.approx(7 / 6), pytest.approx(1 / 6),
               pytest.approx(100 / 7), pytest.approx((ncs1 / 6 + ncs3) / (7 / 6)),
               pytest.approx(100 / 7), 3],
        "I3": ["I3", "Institute 3", 7, pytest.approx(7.0), pytest.approx(0.0), pytest.approx(0.0),
               pytest.approx(0.0), pytest.approx(0.0), 1],
    }  # fmt: skip
    bounds = {r["institution_id"]: (r["pp_top10_pct_lb"], r["pp_top10_pct_ub"]) for r in rows}
    # I1's two papers: drawn twice, the share is 0 % (W2 twice, 1 in 4), 33 % or 100 % (W1
    # twice, 1 in 4): the 95 % interval of 1,000 draws runs from 0 to 100. I3: always 0.
    assert bounds["I1"] == (0.0, 100.0)
    assert bounds["I3"] == (0.0, 0.0)
    # Ranks drawn within the period's ten papers (seed 0): I3's seven papers keep it first in
    # 95 % of the samples; I1 (1.5) and I2 (7/6) are close and trade places.
    ranks = {r["institution_id"]: (r["rank_p_frac_lb"], r["rank_p_frac_ub"]) for r in rows}
    assert ranks == {"I1": (2, 3), "I2": (2, 3), "I3": (1, 1)}


def test_country_stability_intervals(ingested: Store, engine: Any):
    compute(ingested, engine, ComputeOptions(moving_window_years=1, stability_samples=1000))
    rows = pq.read_table(ingested.result_path("country_field_period")).to_pylist()
    got = {
        r["country_code"]: [r[f"{name}_{b}"] for name in ("top10_own_share_frac_pct",
                            "intl_coauthorship_pct", "top10_world_share_frac_pct",
                            "rank_papers_frac") for b in ("lb", "ub")]
        for r in rows if r["field_id"] == "all"
    }  # fmt: skip
    # DEU's seven papers: never top 10 %, never international. W1, the one top-10 % paper, is
    # JPN's for 5/6 and USA's for 1/6 in every sample that draws it. DEU's 7 of 10 papers keep
    # it first; JPN (11/6) and USA (7/6) trade second and third places.
    assert got == {
        "DEU": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1, 1],
        "JPN": [0.0, 100.0, 0.0, 100.0, pytest.approx(250 / 3), pytest.approx(250 / 3), 2, 3],
        "USA": [0.0, 100.0, 0.0, 100.0, pytest.approx(50 / 3), pytest.approx(50 / 3), 2, 3],
    }
    compute(ingested, engine, ComputeOptions(moving_window_years=1))
    rows = pq.read_table(ingested.result_path("country_field_period")).to_pylist()
    assert {r["rank_papers_frac_lb"] for r in rows} == {None}


def test_stability_intervals_of_one_paper_and_of_equal_papers():
    rows = pa.table({
        "institution_id": ["A", "B", "B", "B"], "period_years": pa.array([1] * 4, pa.int32()),
        "period_start": pa.array([2020] * 4, pa.int32()),
        "period_end": pa.array([2020] * 4, pa.int32()), "work_key": [1, 2, 3, 4],
        "weight_frac": [0.5, 1.0, 0.25, 0.5], "top10_weight": [0.3, 1.0, 1.0, 1.0],
        "ncs": [2.0, 1.5, 1.5, 1.5], "intl": [1.0, 0.0, 0.0, 0.0],
    })  # fmt: skip
    got = stability_intervals(rows, samples=200).to_pylist()
    # One paper: every draw is that paper. Equal values: every mean is that value.
    assert [(r["institution_id"], r["pp_top10_pct_lb"], r["pp_top10_pct_ub"], r["mncs_lb"],
             r["mncs_ub"], r["pp_intl_collab_pct_lb"]) for r in got] == [
        ("A", pytest.approx(30.0), pytest.approx(30.0), 2.0, 2.0, 100.0),
        ("B", pytest.approx(100.0), pytest.approx(100.0), pytest.approx(1.5),
         pytest.approx(1.5), 0.0),
    ]  # fmt: skip


def test_partners_in_one_field_with_their_strength(ingested: Store, tmp_path):
    import ibis

    from scidip.indicators.partners import field_partners

    compute(ingested, ibis.duckdb.connect(), ComputeOptions(moving_window_years=1))
    own, rows = field_partners(ingested, "jpn", "17", 2020)
    # W1's country weights (authorships JP | JP + US | JP): JPN 5/6, USA 1/6; W2 JPN; W3 USA;
    # W4–W10 DEU. W1 is the one top-10 % paper: USA 1/6 of it. JPN and USA co-authored W1.
    assert own is not None and own["papers_frac"] == pytest.approx(11 / 6)
    got = [
        (r["country_code"], r["papers_frac"], r["top10_frac"], r["copapers_whole"]) for r in rows
    ]
    assert got == [
        ("USA", pytest.approx(7 / 6), pytest.approx(1 / 6), 1),
        ("DEU", pytest.approx(7.0), pytest.approx(0.0), 0),
    ]
