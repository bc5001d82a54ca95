"""Services on the tiny world: suppliers, CRMA, EU supply risk, scenarios, years."""

from __future__ import annotations

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
