"""Scenarios on a hand-made supply: A 60 t (g 0.8), B 30 t (g 0.2), C 10 t (inside), own 100 t."""

from __future__ import annotations

import pytest

from scidip.errors import InvalidData
from scidip.materials import scenario as sc
from scidip.materials.economies import Economy
from scidip.materials.flows import Flow, Supply

ECON = Economy("HOME", "Home", (1, 3))


def _supply() -> Supply:
    flows = [
        Flow(10, "A", 60.0, 600.0, 0.8, False),
        Flow(20, "B", 30.0, 300.0, 0.2, False),
        Flow(3, "C", 10.0, 100.0, 0.5, True),
    ]
    return Supply("X", ECON, 2022, 0.5, 100.0, flows)


def test_score_of_the_base_supply() -> None:
    # 0.5 × (60·0.8 + 30·0.2 + 10·0) / (100 + 100) = 0.5 × 54 / 200
    assert sc.score(_supply()) == pytest.approx(0.135, rel=1e-15)


def test_export_restriction_without_resourcing() -> None:
    after = sc.restrict_exports(_supply(), 10, 0.5, resource=False)
    # A 30 t: 0.5 × (24 + 6) / (70 + 100)
    assert sc.score(after) == pytest.approx(0.5 * 30 / 170, rel=1e-15)


def test_export_restriction_resourced_pro_rata() -> None:
    after = sc.restrict_exports(_supply(), 10, 0.5, resource=True)
    # the 30 t lost go to B, the only other external supplier: B 60 t
    assert [f.quantity_t for f in after.flows] == [30.0, 60.0, 10.0]
    assert sc.score(after) == pytest.approx(0.5 * (24 + 12) / 200, rel=1e-15)


def test_recycling_scales_imports_and_primary_production() -> None:
    after = sc.raise_recycling(_supply(), rate=0.6, baseline=0.2)
    # k = 0.4 / 0.8 = 0.5; recycled 100 t of 200 t
    assert after.secondary_t == pytest.approx(100.0)
    assert sc.score(after) == pytest.approx(0.135 * 0.5, rel=1e-14)
    assert sc.raise_recycling(_supply(), rate=0.1, baseline=0.2) == _supply()


def test_substitution_cuts_imports_first() -> None:
    after = sc.substitute(_supply(), 0.25)
    # demand 150 t, own 100 t: imports 50 t of 100 t, each halved
    assert [f.quantity_t for f in after.flows] == [30.0, 15.0, 5.0]
    assert sc.score(after) == pytest.approx(0.5 * 27 / 150, rel=1e-15)


def test_diversification_moves_a_share_to_partners() -> None:
    after = sc.diversify(_supply(), 0.5, [20, 99], {20: 0.2, 99: 0.1}, {99: "P"})
    # 50 % of A (the only non-partner external supplier) = 30 t, split pro rata to current
    # imports of the partners: B has 30 t, P none -> all 30 t to B
    assert {f.exporter: f.quantity_t for f in after.flows} == {
        "A": 30.0,
        "C": 10.0,
        "B": 60.0,
        "P": 0.0,
    }
    assert sc.score(after) == pytest.approx(0.5 * (24 + 12) / 200, rel=1e-15)


def test_diversification_to_new_partners_splits_equally() -> None:
    after = sc.diversify(_supply(), 0.5, [98, 99], {98: 0.1, 99: None}, {98: "P", 99: "Q"})
    # 50 % of A and B = 45 t, 22.5 t each; Q without WGI weighs 0.5
    expected = 0.5 * (30 * 0.8 + 15 * 0.2 + 22.5 * 0.1 + 22.5 * 0.5) / 200
    assert sc.score(after) == pytest.approx(expected, rel=1e-15)


def test_diversification_needs_an_outside_partner() -> None:
    with pytest.raises(InvalidData):
        sc.diversify(_supply(), 0.5, [1, 3], {}, {})


def test_fractions_are_checked() -> None:
    with pytest.raises(InvalidData):
        sc.substitute(_supply(), 1.5)


def test_compare_reports_change_and_weighted_tonnes() -> None:
    base = _supply()
    res = sc.compare(base, sc.substitute(base, 0.25), "demand cut by 25%")
    assert (res.score_before, res.risk_weighted_t_before, res.risk_weighted_t_after) == (
        pytest.approx(0.135), pytest.approx(54.0), pytest.approx(27.0),
    )  # fmt: skip
    assert res.change == pytest.approx(0.09 - 0.135)
    assert res.change_pct == pytest.approx(-100 / 3)
