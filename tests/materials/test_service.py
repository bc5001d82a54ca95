"""Services on the tiny world: suppliers, CRMA, EU supply risk, scenarios, years."""

from __future__ import annotations

from typing import Any

import pytest

from scidip.errors import InvalidData, NotFound
from scidip.materials.service import (
    Context,
    ScenarioSpec,
    crma,
    eu_risk,
    parse_years,
    scenario,
    suppliers,
)

HHI_COBALT = (100**2 + 30.7**2 + 10**2) / 140.7**2


def test_parse_years() -> None:
    assert parse_years("2022") == [2022]
    assert parse_years("2018-2020,2024") == [2018, 2019, 2020, 2024]
    with pytest.raises(InvalidData):
        parse_years("last year")


def test_suppliers_of_cobalt_to_japan(ctx: Context) -> None:
    rows, summary = suppliers(ctx, "JPN", "cobalt", 2022)
    assert [
        (r["exporter"], r["quantity_t"], r["value_kusd"], r["wgi_normalised"]) for r in rows
    ] == [
        ("COD", 10.0, 1000.0, 0.9),
        ("CHN", 5.0, 600.0, 0.6),
        ("TWN", 2.0, 200.0, 0.35),
    ]
    assert [r["share_pct"] for r in rows] == pytest.approx([1000 / 17, 500 / 17, 200 / 17])
    assert summary["crma"] == {
        "material": "Cobalt", "economy": "JPN", "year": 2022, "top_supplier": "COD",
        "share_pct": pytest.approx(1000 / 17), "threshold_pct": 65.0, "exceeds": False,
        "reason": "",
    }  # fmt: skip
    assert summary["score"] == pytest.approx(HHI_COBALT * 12.7 / 17, rel=1e-14)


def test_crma_counts_own_production_in_the_base(ctx: Context) -> None:
    (check,) = crma(ctx, "JPN", 2022, ["Copper"])
    # AUS 40 t of 40 + 20 + own 100 t
    assert (check.top_supplier, check.share_pct, check.exceeds) == ("AUS", 25.0, False)


def test_eu_supply_risk(ctx: Context) -> None:
    (res,) = eu_risk(ctx, "JPN", 2022, ["Cobalt"], substitution_index=0.9)
    gs = (100 / 140.7) ** 2 * 9 + (30.7 / 140.7) ** 2 * 1 + (10 / 140.7) ** 2 * 6
    src = (10 / 17) ** 2 * 9 + (5 / 17) ** 2 * 6 + (2 / 17) ** 2 * 3.5
    assert (res.hhi_wgi_global, res.hhi_wgi_sourcing, res.import_reliance) == (
        pytest.approx(gs, rel=1e-14), pytest.approx(src, rel=1e-14), 1.0,
    )  # fmt: skip
    assert res.supply_risk == pytest.approx((gs / 2 + src / 2) * 0.78 * 0.9, rel=1e-14)


def test_restriction_scenario(ctx: Context) -> None:
    (res,) = scenario(ctx, "JPN", 2022, ["Cobalt"], ScenarioSpec("restrict", "CHN", 1.0))
    assert res.scenario == "CHN cuts exports by 100%"
    assert res.score_before == pytest.approx(HHI_COBALT * 12.7 / 17, rel=1e-14)
    # CHN's 5 t (weight 0.6) become a shortfall at weight 1: Japan still needs them
    assert res.score_after == pytest.approx(HHI_COBALT * 14.7 / 17, rel=1e-14)
    assert (res.shortfall_t, res.shortfall_pct) == (5.0, pytest.approx(100 * 5 / 17))
    assert res.note == "shortfall 5 t counted at the worst governance weight (1)"


def test_restriction_resourced_from_a_partner(ctx: Context) -> None:
    spec = ScenarioSpec("restrict", "CHN", 1.0, partners=("AUS",))
    (res,) = scenario(ctx, "JPN", 2022, ["Cobalt"], spec)
    # 5 t from AUS (WGI 0.1), weighted no better than CHN (0.6): unchanged score
    assert res.scenario == "CHN cuts exports by 100%, re-sourced from AUS"
    assert res.score_after == pytest.approx(res.score_before, rel=1e-14)
    assert (res.shortfall_t, res.resourced_t, res.partners) == (0.0, 5.0, ["AUS"])
    assert res.note == ("re-sourced 5 t: AUS +5 t (none before); weighted no better than CHN (0.6)")


def test_diversification_partners_can_be_filtered(ctx: Context) -> None:
    spec = ScenarioSpec("diversify", fraction=0.5, partners=("AUS", "CHN", "JPN", "USA"),
                        min_stability=0.0, exclude=("USA",))  # fmt: skip
    (res,) = scenario(ctx, "JPN", 2022, ["Cobalt"], spec)
    # CHN's estimate 2.5 − 5·0.6 = −0.5 is below 0; JPN is the importer; USA excluded
    assert res.partners == ["AUS"]
    assert res.note == (
        "partners: AUS; left out: CHN (stability -0.50 < +0.00); JPN (inside JPN); USA (excluded)"
    )
    assert [(s["source"], s["after_pct"]) for s in res.shares] == [
        ("AUS", pytest.approx(50.0)), ("COD", pytest.approx(100 * 5 / 17)),
        ("CHN", pytest.approx(100 * 2.5 / 17)), ("TWN", pytest.approx(100 * 1 / 17)),
    ]  # fmt: skip


def test_diversification_scenario_with_explicit_partners(ctx: Context) -> None:
    spec = ScenarioSpec("diversify", fraction=0.5, partners=("AUS",))
    (res,) = scenario(ctx, "JPN", 2022, ["Cobalt"], spec)
    # half of COD, CHN and TWN (8.5 t) moves to AUS (WGI 0.1)
    assert res.score_after == pytest.approx(HHI_COBALT * (12.7 / 2 + 0.85) / 17, rel=1e-14)


def test_recycling_scenario_uses_the_materials_rate(ctx: Context) -> None:
    (res,) = scenario(ctx, "JPN", 2022, ["Cobalt"], ScenarioSpec("recycling", fraction=0.61))
    assert res.scenario == "recycling input rate 22% -> 61%"
    assert res.score_after == pytest.approx(res.score_before * 0.39 / 0.78, rel=1e-14)


def test_scenario_without_imports_says_so(ctx: Context) -> None:
    (res,) = scenario(ctx, "DEU", 2022, ["Gold"], ScenarioSpec("substitution", fraction=0.2))
    assert (res.score_before, res.score_after, res.change) == (None, None, None)
    assert res.note.startswith("no score before the scenario")


def test_unknown_names_are_refused(ctx: Context) -> None:
    with pytest.raises(NotFound):
        scenario(ctx, "Atlantis", 2022, ["Cobalt"], ScenarioSpec("substitution", fraction=0.2))
    with pytest.raises(NotFound):
        suppliers(ctx, "JPN", "Unobtainium", 2022)
    with pytest.raises(InvalidData):
        scenario(ctx, "JPN", 2022, ["Cobalt"], ScenarioSpec("teleport"))


def test_all_importers(ctx: Context) -> None:
    from scidip.materials.service import risk

    results = risk(ctx, ["all"], [2022], ["Copper"])
    assert [(r.economy, r.status) for r in results] == [
        ("FRA", "no score"), ("DEU", "ok"), ("JPN", "ok"), ("USA", "ok"),
    ]  # fmt: skip


def test_crma_for_a_group_leaves_internal_trade_out(ctx: Context) -> None:
    (check,) = crma(ctx, "EU27", 2022, ["Cobalt"])
    # extra-EU: COD 6 t into DEU; FRA→DEU 4 t and DEU→FRA 1 t stay inside; no own production
    assert (check.top_supplier, check.share_pct, check.exceeds) == ("COD", 100.0, True)


def test_eu_supply_risk_on_global_supply_where_sourcing_is_unknown(ctx: Context) -> None:
    ga, ge = eu_risk(ctx, "JPN", 2022, ["Gallium", "Germanium"])
    # China produces all of both; its normalised WGI 0.6 is 6 on 0–10: HHI_WGI,GS = 6
    assert (ga.supply_risk, ga.sourcing_basis, ga.import_reliance, ga.global_supply) == (
        6.0, "global supply", None, "CHN 100.0%",
    )  # fmt: skip
    assert ga.reason == (
        "the bundled trade data (HS 1992, six digits) has no code of its own for gallium: it is "
        "traded in 8112.91/8112.99 together with hafnium, indium, niobium, rhenium, thallium: "
        "sourcing unknown, so global supply stands for it (the EU method's rule); "
        "SR = HHI_WGI,GS × (1 − EoL-RIR) × SI_SR"
    )
    assert ge.supply_risk == pytest.approx(6.0 * 0.98, rel=1e-14)
    assert ge.reason.startswith("BACI records no trade in HS92 811230 in 2022")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: eu_risk(c, "EU27", 2017),
        lambda c: crma(c, "EU27", 2030, None),
        lambda c: suppliers(c, "JPN", "Cobalt", 2030),
        lambda c: scenario(c, "JPN", 2030, None, ScenarioSpec("substitution", fraction=0.1)),
    ],
)
def test_years_without_production_data_are_refused(ctx: Context, call: Any) -> None:
    with pytest.raises(InvalidData, match=r"no production data for 20\d\d \(World Mining Data"):
        call(ctx)


def test_the_eus_published_supply_risk() -> None:
    from scidip.materials.eu import published_sr

    found = {p.material: (p.sr, p.compared) for p in published_sr()}
    assert (found["Gallium"], found["Germanium"], found["Rare earth"]) == (
        (3.9, True), (1.8, True), (3.7, False),
    )  # fmt: skip


def test_crma_and_suppliers_say_why_there_is_no_check(ctx: Context) -> None:
    (ga,) = crma(ctx, "JPN", 2022, ["Gallium"])
    assert (ga.share_pct, ga.exceeds) == (None, None)
    assert ga.reason.endswith(
        "; world production: CHN 100.0% (sourced as the world produces, CHN's share would be "
        "above the 65 % benchmark)"
    )
    rows, summary = suppliers(ctx, "DEU", "Gold", 2022)
    assert (rows, summary["reason"], summary["crma"]["reason"]) == (
        [], "no recorded imports of Gold into DEU in 2022",
        "no recorded imports of Gold into DEU in 2022",
    )  # fmt: skip
