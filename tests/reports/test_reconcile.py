"""Reconciliation on the real dataset: the Bluebook 2023's 32 agreements and 46 countries + EU
beside the registry's 26 and 40 + EU, and exactly what makes up the differences."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.figure.schemas import FigureCreate
from scidip.registry.figure.service import FIGURE
from scidip.registry.record import create
from scidip.reports.reconcile import FigureCheck, Reconciliation, reconcile

UNDECIDED = ["BGR", "EGY", "HUN", "NZL", "POL", "ROU"]


@pytest.fixture(scope="module")
def result(mofa: Session) -> Reconciliation:
    return reconcile(mofa, date(2026, 1, 31))


def _by_key(result: Reconciliation) -> dict[str, FigureCheck]:
    return {c.key: c for c in result.checks}


def test_every_figure_beside_the_registry(result: Reconciliation) -> None:
    assert [
        (c.key, c.published, c.computed, str(c.on), c.verdict, c.difference, c.unexplained)
        for c in result.checks
    ] == [
        ("bluebook-2023-agreements", 32, 26, "2022-12-31", "differs", 6, 0),
        ("bluebook-2023-organisations", 1, 1, "2022-12-31", "match", 0, 0),
        ("bluebook-2023-states", 46, 40, "2022-12-31", "differs", 6, 0),
    ]


def test_agreements_difference_is_the_six_without_entry_into_force(
    result: Reconciliation,
) -> None:
    check = _by_key(result)["bluebook-2023-agreements"]
    assert [i.code for i in check.undecided] == [
        f"jpn-{c.lower()}-{y}"
        for c, y in zip(
            ["BGR", "EGY", "HUN", "NZL", "POL", "ROU"],
            ["1978", "2010", "1979", "2009", "1978", "1975"],
            strict=True,
        )
    ]
    assert {i.reason for i in check.undecided} == {"no entry into force or succession recorded"}
    assert [(i.code, i.reason) for i in check.not_yet] == [
        ("jpn-chl-2023", "signed 4 May 2023, after the date")
    ]
    assert len(check.counted) == 26 and "jpn-ussr-1973" in {i.code for i in check.counted}


def test_states_difference_and_successors_without_decision(result: Reconciliation) -> None:
    check = _by_key(result)["bluebook-2023-states"]
    assert [i.code for i in check.undecided] == UNDECIDED
    assert [i.code for i in check.not_yet] == ["CHL"]
    assert [(i.code, i.reason) for i in check.suggestions] == [
        ("AZE", "successor of SUHH (jpn-ussr-1973)")
    ]
    kaz = next(i for i in check.counted if i.code == "KAZ")
    assert kaz.reason == "jpn-ussr-1973 (through succession to SUHH's agreement)"
    assert check.named_not_counted == [] and check.counted_not_named == []


def test_organisations_match_the_eu(result: Reconciliation) -> None:
    check = _by_key(result)["bluebook-2023-organisations"]
    assert [(i.code, i.name) for i in check.counted] == [("EU", "European Union")]
    assert check.named_not_counted == check.counted_not_named == []


def test_a_named_party_not_counted_is_listed(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        create(
            mofa,
            FIGURE,
            FigureCreate(
                key="test-figure",
                statement="In force with ITER.",
                home_party="JPN",
                metric="organisations",
                value=1,
                as_of="2022",
                kinds=["agreement"],
                parties=["ITER"],
                sources=[{"source": "bluebook-2023"}],
            ),
            actor="test",
        )
        check = _by_key(reconcile(mofa, date(2026, 1, 31)))["test-figure"]
        savepoint.rollback()
    assert check.verdict == "match"  # one organisation each side, but not the same one
    assert [i.code for i in check.named_not_counted] == ["ITER"]
    assert [i.code for i in check.counted_not_named] == ["EU"]


def test_clearance_leaves_out_hidden_figures(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        create(
            mofa,
            FIGURE,
            FigureCreate(
                key="internal-figure",
                statement="Internal count.",
                home_party="JPN",
                metric="states",
                value=3,
                sensitivity=Sensitivity.internal,
                sources=[{"source": "bluebook-2023"}],
            ),
            actor="test",
        )
        everything = [c.key for c in reconcile(mofa, date(2026, 1, 31)).checks]
        public = [c.key for c in reconcile(mofa, date(2026, 1, 31), Sensitivity.public).checks]
        savepoint.rollback()
    assert "internal-figure" in everything and "internal-figure" not in public
