"""Reconciling published figures of other metrics: joint committee meetings held in a year, and
the members of a body on a date, each checked against the registry at the figure's own date."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.body.service import MEMBERSHIP, ORGANISATION
from scidip.registry.committee.service import COMMITTEE, MEETING
from scidip.registry.concepts import BY_NAME
from scidip.registry.figure.models import FigureMetric
from scidip.registry.figure.service import FIGURE
from scidip.registry.party.service import PARTY
from scidip.registry.person.service import PERSON
from scidip.registry.record import Concept, create
from scidip.registry.source.service import SOURCE
from scidip.reports.reconcile import reconcile

SOURCE_REF = [{"source": "white-paper"}]


def add(session: Session, concept: Concept[Any, Any], **data: Any) -> None:
    create(session, concept, concept.schema.model_validate(data), "test")


def _registry(session: Session) -> None:
    add(session, SOURCE, key="white-paper", title="A white paper")
    for code in ("JPN", "DEU", "FRA"):
        add(session, PARTY, key=code)
    for code, partner in (("jpn-deu", "DEU"), ("jpn-fra", "FRA")):
        add(
            session,
            AGREEMENT,
            key=code,
            title="S&T",
            kind="agreement",
            actions=[
                {"kind": "signature", "party": "JPN", "taken": "1974"},
                {"kind": "signature", "party": partner, "taken": "1974"},
            ],
        )
        add(session, COMMITTEE, key=f"jc-{partner}", name=f"JPN-{partner}", agreement=code)
    meetings = [
        ("jc-deu-1", "jc-DEU", "2022-03-02", None),  # surely in 2022
        ("jc-deu-2", "jc-DEU", "2022-11-28", "2022-11-30"),  # over three days, in 2022
        ("jc-fra-1", "jc-FRA", "2022", None),  # in 2022, day unknown
        ("jc-fra-2", "jc-FRA", "2021-06..2022-02", None),  # two-sided: may be 2021 or 2022
        ("jc-fra-3", "jc-FRA", "2023-01", None),  # after
    ]
    for key, committee, day, end in meetings:
        extra = {"end": end} if end else {}
        add(session, MEETING, key=key, committee=committee, date=day, **extra)
    add(
        session,
        ORGANISATION,
        key="board",
        name="Board",
        kind="advisory_board",
        sizes=[{"members": 3, "as_of": "2022-06", "sources": SOURCE_REF}],
    )
    for person, start, end in (
        ("a", "2020-09", None),
        ("b", "2020-09", "2022-04-01"),  # left before the date
        ("c", "2022-04-01", None),
        ("d", "2022-06", None),  # joined in June 2022: on 2022-06-15, cannot tell
    ):
        add(session, PERSON, key=person, name=person.upper())
        dates = {"start": start} | ({"end": end} if end else {})
        add(
            session, MEMBERSHIP, key=f"{person}-board", person=person, organisation="board", **dates
        )
    for key, metric, value, as_of, body in (
        ("meetings-2022", "committee_meetings", 3, "2022", None),
        ("members-2022-06-15", "members", 3, "2022-06-15", "board"),
    ):
        extra = {"organisation": body} if body else {}
        add(
            session,
            FIGURE,
            key=key,
            statement=f"{value}",
            home_party="JPN",
            metric=metric,
            value=value,
            as_of=as_of,
            sources=SOURCE_REF,
            **extra,
        )


def test_meetings_held_in_the_year_and_members_on_the_day(session: Session) -> None:
    _registry(session)
    checks = {c.key: c for c in reconcile(session, date(2026, 1, 31)).checks}
    meetings = checks["meetings-2022"]
    assert (meetings.metric, meetings.published, meetings.computed, str(meetings.on)) == (
        FigureMetric.committee_meetings,
        3,
        3,
        "2022-12-31",
    )
    assert meetings.verdict == "match"
    assert [i.code for i in meetings.counted] == ["jc-fra-1", "jc-deu-1", "jc-deu-2"]  # by date
    assert [(i.code, i.reason) for i in meetings.undecided] == [
        ("jc-fra-2", "not before June 2021 and no later than February 2022")
    ]
    assert meetings.computed_sentence == (
        "3 joint committee meetings held from 2022-01-01 to 2022-12-31"
    )
    members = checks["members-2022-06-15"]
    assert (members.computed, members.verdict, str(members.on)) == (2, "differs", "2022-06-15")
    assert [i.code for i in members.counted] == ["a", "c"]
    assert [i.code for i in members.undecided] == ["d"]
    assert members.unexplained == 0  # 3 published = 2 counted + 1 undecided
    assert members.computed_sentence == (
        "2 members of Board recorded on 2022-06-15; size reported: 3 (2022-06)"
    )


def test_a_count_of_members_names_its_body() -> None:
    import pytest
    from pydantic import ValidationError

    schema = BY_NAME["figures"].schema
    base = {"key": "f", "statement": "s", "home_party": "JPN", "value": 1}
    with pytest.raises(ValidationError, match="a count of members names its body"):
        schema.model_validate(base | {"metric": "members"})
    with pytest.raises(ValidationError, match="a count of members names its body"):
        schema.model_validate(base | {"metric": "states", "organisation": "board"})
