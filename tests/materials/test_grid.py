"""The vectorised method on the tiny world, against hand-computed values (see conftest)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from scidip.materials.grid import Mode, compute
from scidip.materials.service import Context

HHI_COBALT_EXACT = (100**2 + 30.7**2 + 10**2) / 140.7**2
HHI_COBALT_PEER = (100**2 + 30**2 + 10**2) / 140**2  # production truncated to integers


def _rows(ctx: Context, economies: list[str], materials: list[str], mode: Mode) -> dict[Any, Any]:
    econ = [ctx.economy(e) for e in economies]
    table = compute(ctx.con, econ, [2022], materials, mode)
    return {(r["material"], r["economy"]): r for r in table.to_pylist()}


def test_cobalt_japan_default(ctx: Context) -> None:
    row = _rows(ctx, ["JPN"], ["Cobalt"], Mode.default)[("Cobalt", "JPN")]
    # rows with a quantity only: COD 10 (0.9), CHN 5 (0.6), Taiwan 2 (0.35); AUS's NULL row out
    assert row["imports_t"] == 17
    assert row["weighted_t"] == pytest.approx(9 + 3 + 0.7, rel=1e-15)
    assert row["hhi"] == pytest.approx(HHI_COBALT_EXACT, rel=1e-15)
    assert row["import_risk"] == pytest.approx(12.7 / 17, rel=1e-15)
    assert row["score"] == pytest.approx(HHI_COBALT_EXACT * 12.7 / 17, rel=1e-14)
    assert row["price_usd_per_kg"] == pytest.approx(1800 / 17, rel=1e-15)
    assert (row["n_noqty"], row["noqty_kusd"], row["taiwan"]) == (1, 500.0, True)
    # CF: divided by copper's score × price (0.0375 × 20) for Japan 2022
    assert row["cf_kg_cu_eq"] == pytest.approx(row["score"] * 1800 / 17 / 0.75, rel=1e-14)


def test_cobalt_japan_peer(ctx: Context) -> None:
    row = _rows(ctx, ["JPN"], ["Cobalt"], Mode.peer)[("Cobalt", "JPN")]
    # NULL quantity -> 0 but value 500 kept; Taiwan unknown to the peer -> 0.5
    assert row["imports_t"] == 17
    assert row["weighted_t"] == pytest.approx(9 + 3 + 1, rel=1e-15)
    assert row["hhi"] == pytest.approx(HHI_COBALT_PEER, rel=1e-15)
    assert row["price_usd_per_kg"] == pytest.approx(2300 / 17, rel=1e-15)
    score = HHI_COBALT_PEER * 13 / 17
    assert row["score"] == pytest.approx(score, rel=1e-14)
    assert row["cf_peer"] == pytest.approx(score * 2300 / 17 / 0.409412948, rel=1e-14)


def test_copper_japan_counts_own_production(ctx: Context) -> None:
    row = _rows(ctx, ["JPN"], ["Copper"], Mode.default)[("Copper", "JPN")]
    # (40·0.1 + 20·0.6) / (60 + 100) = 0.1; HHI (50² + 50² + 100²) / 200² = 0.375
    assert row["import_risk"] == pytest.approx(0.1, rel=1e-15)
    assert row["score"] == pytest.approx(0.0375, rel=1e-14)
    assert row["cf_kg_cu_eq"] == pytest.approx(1.0, rel=1e-14)


def test_natural_gas_units(ctx: Context) -> None:
    default = _rows(ctx, ["JPN"], ["Natural gas"], Mode.default)[("Natural gas", "JPN")]
    peer = _rows(ctx, ["JPN"], ["Natural gas"], Mode.peer)[("Natural gas", "JPN")]
    # imports 1000 t (AUS, 0.1) + 500 t (USA, 0.4): weighted 300 t; own 2 million m³
    assert default["own_t"] == 1600.0  # 2 × 10⁶ m³ × 0.8 kg/m³
    assert peer["own_t"] == 2.0  # the peer adds million m³ to tonnes
    assert default["import_risk"] == pytest.approx(300 / 3100, rel=1e-15)
    assert peer["import_risk"] == pytest.approx(300 / 1502, rel=1e-15)
    assert default["hhi"] == pytest.approx(1004 / 1764, rel=1e-15)


def test_gold_own_production_from_kg(ctx: Context) -> None:
    for mode in Mode:
        row = _rows(ctx, ["JPN"], ["Gold"], mode)[("Gold", "JPN")]
        assert row["own_t"] == 0.5
        assert row["import_risk"] == pytest.approx(0.01 / 0.6, rel=1e-14)


def test_germanium_without_trade(ctx: Context) -> None:
    default = _rows(ctx, ["JPN"], ["Germanium"], Mode.default)[("Germanium", "JPN")]
    peer = _rows(ctx, ["JPN"], ["Germanium"], Mode.peer)[("Germanium", "JPN")]
    assert (default["world_trade_rows"], default["score"]) == (0, None)
    assert (peer["score"], peer["import_risk"], peer["price_usd_per_kg"]) == (0.0, 0.0, 0.0)


def test_eu_trade_inside_the_group_carries_no_risk(ctx: Context) -> None:
    row = _rows(ctx, ["EU27"], ["Cobalt"], Mode.default)[("Cobalt", "EU27")]
    # into DEU: FRA 4 t (inside, 0) + COD 6 t (0.9); into FRA: DEU 1 t (inside, 0)
    assert row["imports_t"] == 11
    assert row["weighted_t"] == pytest.approx(5.4, rel=1e-15)
    assert row["score"] == pytest.approx(HHI_COBALT_EXACT * 5.4 / 11, rel=1e-14)


def test_user_group(ctx: Context) -> None:
    ctx.groups = {"JD": ["JPN", "DEU"]}
    row = _rows(ctx, ["JD"], ["Copper"], Mode.default)[("Copper", "JD")]
    # JPN: AUS 40 (0.1) + CHN 20 (0.6); DEU: AUS 10 (0.1); own production JPN 100
    assert row["import_risk"] == pytest.approx((4 + 12 + 1) / 170, rel=1e-15)


def test_peer_governance_quirks(ctx: Context) -> None:
    rows = _rows(ctx, ["USA"], ["Cobalt", "Copper"], Mode.peer)
    assert rows[("Cobalt", "USA")]["bad_gov"] == ["UMI"]  # text 'None': the peer raises
    assert math.isnan(rows[("Copper", "USA")]["score"])  # text 'nan': the peer's NaN
