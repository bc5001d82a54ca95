"""Additive counts: counted rows, world counts from reference levels, periods; on every engine."""

from __future__ import annotations

import pyarrow as pa
import pytest

from scidip.indicators.counts import paper_country_rows, periodise, world_counts


def test_paper_country_rows_keep_only_counted_papers(load, run):
    rows = load(
        pa.table(
            {
                "work_key": [1, 1, 2, 3, 4],
                "country_code": ["JPN", "USA", "JPN", "DEU", "FRA"],
                "paper_weight_frac": [0.5, 0.5, 1.0, 1.0, 1.0],
                "is_international": [True, True, False, False, False],
                "partner_codes": [["USA"], ["JPN"], [], [], []],
                "publication_year": [2020] * 5,
                "field_id": ["17"] * 5,
                "work_type": ["article", "article", "review", "preprint", "article"],
                "is_retracted": [False, False, False, False, True],
                "cited_by_count": [3, 3, 0, 9, 9],
            }
        )
    )
    got = run(paper_country_rows(rows), ["work_key", "country_code"])
    # Work 3 is a preprint and work 4 is retracted: only works 1 and 2 count.
    assert [(r["work_key"], r["country_code"]) for r in got] == [
        (1, "JPN"),
        (1, "USA"),
        (2, "JPN"),
    ]


def test_world_counts_sum_papers_times_weights_over_levels(load, run):
    # Field F, 2020: 1 paper at 50 (t10 = 1, t1 = 0.2), 3 at 30 (1/3, 0), 16 at 10 (0, 0).
    levels = load(
        pa.table(
            {
                "field_id": ["F", "F", "F", "G"],
                "publication_year": [2020, 2020, 2020, 2021],
                "citations": [50, 30, 10, 0],
                "papers": [1, 3, 16, 5],
                "top10_weight": [1.0, 1 / 3, 0.0, 0.1],
                "top1_weight": [0.2, 0.0, 0.0, 0.01],
            }
        )
    )
    got = run(world_counts(levels), ["field_id"])
    assert got == [
        pytest.approx(
            {"field_id": "F", "publication_year": 2020, "world_papers": 20,
             "world_top10": 2.0, "world_top1": 0.2}
        ),
        pytest.approx(
            {"field_id": "G", "publication_year": 2021, "world_papers": 5,
             "world_top10": 0.5, "world_top1": 0.05}
        ),
    ]  # fmt: skip


def test_periods_of_one_and_three_years_at_once(load, run):
    # Annual papers of JPN in 2018 … 2021: 1, 2, 4, 8. Three-year windows inside 2018–2021:
    # 2018–2020 (7) and 2019–2021 (14); no partial window at either edge.
    annual = load(
        pa.table(
            {
                "country_code": ["JPN"] * 4,
                "publication_year": [2018, 2019, 2020, 2021],
                "papers_whole": [1, 2, 4, 8],
            }
        )
    )
    got = run(
        periodise(annual, ["country_code"], ["papers_whole"], [1, 3], 2018, 2021),
        ["period_years", "period_end"],
        ["period_years", "period_start", "period_end", "papers_whole"],
    )
    assert got == [
        {"period_years": 1, "period_start": 2018, "period_end": 2018, "papers_whole": 1},
        {"period_years": 1, "period_start": 2019, "period_end": 2019, "papers_whole": 2},
        {"period_years": 1, "period_start": 2020, "period_end": 2020, "papers_whole": 4},
        {"period_years": 1, "period_start": 2021, "period_end": 2021, "papers_whole": 8},
        {"period_years": 3, "period_start": 2018, "period_end": 2020, "papers_whole": 7},
        {"period_years": 3, "period_start": 2019, "period_end": 2021, "papers_whole": 14},
    ]
