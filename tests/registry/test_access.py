"""What a reader's clearance does not allow appears in no query result, count or lookup."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.registry.access import allowed
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.queries import agreements_with
from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.committee.service import MEETING, overdue_committees
from scidip.registry.concepts import Concept
from scidip.registry.party.service import PARTY
from scidip.registry.post.service import APPOINTMENT, holders
from scidip.registry.record import get, snapshot, update

PUBLIC, INTERNAL, RESTRICTED = Sensitivity.public, Sensitivity.internal, Sensitivity.restricted


def _mark(session: Session, concept: Concept, key: str, level: Sensitivity) -> None:  # type: ignore[type-arg]
    record = get(session, concept, key)
    data = snapshot(session, concept, record).model_copy(update={"sensitivity": level})
    update(session, concept, key, data, record.version, actor="test")


def test_the_rule() -> None:
    assert [allowed(s, INTERNAL) for s in (PUBLIC, INTERNAL, RESTRICTED)] == [True, True, False]
    assert [allowed(s, PUBLIC) for s in (PUBLIC, INTERNAL, RESTRICTED)] == [True, False, False]


def test_coverage_leaves_out_what_the_reader_may_not_see(registry: Session) -> None:
    _mark(registry, AGREEMENT, "jpn-eu-2009", RESTRICTED)
    _mark(registry, PARTY, "KAZ", INTERNAL)
    day = date(2022, 12, 31)
    assert coverage(registry, "JPN", day).sentence() == (
        "7 agreements, in force with 21 countries and the EU"
    )
    assert coverage(registry, "JPN", day, clearance=INTERNAL).sentence() == (
        "6 agreements, in force with 21 countries"
    )
    public = coverage(registry, "JPN", day, clearance=PUBLIC)
    assert public.sentence() == "6 agreements, in force with 20 countries"
    assert "KAZ" not in public.state_codes


def test_a_hidden_record_is_not_found_rather_than_forbidden(registry: Session) -> None:
    _mark(registry, PARTY, "KAZ", INTERNAL)
    assert len(agreements_with(registry, "JPN", "KAZ", date(2022, 12, 31), INTERNAL)) == 1
    with pytest.raises(NotFound, match="no party with key 'KAZ'"):
        agreements_with(registry, "JPN", "KAZ", date(2022, 12, 31), PUBLIC)
    with pytest.raises(NotFound, match="no party with key 'KAZ'"):
        get(registry, PARTY, "KAZ", PUBLIC)


def test_hidden_appointments_and_meetings(registry: Session) -> None:
    _mark(registry, APPOINTMENT, "matsumoto-advisor", RESTRICTED)
    _mark(registry, MEETING, "jc-rus-13", INTERNAL)
    day = date(2021, 1, 1)
    assert [a.person.key for a, _ in holders(registry, "mofa-st-advisor", day)] == [
        "matsumoto-yoichiro"
    ]
    assert holders(registry, "mofa-st-advisor", day, INTERNAL) == []
    everything = {d.committee: d.reason for d in overdue_committees(registry, date(2022, 12, 31))}
    public = {
        d.committee: d.reason for d in overdue_committees(registry, date(2022, 12, 31), PUBLIC)
    }
    assert everything["jc-rus"] == "due 2020-04-09"
    assert public["jc-rus"] == "no meeting recorded"


def test_a_committee_is_hidden_with_its_agreement(registry: Session) -> None:
    _mark(registry, AGREEMENT, "jpn-rus-2000", RESTRICTED)
    day = date(2022, 12, 31)
    assert [d.committee for d in overdue_committees(registry, day)] == ["jc-usa", "jc-rus"]
    assert [d.committee for d in overdue_committees(registry, day, INTERNAL)] == ["jc-usa"]
