"""Bootstrap stability intervals of shares and ranks."""

from __future__ import annotations

import pyarrow as pa

from scidip.indicators.method import MethodName
from scidip.indicators.tech import service
from scidip.indicators.tech.stability import intervals


def test_a_country_holding_every_top_paper_has_a_point_interval(planted_store, syn_list):
    service.compute(planted_store, [syn_list], methods=(MethodName.scidip,))
    got = service.stability(
        planted_store, [syn_list], "syn/switch", 2020, 5, exclude_same_country=True, samples=200
    )
    assert got == [
        {"country_code": "USA", "share_pct": 100.0, "share_lb": 100.0, "share_ub": 100.0,
         "rank": 1, "rank_lb": 1, "rank_ub": 1},
        {"country_code": "CHN", "share_pct": 0.0, "share_lb": 0.0, "share_ub": 0.0,
         "rank": 2, "rank_lb": 2, "rank_ub": 2},
        {"country_code": "JPN", "share_pct": 0.0, "share_lb": 0.0, "share_ub": 0.0,
         "rank": 3, "rank_lb": 3, "rank_ub": 3},
    ]  # fmt: skip


ROWS = pa.table(
    {
        # Paper 1: AAA; paper 2: BBB; paper 3: AAA and BBB half each; paper 4: no top weight.
        "work_key": [1, 2, 3, 3, 4],
        "country_code": ["AAA", "BBB", "AAA", "BBB", "CCC"],
        "paper_weight_frac": [1.0, 1.0, 0.5, 0.5, 1.0],
        "top10_weight": [1.0, 1.0, 1.0, 1.0, 0.0],
    }
)


def test_intervals_hold_the_point_value_and_repeat_with_the_seed():
    a = intervals(ROWS, samples=400, seed=1)
    assert [(r["country_code"], r["share_pct"], r["rank"]) for r in a] == [
        ("AAA", 50.0, 1),  # equal shares: by code
        ("BBB", 50.0, 2),
        ("CCC", 0.0, 3),
    ]
    for r in a:
        assert r["share_lb"] <= r["share_pct"] <= r["share_ub"]
        assert r["rank_lb"] <= r["rank_ub"]
    # Any draw of 4 papers gives AAA and BBB shares from 0 to 100 %; CCC never has a share.
    assert (a[0]["share_lb"], a[0]["share_ub"]) == (0.0, 100.0)
    assert (a[0]["rank_lb"], a[0]["rank_ub"], a[2]["rank_lb"], a[2]["rank_ub"]) == (1, 2, 3, 3)
    assert intervals(ROWS, samples=400, seed=1) == a
    assert intervals(ROWS.slice(0, 0), samples=10) == []
