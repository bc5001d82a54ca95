"""Create, update, delete with versions and audit; stale updates refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import Conflict, InvalidData, NotFound
from scidip.registry.audit.models import AuditEntry
from scidip.registry.person.schemas import PersonCreate
from scidip.registry.person.service import PERSON
from scidip.registry.post.schemas import AppointmentCreate
from scidip.registry.post.service import APPOINTMENT
from scidip.registry.record import Outcome, create, get, remove, snapshot, update, upsert
from scidip.registry.schemas import CitationIn
from scidip.registry.source.schemas import SourceCreate
from scidip.registry.source.service import SOURCE


def _audit(session: Session) -> list[tuple[str, str, str, str]]:
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(a.actor, a.action, a.record_table, a.record_key) for a in rows]


def test_create_update_delete_are_versioned_and_audited(session: Session) -> None:
    data = PersonCreate(key="doe-jane", name="DOE Jane")
    person = create(session, PERSON, data, actor="alice")
    assert person.version == 1
    changed = data.model_copy(update={"name": "DOE Jane Q.", "sensitivity": Sensitivity.internal})
    person = update(session, PERSON, "doe-jane", changed, version=1, actor="bob")
    assert (person.version, person.name, person.sensitivity) == (
        2,
        "DOE Jane Q.",
        Sensitivity.internal,
    )
    remove(session, PERSON, "doe-jane", version=2, actor="carol")
    with pytest.raises(NotFound):
        get(session, PERSON, "doe-jane")
    assert _audit(session) == [
        ("alice", "create", "person", "doe-jane"),
        ("bob", "update", "person", "doe-jane"),
        ("carol", "delete", "person", "doe-jane"),
    ]
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert entries[1].before is not None and entries[1].after is not None
    assert (entries[1].before["name"], entries[1].after["name"]) == ("DOE Jane", "DOE Jane Q.")
    assert (entries[1].before["sensitivity"], entries[1].after["sensitivity"]) == (
        "public",
        "internal",
    )
    assert entries[2].after is None


def test_update_naming_a_stale_version_is_refused_and_writes_nothing(session: Session) -> None:
    data = PersonCreate(key="doe-jane", name="DOE Jane")
    create(session, PERSON, data, actor="alice")
    update(session, PERSON, "doe-jane", data.model_copy(update={"name": "A"}), 1, "alice")
    with pytest.raises(Conflict, match="is at version 2, the update was based on version 1"):
        update(session, PERSON, "doe-jane", data.model_copy(update={"name": "B"}), 1, "bob")
    person = get(session, PERSON, "doe-jane")
    assert (person.name, person.version) == ("A", 2)
    assert [a[1] for a in _audit(session)] == ["create", "update"]


def test_create_refuses_a_taken_key(session: Session) -> None:
    create(session, PERSON, PersonCreate(key="x", name="X"), actor="a")
    with pytest.raises(Conflict, match=r"^person key 'x' is not available: choose another key"):
        create(session, PERSON, PersonCreate(key="x", name="Y"), actor="a")


def test_delete_of_a_referenced_record_is_refused(registry: Session) -> None:
    person = get(registry, PERSON, "kishi-teruo")
    with pytest.raises(Conflict, match="still referenced"):
        remove(registry, PERSON, "kishi-teruo", version=person.version, actor="a")


def test_unknown_reference_names_the_field(session: Session) -> None:
    data = AppointmentCreate(key="a1", person="nobody", post="nopost")
    with pytest.raises(InvalidData, match="person: no person with key 'nobody'"):
        create(session, APPOINTMENT, data, actor="a")


def test_citations_are_kept_with_their_locator(session: Session) -> None:
    create(session, SOURCE, SourceCreate(key="bb", title="Bluebook"), actor="a")
    data = PersonCreate(key="p", name="P", sources=[CitationIn(source="bb", locator="section 3")])
    person = create(session, PERSON, data, actor="a")
    assert snapshot(session, PERSON, person).sources == [
        CitationIn(source="bb", locator="section 3")
    ]


def test_upsert_reports_inserted_updated_unchanged(session: Session) -> None:
    data = PersonCreate(key="p", name="P")
    assert upsert(session, PERSON, data, "a") is Outcome.inserted
    assert upsert(session, PERSON, data, "a") is Outcome.unchanged
    assert upsert(session, PERSON, data.model_copy(update={"name": "Q"}), "a") is Outcome.updated
    assert get(session, PERSON, "p").version == 2
