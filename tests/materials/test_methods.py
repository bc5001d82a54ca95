"""The formulas on hand-computed cases."""

from __future__ import annotations

import pytest

from scidip.materials import methods as m


def test_hhi_of_two_equal_producers_is_one_half() -> None:
    assert m.hhi([5, 5]) == 0.5


def test_hhi_of_a_monopoly_is_one() -> None:
    assert m.hhi([0, 7, 0]) == 1.0


def test_hhi_without_production_is_none() -> None:
    assert m.hhi([0, 0]) is None


def test_hhi_of_three_producers() -> None:
    # (100² + 30² + 10²) / 140² = 11000 / 19600
    assert m.hhi([100, 30, 10]) == pytest.approx(11000 / 19600, rel=1e-15)


def test_import_shares() -> None:
    assert m.import_shares({"COD": 10, "CHN": 5, "TWN": 5}) == {
        "COD": 0.5,
        "CHN": 0.25,
        "TWN": 0.25,
    }
    assert m.import_shares({}) == {}


def test_import_risk_weights_unknown_governance_half_and_members_zero() -> None:
    imports = {"A": 10.0, "B": 5.0, "C": 5.0}
    governance = {"A": 0.9, "B": None, "C": 0.4}
    # (10·0.9 + 5·0.5 + 5·0) / (20 + 5) with C inside the group
    assert m.import_risk(imports, governance, 5.0, members=["C"]) == pytest.approx(11.5 / 25)


def test_import_risk_without_supply_is_none() -> None:
    assert m.import_risk({}, {}, 0.0) is None


def test_score_price_and_characterisation_factors() -> None:
    score = m.geopolrisk_score(0.5, 0.4)
    assert score == 0.2
    assert m.import_price(1800.0, 18.0) == 100.0
    assert m.import_price(5.0, 0.0) is None
    assert m.characterisation_factor(0.2, 100.0, 0.0375, 20.0) == pytest.approx(20 / 0.75)
    assert m.characterisation_factor(0.2, 100.0, 0.0, 20.0) is None
    assert m.characterisation_factor_peer(0.2, 100.0) == pytest.approx(20 / 0.409412948)


def test_eu_supply_risk_formula() -> None:
    # [2·0.5/2 + 4·(1 − 0.5/2)] · (1 − 0.2) · 0.9 = (0.5 + 3) · 0.72
    assert m.eu_supply_risk(2.0, 4.0, 0.5, 0.2, 0.9) == pytest.approx(3.5 * 0.72)


def test_import_reliance_is_clipped() -> None:
    assert m.import_reliance(60.0, 10.0, 50.0) == 0.5
    assert m.import_reliance(10.0, 50.0, 100.0) == 0.0
    assert m.import_reliance(0.0, 0.0, 0.0) == 0.0


def test_hhi_wgi() -> None:
    assert m.hhi_wgi({"A": 0.5, "B": 0.5}, {"A": 2.0, "B": 6.0}) == 2.0


def test_crma_largest_third_country_share() -> None:
    supply = {"CHN": 70.0, "DEU": 20.0, "USA": 10.0}
    assert m.crma_largest_share(supply, members=["DEU"]) == ("CHN", 0.7)
    assert m.crma_largest_share({}, []) == (None, None)
