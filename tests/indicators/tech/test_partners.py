"""The home country's trend, and partners strong where it is weak with their agreement status
(the registry's coverage rule, on the succession fixture: USA in force, CHN none)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scidip.indicators.method import MethodName
from scidip.indicators.tech import service
from scidip.indicators.tech.partners import agreement_status, strong_where_weak, trend


def test_agreement_status_is_the_registrys_coverage(registry: Session):
    status = agreement_status(registry, "JPN", date(2022, 12, 31))
    assert (status["USA"], status["KAZ"], status.get("CHN")) == ("in force", "in force", None)
    assert len(status) == 21


def test_partners_strong_where_we_are_weak_carry_their_agreement(
    registry: Session, planted_store, syn_list
):
    service.compute(planted_store, [syn_list], methods=(MethodName.scidip,))
    rows = service.read_rows(planted_store, MethodName.scidip, False, 5)
    status = agreement_status(registry, "JPN", date(2022, 12, 31))
    got = [
        (r["tech_key"], r["home_rank"], r["partner"], round(r["share_pct"], 2), r["agreement"])
        for r in strong_where_weak(rows, "JPN", status)
    ]
    assert got == [
        ("syn/lead2", 3, "CHN", 66.67, "none recorded"),
        ("syn/lead2", 3, "USA", 33.33, "in force"),
        ("syn/lead3", 2, "USA", 75.0, "in force"),
        ("syn/switch", 2, "CHN", 100.0, "none recorded"),  # USA's 0 % is not ahead of ours
    ]
    # Where the home country leads, nothing is listed.
    assert strong_where_weak(rows, "USA", status) == [
        r for r in strong_where_weak(rows, "USA", status) if r["tech_key"] != "syn/lead3"
    ]


def test_trend_compares_with_the_window_five_years_earlier(planted_store, syn_list):
    service.compute(planted_store, [syn_list], methods=(MethodName.scidip,))
    annual = service.read_rows(planted_store, MethodName.scidip, False, 1)
    got = trend(annual, "JPN", step=4)  # 2020 beside 2016
    assert [(r["tech_key"], r["period_end"], r["rank"], r["share_pct"], r["earlier_rank"],
             r["earlier_share_pct"], r["lead"]) for r in got] == [
        ("syn/lead2", 2020, 3, 0.0, 3, 0.0, "CHN"),
        ("syn/lead3", 2020, 2, 25.0, 2, 25.0, "USA"),
        ("syn/switch", 2020, 2, 0.0, 2, 0.0, "CHN"),
    ]  # fmt: skip
    assert trend(annual, "KOR") == [
        {**r, "rank": None, "share_pct": None, "earlier_rank": None, "earlier_share_pct": None}
        for r in got
    ]
