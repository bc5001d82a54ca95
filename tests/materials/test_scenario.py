"""Scenarios on a hand-made supply: A 60 t (g 0.8), B 30 t (g 0.2), C 10 t (inside), own 100 t."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_export_restriction_keeps_the_lost_supply_as_a_shortfall() -> None:
    after = sc.restrict_exports(_supply(), 10, 0.5, resource=False)
    # A 30 t; the 30 t lost stay in supply as a shortfall at weight 1:
    # 0.5 × (30·0.8 + 30·0.2 + 30·1) / (100 + 30 + 100)... supply is still 200 t
    assert after.shortfall_t == 30.0
    assert sc.score(after) == pytest.approx(0.5 * (24 + 6 + 30) / 200, rel=1e-15)
    res = sc.compare(_supply(), after, "A cuts 50%")
    assert (res.shortfall_t, res.shortfall_pct, res.supply_t, res.resourced_t) == (
        30.0, 15.0, 200.0, 0.0,
    )  # fmt: skip
    assert res.shares == [
        {"source": "(shortfall)", "before_t": 0.0, "after_t": 30.0, "before_pct": 0.0,
         "after_pct": 15.0, "weight": 1.0},
        {"source": "A", "before_t": 60.0, "after_t": 30.0, "before_pct": 30.0, "after_pct": 15.0,
         "weight": 0.8},
    ]  # fmt: skip


def test_export_restriction_resourced_pro_rata_weighs_no_better_than_the_supplier() -> None:
    after = sc.restrict_exports(_supply(), 10, 0.5, resource=True)
    # the 30 t lost come from B, the only other external supplier, as a separate flow that
    # weighs max(0.2, A's 0.8) = 0.8: the score is unchanged
    assert [(f.exporter, f.quantity_t, f.weight) for f in after.flows] == [
        ("A", 30.0, 0.8), ("B", 30.0, 0.2), ("C", 10.0, 0.0), ("B", 30.0, 0.8),
    ]  # fmt: skip
    assert sc.score(after) == pytest.approx(sc.score(_supply()), rel=1e-15)
    res = sc.compare(_supply(), after, "A cuts 50%, re-sourced")
    assert (res.shortfall_t, res.resourced_t) == (0.0, 30.0)


def test_export_restriction_resourced_from_partners() -> None:
    # B (weight 0.2) cuts everything: 30 t to P (new, WGI 0.9) and Q (new, no WGI: 0.5)
    after = sc.restrict_exports(
        _supply(), 20, 1.0, partners=[98, 99], governance={98: 0.9, 99: None},
        labels={98: "P", 99: "Q"},
    )  # fmt: skip
    assert [(f.exporter, f.quantity_t, f.weight) for f in after.flows[-2:]] == [
        ("P", 15.0, 0.9), ("Q", 15.0, 0.5),
    ]  # fmt: skip
    assert sc.score(after) == pytest.approx(0.5 * (48 + 13.5 + 7.5) / 200, rel=1e-15)


def test_a_supplier_without_flows_changes_nothing() -> None:
    assert sc.restrict_exports(_supply(), 77, 1.0, resource=True) == _supply()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    flows=st.lists(
        st.tuples(st.floats(0.001, 1e6), st.one_of(st.none(), st.floats(0.0, 1.0)),
                  st.booleans()),
        min_size=1, max_size=6,
    ),
    own=st.floats(0.0, 1e6),
    pick=st.integers(0, 5),
    cut=st.floats(0.0, 1.0),
    mode=st.sampled_from(["none", "pro-rata", "partners"]),
    partner_gov=st.one_of(st.none(), st.floats(0.0, 1.0)),
)  # fmt: skip
def test_a_restriction_never_lowers_the_score(
    flows: list[tuple[float, float | None, bool]],
    own: float,
    pick: int,
    cut: float,
    mode: str,
    partner_gov: float | None,
) -> None:
    members = tuple(n for n, (_, _, inside) in enumerate(flows) if inside)
    supply = Supply(
        "X", Economy("E", "E", (*members, 1000)), 2022, 0.4, own,
        [Flow(n, f"S{n}", q, q, g, inside) for n, (q, g, inside) in enumerate(flows)],
    )  # fmt: skip
    supplier = pick % len(flows)
    after = sc.restrict_exports(
        supply, supplier, cut, resource=mode == "pro-rata",
        partners=[500] if mode == "partners" else (), governance={500: partner_gov},
    )  # fmt: skip
    before_s, after_s = sc.score(supply), sc.score(after)
    assert before_s is not None and after_s is not None
    assert after_s >= before_s * (1 - 1e-12)
    assert sc.supply_t(after) == pytest.approx(sc.supply_t(supply), rel=1e-12)


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
