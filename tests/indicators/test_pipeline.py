"""The whole indicator pipeline on a hand-made population of 22 works, on every engine.

Field F1 (10 papers, 2020), citations: W1=W2=100 (tied at the top: N·10 % = 1 paper, so
0.5 each), W3..W10 = 10..3. Field F2 (10 papers, 2020): W11..W13 = 5 (tied: 1/3 each),
W14..W20 = 1. W21 is a preprint and W22 a retracted article: not counted.

Countries (fractional weights): W1 JPN; W2 JPN ½ USA ½; W3, W4 USA; W5–W10 CHN;
W11 JPN ¾ CHN ¼; W12 USA; W13 CHN; W14–W19 USA; W20 no country (XXX).
"""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from scidip.indicators.counts import Population
from scidip.indicators.pipeline import ComputeOptions, coverage_expression, indicator_expressions


def _tables(load) -> dict[str, ibis.Table]:
    keys = list(range(1, 23))  # W1 … W22
    cites = [100, 100, 10, 9, 8, 7, 6, 5, 4, 3] + [5, 5, 5] + [1] * 7 + [50, 50]
    field = ["F1"] * 10 + ["F2"] * 10 + ["F1", "F1"]
    attributes = {
        "publication_year": [2020] * 22,
        "field_id": field,
        "work_type": ["article"] * 20 + ["preprint", "article"],
        "is_retracted": [False] * 21 + [True],
        "cited_by_count": cites,
        "references_count": [10] * 18 + [0] + [10] * 3,  # W19 lists no reference
        "has_country": [k != 20 for k in keys],
    }
    # W13's field was read from its concepts.
    source = ["concepts" if k == 13 else "primary_topic" for k in keys]
    works = load(
        pa.table({"work_key": keys, "work_id": [f"W{k}" for k in keys], **attributes,
                  "field_source": source})
    )  # fmt: skip
    work_field = load(
        pa.table({"work_key": keys, "field_id": field, "field_name": [f"Field {f}" for f in field]})
    )
    wc = (
        [(1, "JPN", 1.0), (2, "JPN", 0.5), (2, "USA", 0.5), (3, "USA", 1.0), (4, "USA", 1.0)]
        + [(k, "CHN", 1.0) for k in range(5, 11)]
        + [(11, "JPN", 0.75), (11, "CHN", 0.25), (12, "USA", 1.0), (13, "CHN", 1.0)]
        + [(k, "USA", 1.0) for k in range(14, 20)]
        + [(20, "XXX", 1.0), (21, "JPN", 1.0), (22, "JPN", 1.0)]
    )
    # Each row carries its work's attributes, as ingest writes them.
    copied = {name: [values[k - 1] for k, _, _ in wc] for name, values in attributes.items()}
    work_country = load(
        pa.table(
            {
                "work_key": [k for k, _, _ in wc],
                "country_code": [c for _, c, _ in wc],
                "paper_weight_frac": [x for _, _, x in wc],
                "is_international": [k in (2, 11) for k, _, _ in wc],
                "partner_codes": [
                    sorted(c2 for k2, c2, _ in wc if k2 == k and c2 != c) for k, c, _ in wc
                ],
                **copied,
            }
        )
    )
    return {"works": works, "work_field": work_field, "work_country": work_country}


@pytest.fixture
def exprs(cache, load):
    return indicator_expressions(
        _tables(load), 2020, 2020, ComputeOptions(moving_window_years=1), cache=cache
    )


KEYS = ["country_code", "field_id"]


def pick_(rows, keys):
    return [{k: r[k] for k in keys} for r in rows]


def test_counts_shares_and_top_papers(exprs, run):
    got = run(exprs["country_field_period"], KEYS)
    cols = [
        *KEYS,
        "papers_whole",
        "papers_frac",
        "top10_whole",
        "top10_frac",
        "world_papers",
        "world_share_frac_pct",
        "top10_world_share_frac_pct",
        "top10_own_share_frac_pct",
        "intl_coauthorship_pct",
    ]
    jpn = [r for r in pick_(got, cols) if r["country_code"] == "JPN"]
    assert jpn == [
        pytest.approx(
            {"country_code": "JPN", "field_id": "F1", "papers_whole": 2, "papers_frac": 1.5,
             "top10_whole": 1.0, "top10_frac": 0.75, "world_papers": 10,
             "world_share_frac_pct": 15.0, "top10_world_share_frac_pct": 75.0,
             "top10_own_share_frac_pct": 50.0, "intl_coauthorship_pct": 50.0}
        ),
        pytest.approx(
            {"country_code": "JPN", "field_id": "F2", "papers_whole": 1, "papers_frac": 0.75,
             "top10_whole": 1 / 3, "top10_frac": 0.25, "world_papers": 10,
             "world_share_frac_pct": 7.5, "top10_world_share_frac_pct": 25.0,
             "top10_own_share_frac_pct": 100 / 3, "intl_coauthorship_pct": 100.0}
        ),
        pytest.approx(
            {"country_code": "JPN", "field_id": "all", "papers_whole": 3, "papers_frac": 2.25,
             "top10_whole": 4 / 3, "top10_frac": 1.0, "world_papers": 20,
             "world_share_frac_pct": 11.25, "top10_world_share_frac_pct": 50.0,
             "top10_own_share_frac_pct": 100 / 2.25, "intl_coauthorship_pct": 200 / 3}
        ),
    ]  # fmt: skip


def test_fractional_counts_and_top_shares_sum_to_the_world(exprs, run):
    got = run(exprs["country_field_period"], KEYS)
    for field, papers in (("F1", 10), ("F2", 10), ("all", 20)):
        these = [r for r in got if r["field_id"] == field]
        assert sum(r["papers_frac"] for r in these) == pytest.approx(papers)
        assert sum(r["top10_frac"] for r in these) == pytest.approx(papers / 10)
        assert sum(r["top1_frac"] for r in these) == pytest.approx(papers / 100)
        assert sum(r["world_share_frac_pct"] for r in these) == pytest.approx(100.0)
    world = run(exprs["world_field_period"], ["field_id"])
    assert pick_(world, ["field_id", "world_papers", "world_top10", "world_top1"]) == [
        pytest.approx(
            {"field_id": "F1", "world_papers": 10, "world_top10": 1.0, "world_top1": 0.1}
        ),
        pytest.approx(
            {"field_id": "F2", "world_papers": 10, "world_top10": 1.0, "world_top1": 0.1}
        ),
        pytest.approx(
            {"field_id": "all", "world_papers": 20, "world_top10": 2.0, "world_top1": 0.2}
        ),
    ]


def test_specialisation_and_ranks(exprs, run):
    got = run(exprs["country_field_period"], KEYS)
    cols = [*KEYS, "rca", "rsi", "rank_papers_frac", "rank_top10_frac"]
    # JPN: RCA(F1) = (1.5 / 2.25) / (10 / 20) = 4/3, RSI = (1/3) / (7/3) = 1/7;
    # RCA(F2) = (0.75 / 2.25) / 0.5 = 2/3, RSI = −0.2. All fields: papers_frac USA 9.5 > CHN
    # 7.25 > JPN 2.25; top10_frac JPN 1.0 > USA 0.25 + 1/3 > CHN 1/12 + 1/3; XXX is not ranked.
    # F1: papers_frac CHN 6 > USA 2.5 > JPN 1.5, top10_frac JPN 0.75 > USA 0.25 > CHN 0;
    # F2: papers_frac USA 7 > CHN 1.25 > JPN 0.75, top10_frac CHN 1/12 + 1/3 > USA 1/3 > JPN 1/4.
    assert pick_(got, cols) == [
        pytest.approx(r)
        for r in [
            {"country_code": "CHN", "field_id": "F1", "rca": (6 / 7.25) / 0.5,
             "rsi": ((6 / 7.25) / 0.5 - 1) / ((6 / 7.25) / 0.5 + 1),
             "rank_papers_frac": 1, "rank_top10_frac": 3},
            {"country_code": "CHN", "field_id": "F2", "rca": (1.25 / 7.25) / 0.5,
             "rsi": ((1.25 / 7.25) / 0.5 - 1) / ((1.25 / 7.25) / 0.5 + 1),
             "rank_papers_frac": 2, "rank_top10_frac": 1},
            {"country_code": "CHN", "field_id": "all", "rca": None, "rsi": None,
             "rank_papers_frac": 2, "rank_top10_frac": 3},
            {"country_code": "JPN", "field_id": "F1", "rca": 4 / 3, "rsi": 1 / 7,
             "rank_papers_frac": 3, "rank_top10_frac": 1},
            {"country_code": "JPN", "field_id": "F2", "rca": 2 / 3, "rsi": -0.2,
             "rank_papers_frac": 3, "rank_top10_frac": 3},
            {"country_code": "JPN", "field_id": "all", "rca": None, "rsi": None,
             "rank_papers_frac": 3, "rank_top10_frac": 1},
            {"country_code": "USA", "field_id": "F1", "rca": (2.5 / 9.5) / 0.5,
             "rsi": ((2.5 / 9.5) / 0.5 - 1) / ((2.5 / 9.5) / 0.5 + 1),
             "rank_papers_frac": 2, "rank_top10_frac": 2},
            {"country_code": "USA", "field_id": "F2", "rca": (7 / 9.5) / 0.5,
             "rsi": ((7 / 9.5) / 0.5 - 1) / ((7 / 9.5) / 0.5 + 1),
             "rank_papers_frac": 1, "rank_top10_frac": 2},
            {"country_code": "USA", "field_id": "all", "rca": None, "rsi": None,
             "rank_papers_frac": 1, "rank_top10_frac": 2},
            {"country_code": "XXX", "field_id": "F2", "rca": (1 / 1) / 0.5, "rsi": 1 / 3,
             "rank_papers_frac": None, "rank_top10_frac": None},
            {"country_code": "XXX", "field_id": "all", "rca": None, "rsi": None,
             "rank_papers_frac": None, "rank_top10_frac": None},
        ]
    ]  # fmt: skip


def test_collaboration_matrix(exprs, run):
    got = run(exprs["collaboration"], ["country_code", "partner_code"])
    cols = ["country_code", "partner_code", "copapers_whole", "salton_index",
            "share_of_country_intl_pct"]  # fmt: skip
    # W2 is JPN–USA, W11 JPN–CHN. Whole counts: JPN 3, USA 10, CHN 8 papers;
    # international papers: JPN 2, USA 1, CHN 1.
    assert pick_(got, cols) == [
        pytest.approx(r)
        for r in [
            {"country_code": "CHN", "partner_code": "JPN", "copapers_whole": 1,
             "salton_index": 1 / 24**0.5, "share_of_country_intl_pct": 100.0},
            {"country_code": "JPN", "partner_code": "CHN", "copapers_whole": 1,
             "salton_index": 1 / 24**0.5, "share_of_country_intl_pct": 50.0},
            {"country_code": "JPN", "partner_code": "USA", "copapers_whole": 1,
             "salton_index": 1 / 30**0.5, "share_of_country_intl_pct": 50.0},
            {"country_code": "USA", "partner_code": "JPN", "copapers_whole": 1,
             "salton_index": 1 / 30**0.5, "share_of_country_intl_pct": 100.0},
        ]
    ]  # fmt: skip


def test_coverage_counts_every_exclusion(engine, load):
    got = engine.to_pyarrow(coverage_expression(_tables(load))).to_pylist()
    assert got == [
        {
            "publication_year": 2020,
            "works": 22,
            "counted": 20,
            "excluded_type": 1,
            "excluded_retracted": 1,
            "excluded_incomplete_year": 0,
            "excluded_no_references": 0,
            "excluded_no_country": 0,
            "counted_without_country": 1,
            "counted_without_field": 0,
            "counted_field_from_concepts": 1,
            "counted_without_references": 1,
            "counted_with_unmapped_country": 0,
        }
    ]


def test_works_without_a_country_can_be_left_out_of_the_world(cache, load, run):
    # W20 (no country) leaves F2: 9 papers, 0.9 top-10 % papers shared by the three papers tied
    # at 5 citations (W11–W13: 0.3 each). JPN in F2: 0.75 papers, 0.75 · 0.3 = 0.225 top.
    scope = Population(without_country=False)
    exprs = indicator_expressions(
        _tables(load), 2020, 2020, ComputeOptions(moving_window_years=1), cache=cache,
        scope=scope,
    )  # fmt: skip
    got = run(exprs["country_field_period"], KEYS)
    assert "XXX" not in {r["country_code"] for r in got}
    cols = [*KEYS, "papers_frac", "top10_frac", "world_papers", "world_share_frac_pct"]
    jpn_f2 = next(
        r for r in pick_(got, cols) if r["country_code"] == "JPN" and r["field_id"] == "F2"
    )
    assert jpn_f2 == pytest.approx(
        {"country_code": "JPN", "field_id": "F2", "papers_frac": 0.75, "top10_frac": 0.225,
         "world_papers": 9, "world_share_frac_pct": 100 * 0.75 / 9}
    )  # fmt: skip
    for field in ("F2", "all"):
        shares = [r["world_share_frac_pct"] for r in got if r["field_id"] == field]
        assert sum(shares) == pytest.approx(100.0)
    coverage = run(coverage_expression(_tables(load), scope), ["publication_year"])
    assert (coverage[0]["counted"], coverage[0]["excluded_no_country"]) == (19, 1)
