"""The country brief: inherited agreements, committees and when the next is due, clearance."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.engagement.schemas import EngagementCreate
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.record import create
from scidip.reports.context.country import Section, build_country

END_2022 = date(2022, 12, 31)


def test_kazakhstan_is_covered_through_the_ussr_agreement(mofa: Session) -> None:
    brief = build_country(mofa, "JPN", "KAZ", END_2022, date(2026, 1, 31))
    assert [(a.key, a.covered, a.how, a.via, str(a.since)) for a in brief.agreements] == [
        ("jpn-ussr-1973", "yes", "succession", "USSR", "..1994-04-07")
    ]
    assert [(s.predecessor, str(s.date), s.kind) for s in brief.successions] == [
        ("USSR", "1991-12-26", "dissolution")
    ]
    assert brief.committees == [] and brief.engagements == [] and brief.documents == []


def test_ukraine_committee_and_russia_superseded(mofa: Session) -> None:
    ukraine = build_country(mofa, "JPN", "UKR", END_2022, date(2026, 1, 31))
    [committee] = ukraine.committees
    assert [(m.number, str(m.date), m.place) for m in committee.meetings] == [
        (1, "2006-02-15", "Kyiv"),
        (2, "2011-11-17", "Tokyo"),
    ]
    assert (committee.next_due, committee.due_reason) == (None, "no fixed cadence")
    russia = build_country(mofa, "JPN", "RUS", END_2022, date(2026, 1, 31))
    assert [(a.key, a.covered, a.reason) for a in russia.agreements] == [
        ("istc-1992", "unknown", "no entry into force or succession recorded"),
        ("jpn-rus-2000", "yes", "party to it"),
        ("jpn-ussr-1973", "no", "supersession by jpn-rus-2000"),
    ]


def test_next_south_africa_committee_is_due_two_years_after_the_last(mofa: Session) -> None:
    [committee] = build_country(mofa, "JPN", "ZAF", date(2025, 1, 1), date(2026, 1, 31)).committees
    assert [m.number for m in committee.meetings] == [6, 7, 8, 9]
    assert (str(committee.next_due), committee.overdue) == ("2026-11-06", "no")


def test_restricted_engagement_is_left_out_for_a_public_reader(mofa: Session) -> None:
    with mofa.begin_nested() as savepoint:
        create(
            mofa,
            ENGAGEMENT,
            EngagementCreate(
                key="secret-talks",
                kind="bilateral_meeting",
                title="Secret talks",
                date="2022-05",
                counterpart_parties=["ZAF"],
                sensitivity=Sensitivity.restricted,
                sources=[{"source": "bluebook-2023"}],
            ),
            actor="test",
        )
        everything = build_country(mofa, "JPN", "ZAF", END_2022, date(2026, 1, 31))
        public = build_country(
            mofa, "JPN", "ZAF", END_2022, date(2026, 1, 31), clearance=Sensitivity.public
        )
        savepoint.rollback()
    assert [e.key for e in everything.engagements] == ["world-science-forum-2022", "secret-talks"]
    assert [e.key for e in public.engagements] == ["world-science-forum-2022"]


def test_later_capabilities_add_sections(mofa: Session) -> None:
    def materials(_s: Session, code: str, as_of: date, _c: Sensitivity) -> Section:
        return Section("Materials", [f"{code} on {as_of}"])

    brief = build_country(mofa, "JPN", "KAZ", END_2022, date(2026, 1, 31), sections=[materials])
    assert brief.extra == [Section("Materials", ["KAZ on 2022-12-31"])]
