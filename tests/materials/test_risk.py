"""Every combination answered or refused, with reasons; corrections listed next to the number."""

from __future__ import annotations

import pytest

from scidip.materials.grid import Mode
from scidip.materials.risk import RiskResult
from scidip.materials.service import Context, risk

HHI_COBALT_EXACT = (100**2 + 30.7**2 + 10**2) / 140.7**2


def _by_key(results: list[RiskResult]) -> dict[tuple[str, str, int], RiskResult]:
    return {(r.material, r.economy, r.year): r for r in results}


def test_every_requested_combination_is_answered_in_order(ctx: Context) -> None:
    results = risk(ctx, ["JPN", "DEU"], [2020, 2022], ["Cobalt", "Gallium"])
    assert [(r.material, r.economy, r.year, r.status) for r in results] == [
        ("Cobalt", "JPN", 2020, "refused"),
        ("Cobalt", "JPN", 2022, "ok"),
        ("Cobalt", "DEU", 2020, "refused"),
        ("Cobalt", "DEU", 2022, "ok"),
        ("Gallium", "JPN", 2020, "refused"),
        ("Gallium", "JPN", 2022, "estimate"),
        ("Gallium", "DEU", 2020, "refused"),
        ("Gallium", "DEU", 2022, "estimate"),
    ]
    reasons = {r.reason for r in results if r.status == "refused"}
    assert reasons == {
        "no production data for 2020 (World Mining Data in the store: 2021–2022)",
    }


def test_a_material_trade_cannot_identify_is_estimated_on_global_supply(ctx: Context) -> None:
    r = _by_key(risk(ctx, ["JPN"], [2022], ["Gallium"]))[("Gallium", "JPN", 2022)]
    # China produces all of it (HHI 1) and weighs 0.6
    assert (r.status, r.score, r.hhi, r.import_risk, r.imports_t, r.cf_kg_cu_eq) == (
        "estimate", pytest.approx(0.6), 1.0, pytest.approx(0.6), None, None,
    )  # fmt: skip
    assert r.reason == (
        "the bundled trade data (HS 1992, six digits) has no code of its own for gallium: it is "
        "traded in 8112.91/8112.99 together with hafnium, indium, niobium, rhenium, thallium; "
        "estimated from global supply (the EU method's rule where sourcing is unknown): as if "
        "JPN drew on world production as shared (CHN 100.0%)"
    )
    assert r.cf_reason == "no CF: no import price without trade data"
    (china,) = risk(ctx, ["CHN"], [2022], ["Gallium"])
    # its own production weighs 0
    assert (china.score, china.production_t) == (0.0, 300.0)
    assert china.reason.endswith("(CHN 100.0%); own production 300 t weighs 0")


def test_default_mode_lists_its_corrections(ctx: Context) -> None:
    r = _by_key(risk(ctx, ["JPN"], [2022], ["Cobalt"]))[("Cobalt", "JPN", 2022)]
    assert r.score == pytest.approx(HHI_COBALT_EXACT * 12.7 / 17, rel=1e-14)
    assert r.score_peer == pytest.approx((11000 / 19600) * 13 / 17, rel=1e-14)
    assert r.corrections == [
        "1 trade rows without quantity (value 500 kUSD) left out of price and quantities "
        "(peer keeps their value: higher price)",
        "Taiwan (BACI 'Other Asia, nes') weighted by its own WGI score (peer: 0.5)",
        "HHI from unrounded production (peer truncates to whole units)",
        "CF divided by copper's score × price for this economy and year (peer: constant)",
        # Taiwan (2 of 17 t) produces no cobalt in the tiny world
        "suppliers World Mining Data records no production of Cobalt for: TWN 12% of imports "
        "(re-exporters or processors, not the origin)",
        "production is mine output, trade is cobalt oxides, mattes and unwrought metal; "
        "refiners and re-exporters appear as origins",
    ]


def test_no_imports_gives_no_score_with_the_reason(ctx: Context) -> None:
    results = _by_key(risk(ctx, ["DEU", "JPN"], [2022], ["Gold", "Germanium"]))
    gold = results[("Gold", "DEU", 2022)]
    assert (gold.status, gold.score) == ("no score", None)
    assert gold.reason == "no recorded imports of Gold into DEU in 2022 (peer reports 0)"
    assert gold.score_peer == 0.0
    germanium = results[("Germanium", "JPN", 2022)]
    assert (germanium.status, germanium.score) == ("estimate", pytest.approx(0.6))
    assert germanium.reason.startswith(
        "BACI records no trade in HS92 811230 in 2022: since HS 2007 germanium is traded in "
        "8112.92/8112.99 with gallium, hafnium, indium, niobium, rhenium, vanadium; estimated "
        "from global supply"
    )


def test_the_peers_cf_is_the_peers_number(ctx: Context) -> None:
    default = _by_key(risk(ctx, ["JPN"], [2022], ["Cobalt"]))[("Cobalt", "JPN", 2022)]
    (peer,) = risk(ctx, ["JPN"], [2022], ["Cobalt"], Mode.peer)
    assert default.cf_peer == peer.cf_peer
    # ours: score × price over copper's (0.0375 × 20 USD/kg)
    assert default.cf_kg_cu_eq == pytest.approx(
        default.score * (1800 / 17) / (0.375 * 0.1 * 20), rel=1e-14
    )
    assert default.cf_reason == ""


def test_no_cf_without_copper_says_why(ctx: Context) -> None:
    (r,) = risk(ctx, ["DEU"], [2022], ["Cobalt"])
    assert r.cf_kg_cu_eq is not None
    (f,) = risk(ctx, ["FRA"], [2022], ["Cobalt"])
    # France imports cobalt from Germany but no copper
    assert (f.status, f.cf_kg_cu_eq) == ("ok", None)
    assert f.cf_reason == (
        "no CF: copper has no score for FRA in 2022 (no recorded imports of copper ore)"
    )


def test_exporters_without_governance_are_flagged(ctx: Context) -> None:
    r = _by_key(risk(ctx, ["USA"], [2022], ["Cobalt"]))[("Cobalt", "USA", 2022)]
    # UMI's WGI text is 'None': weighted 0.5 and said so; 7 t of 7 t
    assert r.score == pytest.approx(HHI_COBALT_EXACT * 0.5, rel=1e-14)
    assert "exporters without a WGI score weighted 0.5: UMI (100.0% of imports)" in r.corrections
    assert r.score_peer is None  # the peer stops on that exporter


def test_natural_gas_correction_is_reported(ctx: Context) -> None:
    r = _by_key(risk(ctx, ["JPN"], [2022], ["Natural gas"]))[("Natural gas", "JPN", 2022)]
    assert r.production_t == 1600.0
    assert r.corrections[0] == (
        "own production converted from million m³ to t at 0.8 kg/m³ "
        "(peer adds million m³ to tonnes)"
    )


def test_compat_mode_reports_peer_numbers_and_refusals(ctx: Context) -> None:
    results = _by_key(risk(ctx, ["USA", "JPN"], [2022], ["Cobalt", "Germanium"], Mode.peer))
    usa = results[("Cobalt", "USA", 2022)]
    assert usa.status == "refused"
    assert usa.reason == (
        "geopolrisk-py 2.0.1 raises ValueError on governance text 'None' of UMI and stops its batch"
    )
    germanium = results[("Germanium", "JPN", 2022)]
    assert (germanium.status, germanium.score, germanium.corrections) == (
        "ok", 0.0, ["peer reports 0: no recorded imports"],
    )  # fmt: skip
    assert results[("Cobalt", "JPN", 2022)].cf_peer == pytest.approx(
        (11000 / 19600) * 13 / 17 * (2300 / 17) / 0.409412948, rel=1e-14
    )


def test_compat_nan_is_flagged(ctx: Context) -> None:
    r = risk(ctx, ["USA"], [2022], ["Copper"], Mode.peer)[0]
    assert r.corrections == ["peer's score is NaN: governance text 'nan' for PYF"]


def test_a_combination_asked_twice_is_answered_once(ctx: Context) -> None:
    results = risk(ctx, ["JPN", "jpn"], [2022, 2022, 2020], ["Copper", "copper"])
    assert [(r.material, r.economy, r.year, r.status) for r in results] == [
        ("Copper", "JPN", 2022, "ok"),
        ("Copper", "JPN", 2020, "refused"),
    ]
