"""The audit log as the registry reads it: filters, pages and clearance in SQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.service import audit_entries
from scidip.registry.concepts import BY_NAME


def test_filters_pages_and_clearance(registry: Session) -> None:
    persons = BY_NAME["persons"]
    stored = record.get(registry, persons, "kotani-motoko")
    secret = record.snapshot(registry, persons, stored).model_copy(
        update={"sensitivity": Sensitivity.restricted, "note": "moved"}
    )
    record.update(registry, persons, "kotani-motoko", secret, 1, "ann")
    everything = audit_entries(registry, Sensitivity.restricted)
    assert everything.total == 90  # 89 records loaded, one update
    mine = audit_entries(registry, Sensitivity.restricted, actor="ann")
    assert [(e.action, e.record_key) for e in mine.entries] == [("update", "kotani-motoko")]
    history = audit_entries(
        registry, Sensitivity.restricted, table="person", record_id=stored.id
    ).entries
    assert [e.actor for e in history] == ["ann", "dataset:succession-fixture"]
    # A public reader sees nothing of a record now restricted, not even its public past, and
    # the snapshots of other records lose their references to it.
    public = audit_entries(registry, Sensitivity.public, table="person", record_id=stored.id)
    assert (public.total, public.entries) == (0, [])
    visits = audit_entries(registry, Sensitivity.public, key="visit-kotani-brussels-2022-07")
    [created] = visits.entries
    assert created.after is not None and created.after["participants"] == []
    restricted = audit_entries(registry, Sensitivity.restricted, key=created.record_key)
    [whole] = restricted.entries
    assert whole.after is not None and whole.after["participants"] == ["kotani-motoko"]
    # 90 entries less the person's two and the creation of her membership of the board (a
    # membership cannot be shown without its person).
    page = audit_entries(registry, Sensitivity.public, limit=10, offset=80)
    assert (page.total, len(page.entries)) == (87, 7)
