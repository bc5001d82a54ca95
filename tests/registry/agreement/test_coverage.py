"""The coverage rule on the fixture of the three predecessor states (hand-computed totals)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import Tri
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.models import AgreementKind

USSR_SUCCESSORS = ["ARM", "BLR", "GEO", "KAZ", "KGZ", "MDA", "TJK", "TKM", "UKR", "UZB"]
YUGOSLAV_SUCCESSORS = ["BIH", "HRV", "MKD", "MNE", "SRB", "SVN"]


def test_coverage_end_of_2022_counts_successors_of_three_predecessors(registry: Session) -> None:
    cov = coverage(registry, "JPN", date(2022, 12, 31))
    # USSR 1973 (10 successors), Czechoslovakia 1978 (CZE, SVK), Yugoslavia 1981 (6),
    # Russia 2000, USA 1988, Germany 1974, EU 2009; the GDR arrangement ended with the GDR.
    assert cov.agreements == [
        "jpn-cshh-1978",
        "jpn-deu-1974",
        "jpn-eu-2009",
        "jpn-rus-2000",
        "jpn-usa-1988",
        "jpn-ussr-1973",
        "jpn-yucs-1981",
    ]
    assert cov.through_succession() == sorted(
        [*USSR_SUCCESSORS, "CZE", "SVK", *YUGOSLAV_SUCCESSORS]
    )
    assert len(cov.through_succession()) == 18
    assert cov.state_codes == sorted(
        [*USSR_SUCCESSORS, "CZE", "SVK", *YUGOSLAV_SUCCESSORS, "DEU", "RUS", "USA"]
    )
    assert cov.organisation_codes == ["EU"]
    assert cov.undecided == []
    assert cov.sentence() == "7 agreements, in force with 21 countries and the EU"


def test_russia_is_covered_by_its_own_agreement_not_the_ussr_one(registry: Session) -> None:
    cov = coverage(registry, "JPN", date(2022, 12, 31))
    russia = [s for s in cov.states if s.party == "RUS"]
    assert [(s.agreement, s.how, s.via) for s in russia] == [("jpn-rus-2000", "direct", None)]
    kazakhstan = [s for s in cov.states if s.party == "KAZ"]
    assert [(s.agreement, s.how, s.via, str(s.since)) for s in kazakhstan] == [
        ("jpn-ussr-1973", "succession", "SUHH", "..2022")
    ]


def test_coverage_in_1995_leaves_undated_successions_undecided(registry: Session) -> None:
    cov = coverage(registry, "JPN", date(1995, 1, 1))
    # Russia continues the USSR agreement until 2000; Czech Republic and Slovakia took over in
    # 1993; the successions known only as "no later than 2022" (or 2011) cannot be placed.
    assert cov.agreements == ["jpn-cshh-1978", "jpn-deu-1974", "jpn-usa-1988", "jpn-ussr-1973"]
    assert cov.state_codes == ["CZE", "DEU", "RUS", "SVK", "USA"]
    assert cov.organisation_codes == []
    assert sorted(s.party for s in cov.undecided) == sorted(
        ["ARM", "BLR", "GEO", "KAZ", "KGZ", "MDA", "TJK", "TKM", "UKR", "UZB", *YUGOSLAV_SUCCESSORS]
    )
    assert {s.covered for s in cov.undecided} == {Tri.UNKNOWN}
    assert cov.sentence() == "4 agreements, in force with 5 countries"


def test_coverage_in_1980_counts_the_predecessor_states_themselves(registry: Session) -> None:
    cov = coverage(registry, "JPN", date(1980, 1, 1))
    assert cov.state_codes == ["CSHH", "DDDE", "DEU", "SUHH"]
    assert cov.agreements == ["jpn-cshh-1978", "jpn-ddde-1977", "jpn-deu-1974", "jpn-ussr-1973"]


def test_coverage_by_kind_counts_only_that_kind(registry: Session) -> None:
    cov = coverage(registry, "JPN", date(2022, 12, 31), [AgreementKind.arrangement])
    assert cov.agreements == ["jpn-cshh-1978"]
    assert cov.state_codes == ["CZE", "SVK"]
    assert cov.sentence() == "1 agreement, in force with 2 countries"


def test_fixed_term_lapses_without_extension(registry: Session) -> None:
    on_last_day = coverage(registry, "JPN", date(2026, 10, 19))
    after = coverage(registry, "JPN", date(2026, 10, 20))
    assert "jpn-usa-1988" in on_last_day.agreements
    assert "jpn-usa-1988" not in after.agreements
    assert "USA" not in after.state_codes


def test_a_two_sided_entry_into_force_is_undecided_between_its_bounds(registry: Session) -> None:
    """An entry into force known only as "not before 1975, no later than 2001" (a new agreement
    with Poland): not counted before 1975, undecided from 1975 to 2001 (listed, never counted),
    counted from 2002; the stored span and the rule on the agreement itself agree."""
    from scidip.registry.agreement.rule import party_status
    from scidip.registry.agreement.schemas import AgreementCreate
    from scidip.registry.agreement.service import AGREEMENT
    from scidip.registry.party.schemas import PartyCreate
    from scidip.registry.party.service import PARTY
    from scidip.registry.record import create, get

    create(registry, PARTY, PartyCreate(key="POL"), "test")
    data = AgreementCreate.model_validate(
        {
            "key": "jpn-pol-1978",
            "title": "S&T cooperation",
            "kind": "agreement",
            "actions": [
                {"kind": "signature", "party": "JPN", "taken": "1978"},
                {"kind": "signature", "party": "POL", "taken": "1978"},
                {"kind": "entry_into_force", "effective": "1975..2001"},
            ],
        }
    )
    create(registry, AGREEMENT, data, "test")
    agreement = get(registry, AGREEMENT, "jpn-pol-1978")
    poland = get(registry, PARTY, "POL")
    seen = []
    for day in (date(1974, 12, 31), date(1975, 1, 1), date(2001, 12, 30), date(2002, 1, 1)):
        cov = coverage(registry, "JPN", day)
        counted = "POL" in cov.state_codes
        undecided = [(s.party, s.reason) for s in cov.undecided if s.party == "POL"]
        assert party_status(agreement, poland, day).covered is (
            Tri.YES if counted else Tri.UNKNOWN if undecided else Tri.NO
        )
        seen.append((counted, undecided))
    why = "in force from 1975..2001: cannot tell at that precision"
    assert seen == [
        (False, []),
        (False, [("POL", why)]),
        (False, [("POL", why)]),
        (True, []),
    ]
