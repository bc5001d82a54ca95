"""A country's agreements, succession suggestions and term warnings on the fixture."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.errors import NotFound
from scidip.registry.agreement.queries import (
    SuccessionSuggestion,
    TermWarning,
    agreements_with,
    succession_suggestions,
    term_warnings,
)


def test_russia_country_view_shows_the_superseded_and_the_new_agreement(registry: Session) -> None:
    rows = agreements_with(registry, "JPN", "RUS", date(2022, 12, 31))
    assert [
        (r.agreement, r.how, r.via, str(r.since), str(r.ended), r.covered, r.reason) for r in rows
    ] == [
        ("jpn-rus-2000", "direct", None, "2000-09-04", "None", Tri.YES, "party to it"),
        (
            "jpn-ussr-1973",
            "succession",
            "SUHH",
            "1991-12-26",
            "2000-09-04",
            Tri.NO,
            "supersession by jpn-rus-2000",
        ),
    ]


def test_kazakhstan_is_covered_through_the_ussr_agreement(registry: Session) -> None:
    rows = agreements_with(registry, "JPN", "KAZ", date(2022, 12, 31))
    assert [(r.agreement, r.how, r.via, str(r.since), r.covered) for r in rows] == [
        ("jpn-ussr-1973", "succession", "SUHH", "..2022", Tri.YES)
    ]


def test_ukraine_succession_known_by_2011_is_undecided_in_2010(registry: Session) -> None:
    rows = agreements_with(registry, "JPN", "UKR", date(2010, 1, 1))
    assert [(r.covered, r.reason) for r in rows] == [
        (Tri.UNKNOWN, "in force from ..2011-11-17: cannot tell at that precision")
    ]
    later = agreements_with(registry, "JPN", "UKR", date(2011, 11, 17))
    assert [r.covered for r in later] == [Tri.YES]


def test_unknown_country_is_not_found(registry: Session) -> None:
    with pytest.raises(NotFound, match="no party with key 'XXX'"):
        agreements_with(registry, "JPN", "XXX", date(2022, 12, 31))


def test_suggestions_list_successors_without_a_recorded_decision(registry: Session) -> None:
    assert succession_suggestions(registry, "JPN", date(2022, 12, 31)) == [
        SuccessionSuggestion(
            agreement="jpn-ddde-1977",
            title="Arrangement on Scientific and Technological Cooperation (Japan-GDR)",
            predecessor="DDDE",
            successor="DEU",
            successor_name="Germany",
            succession_date=PartialDate.parse("1990-10-03"),
        ),
        SuccessionSuggestion(
            agreement="jpn-ussr-1973",
            title="Agreement on Scientific and Technical Cooperation (Japan-USSR)",
            predecessor="SUHH",
            successor="AZE",
            successor_name="Azerbaijan",
            succession_date=PartialDate.parse("1991-12-26"),
        ),
    ]


def test_no_suggestions_before_the_successions_happened(registry: Session) -> None:
    assert succession_suggestions(registry, "JPN", date(1990, 1, 1)) == []


def test_us_agreement_expiring_then_lapsed(registry: Session) -> None:
    # 2026-02-01 to 2026-10-20: 28 (Feb) + 31 + 30 + 31 + 30 + 31 + 31 + 30 (to 1 Oct) + 19 = 261.
    assert term_warnings(registry, "JPN", date(2026, 2, 1), within_days=365) == [
        TermWarning(
            agreement="jpn-usa-1988",
            title="Agreement on Cooperation in Research and Development in Science and "
            "Technology (Japan-USA)",
            term_end=PartialDate.parse("2026-10-20"),
            state="expiring",
            days_left=261,
        )
    ]
    assert term_warnings(registry, "JPN", date(2026, 2, 1), within_days=261) != []
    assert term_warnings(registry, "JPN", date(2026, 2, 1), within_days=260) == []
    lapsed = term_warnings(registry, "JPN", date(2026, 11, 25))
    assert [(w.agreement, w.state, w.days_left) for w in lapsed] == [
        ("jpn-usa-1988", "lapsed", None)
    ]
