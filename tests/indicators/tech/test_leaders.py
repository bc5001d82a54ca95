"""Leaders, ranks, HHI and the monopoly-risk rules on hand-made rows."""

from __future__ import annotations

from typing import Any

import pytest

from scidip.errors import InvalidData
from scidip.indicators.tech.leaders import leaders, position, ranked


def _row(country: str, top10_frac: float, top10_whole: float, papers: float) -> dict[str, Any]:
    return {
        "tech_key": "t/x", "period_years": 5, "period_start": 2016, "period_end": 2020,
        "country_code": country, "papers_whole": papers, "papers_frac": papers,
        "top10_whole": top10_whole, "top10_frac": top10_frac,
        "world_papers": 100.0, "world_top10": 10.0,
    }  # fmt: skip


ROWS = [
    _row("USA", 4.0, 5.0, 40.0),
    _row("CHN", 4.0, 4.0, 30.0),  # tied with USA on fractional counts: by code, CHN first
    _row("JPN", 1.5, 3.0, 20.0),
    _row("XXX", 0.5, 0.5, 10.0),  # no country: in the world total, never ranked
]


def test_equal_shares_rank_by_code_and_no_country_is_never_ranked():
    got = ranked(ROWS)[("t/x", 5, 2016, 2020)]
    assert [(m["country_code"], m["rank"], m["share_pct"]) for m in got] == [
        ("CHN", 1, 40.0),
        ("USA", 2, 40.0),
        ("JPN", 3, 15.0),
    ]


def test_the_lead_its_ratio_hhi_and_risk_by_each_rule():
    # HHI over the known countries' fractional top 10 % (9.5): (4² + 4² + 1.5²) / 9.5².
    hhi = (16 + 16 + 2.25) / 90.25
    frac = leaders(ROWS)[0]
    assert frac == {
        "tech_key": "t/x", "period_years": 5, "period_start": 2016, "period_end": 2020,
        "lead": "CHN", "lead_share_pct": 40.0, "second": "USA", "second_share_pct": 40.0,
        "lead_ratio": 1.0, "hhi": pytest.approx(hhi), "world_top10": 10.0, "risk": "low",
    }  # fmt: skip
    whole = leaders(ROWS, counting="whole")[0]
    assert (whole["lead"], whole["second"], whole["lead_ratio"]) == ("USA", "CHN", 1.25)
    assert leaders(ROWS, rule="hhi")[0]["risk"] == "high"  # 0.379 > 0.25


@pytest.mark.parametrize(
    ("second", "risk_ratio", "risk_hhi"),
    [(1.0, "high", "high"), (1.5, "medium", "high"), (2.0, "low", "high"), (0.0, "high", "high")],
)
def test_the_risk_thresholds(second: float, risk_ratio: str, risk_hhi: str):
    rows = [_row("AAA", 3.0, 3.0, 1.0), _row("BBB", second, second, 1.0)]
    assert leaders(rows)[0]["risk"] == risk_ratio
    assert leaders(rows, rule="hhi")[0]["risk"] == risk_hhi


def test_hhi_thresholds_of_the_merger_guidelines():
    even = [_row(c, 1.0, 1.0, 1.0) for c in ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")]
    assert leaders(even, rule="hhi")[0]["risk"] == "medium"  # 6 × (1/6)² = 0.1667
    seven = [*even, _row("GGG", 1.0, 1.0, 1.0)]
    assert leaders(seven, rule="hhi")[0]["risk"] == "low"  # 1/7 = 0.143


def test_a_countrys_position_beside_the_leader():
    assert position(ROWS, "JPN") == [
        {"tech_key": "t/x", "period_years": 5, "period_start": 2016, "period_end": 2020,
         "rank": 3, "top10_share_pct": 15.0, "papers_share_pct": 20.0,
         "lead": "CHN", "lead_share_pct": 40.0}
    ]  # fmt: skip
    assert position(ROWS, "KOR") == []


def test_unknown_counting_or_rule_is_refused():
    with pytest.raises(InvalidData, match="counting must be one of frac, whole"):
        leaders(ROWS, counting="fractional")
    with pytest.raises(InvalidData, match="risk rule must be one of lead-ratio, hhi"):
        leaders(ROWS, rule="aspi")
