"""A second, non-Japanese dataset (eu-st, home party EU) loads beside japan-mofa: each reports
from its own side, the home party comes from the manifests, and japan-mofa's counts are unchanged.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.datasets.bundled import resolve_dataset
from scidip.datasets.loader import load_dataset, read_dataset
from scidip.errors import NotFound
from scidip.registry.agreement.coverage import Coverage, coverage
from scidip.registry.agreement.models import AgreementKind
from scidip.registry.home import DatasetInfo, home_party, loaded_datasets
from scidip.registry.record import Outcome

EU_ST = resolve_dataset("eu-st")
JAPAN = resolve_dataset("japan-mofa")
BILATERAL = [AgreementKind.agreement]


def totals(cov: Coverage) -> tuple[list[str], list[str], list[str], list[str]]:
    """Agreements counted, states covered, organisations covered, undecided (party, agreement)."""
    return (
        sorted(cov.agreements),
        sorted(cov.state_codes),
        sorted({s.party for s in cov.organisations}),
        sorted(f"{s.party}:{s.agreement}" for s in cov.undecided),
    )


def test_every_eu_st_record_and_action_cites_a_source() -> None:
    dataset = read_dataset(EU_ST)
    assert dataset.manifest.home_party == "EU"
    uncited = [
        (name, r.key)
        for name, records in dataset.records.items()
        for r, _ in records
        if name != "sources" and not r.sources
    ]
    actions = [
        (r.key, a.kind.value, a.party)
        for r, _ in dataset.records["agreements"]
        for a in r.actions  # type: ignore[attr-defined]
        if not a.sources
    ]
    assert (uncited, actions) == ([], [])


def test_alone_it_reports_from_the_eus_side_by_its_manifest(session: Session) -> None:
    report = load_dataset(session, EU_ST)
    assert (report.home_party, report.total(Outcome.inserted)) == ("EU", 23)
    assert loaded_datasets(session) == [
        DatasetInfo(
            "eu-st",
            "The European Union's bilateral S&T cooperation agreements, from the EU's and its "
            "partners' public records",
            "EU",
        )
    ]
    assert home_party(session) == "EU"  # no --home: the dataset's own
    # Hand-checked from agreements.yaml: AUS in force 1994-07-25, CAN 1996-02-27, ZAF
    # 1997-11-11, CHN 1999-12-14, KOR "2007-04" (the day unknown), JPN 2011-03-29.
    home = home_party(session)
    assert totals(coverage(session, home, date(1995, 12, 31))) == (
        ["eu-aus-1994"],
        ["AUS"],
        [],
        [],
    )
    assert totals(coverage(session, home, date(2007, 4, 15))) == (
        ["eu-aus-1994", "eu-can-1996", "eu-chn-1998", "eu-zaf-1996"],
        ["AUS", "CAN", "CHN", "ZAF"],
        [],
        ["KOR:eu-kor-2006"],
    )
    cov = coverage(session, home, date(2022, 12, 31))
    assert totals(cov) == (
        ["eu-aus-1994", "eu-can-1996", "eu-chn-1998", "eu-kor-2006", "eu-zaf-1996", "jpn-eu-2009"],
        ["AUS", "CAN", "CHN", "JPN", "KOR", "ZAF"],
        [],
        [],
    )
    assert cov.sentence() == "6 agreements, in force with 6 countries"


def test_beside_japan_mofa_each_reports_from_its_own_side(session: Session) -> None:
    japan_alone = load_dataset(session, JAPAN)
    before = totals(coverage(session, "JPN", date(2022, 12, 31)))
    report = load_dataset(session, EU_ST)
    # The parties both name and the Japan-EU agreement (with its three sources) are japan-mofa's
    # records: the agreement and its sources are the same, the parties cite other sources.
    assert (report.total(Outcome.inserted), report.total(Outcome.unchanged)) == (12, 4)
    assert sorted(f"{k.concept} {k.key} {k.reason}" for k in report.shared) == [
        f"parties {code} japan-mofa" for code in ["AUS", "CAN", "CHN", "EU", "JPN", "KOR", "ZAF"]
    ]
    assert report.kept == [] and japan_alone.kept == []
    # The first dataset loaded made the registry: its home party is the default.
    assert home_party(session) == "JPN"
    assert home_party(session, dataset="eu-st") == "EU"
    assert home_party(session, configured="deu", dataset="eu-st") == "DEU"
    with pytest.raises(NotFound, match="no dataset 'eu-x' is loaded"):
        home_party(session, dataset="eu-x")
    # japan-mofa's figures are unchanged by the second dataset: 32 agreements, 46 + EU.
    jpn = coverage(
        session, "JPN", date(2022, 12, 31), [AgreementKind.agreement, AgreementKind.arrangement]
    )
    assert jpn.sentence() == "32 agreements, in force with 46 countries and the EU"
    assert totals(coverage(session, "JPN", date(2022, 12, 31))) == before
    # The EU's side, bilateral agreements: the same six as alone.
    eu = coverage(session, home_party(session, dataset="eu-st"), date(2022, 12, 31), BILATERAL)
    assert eu.sentence() == "6 agreements, in force with 6 countries"
    # All kinds: japan-mofa's multilateral ISTC and ITER records name the EU too.
    eu_all = coverage(session, "EU", date(2022, 12, 31))
    assert eu_all.sentence() == "6 agreements, in force with 6 countries"
    assert totals(eu_all)[3] == ["JPN:istc-1992", "RUS:istc-1992", "USA:istc-1992"]
    # Loading either again changes nothing.
    again = load_dataset(session, EU_ST)
    assert (again.total(Outcome.inserted), again.total(Outcome.updated)) == (0, 0)
    again = load_dataset(session, JAPAN)
    assert (again.total(Outcome.inserted), again.total(Outcome.updated)) == (0, 0)


def test_the_reports_state_each_sides_own_records(session: Session) -> None:
    """With both loaded, the EU's chapter states none of Japan's posts, boards, visits or joint
    committees, and Japan's chapter states what it states with japan-mofa alone."""
    from scidip.reports.context.annual import build_annual
    from scidip.reports.context.country import build_country

    def digest(home: str) -> tuple[list[str], list[str], list[str], list[str], str]:
        a = build_annual(session, home, 2022, date(2026, 1, 31), chart=False)
        return (
            [p.label for p in a.posts],
            [b.name for b in a.bodies],
            [e.title for e in a.exchanges + a.visits + a.seminars],
            [m.committee for m in a.committees],
            a.agreements.sentence,
        )

    load_dataset(session, JAPAN)
    japan_alone = digest("JPN")
    load_dataset(session, EU_ST)
    assert digest("JPN") == japan_alone
    assert "Science and Technology Advisor to the Minister for Foreign Affairs" in japan_alone[0]
    assert digest("EU") == ([], [], [], [], "6 agreements, in force with 6 countries")
    korea = build_country(session, "EU", "KOR", date(2022, 12, 31), date(2026, 1, 31))
    assert [(a.key, a.covered) for a in korea.agreements] == [("eu-kor-2006", "yes")]
    assert korea.committees == [] and korea.engagements == []
    japan_on_korea = build_country(session, "JPN", "KOR", date(2022, 12, 31), date(2026, 1, 31))
    assert "Japan-Korea Joint Committee on Science and Technology Cooperation" in [
        c.name for c in japan_on_korea.committees
    ]
