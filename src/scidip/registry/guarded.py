"""Reads and writes as one reader sees the registry: the visibility rule
(:mod:`scidip.registry.visibility`) applied to a reader's reads and to their writes alike, for
the API, the pages and any other adapter.

A record the reader cannot see does not exist for them: reading, updating, ending or deleting it
is "not found", and naming it in a write is refused as an unknown key. An update keeps the
references the writer cannot see. Nobody writes a record above their own clearance.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import InvalidData, NotFound, PermissionDenied
from scidip.registry import record as records
from scidip.registry.access import allowed
from scidip.registry.read import TEMPORAL, list_records, payloads, read_record
from scidip.registry.record import Concept
from scidip.registry.visibility import hidden_references, hidden_tables, redact, restore


class Reader(Protocol):
    """Who reads or writes: their name (for the audit log) and clearance."""

    @property
    def username(self) -> str: ...

    @property
    def clearance(self) -> Sensitivity: ...


def visible_payloads(
    session: Session,
    concept: Concept[Any, Any],
    clearance: Sensitivity,
    as_of: date | None = None,
    filters: dict[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    """Every record of ``concept`` the reader may see, as redacted payloads, by key; only those
    active on ``as_of`` when given (temporal concepts), and passing ``filters`` (``q``: text)."""
    wanted = dict(filters or {})
    q = wanted.pop("q", None)
    return list_records(session, concept, clearance, filters=wanted, q=q, as_of=as_of).items


def validated(concept: Concept[Any, Any], data: dict[str, Any]) -> Any:
    """``data`` as the concept's schema, or :class:`InvalidData` naming each field's error."""
    try:
        return concept.schema.model_validate(data)
    except ValidationError as exc:
        messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise InvalidData("; ".join(messages)) from exc


def _check_references(written: dict[str, Any], hidden: dict[str, str]) -> None:
    # Naming a record the writer cannot see is answered as if it did not exist (same message
    # as the registry's for a missing key): writing must not reveal what reading hides.
    for field, key in hidden_references(written, hidden):
        raise InvalidData(f"{field}: no {hidden[key]} with key {key!r}")


def _check_writable(who: Reader, sensitivity: Sensitivity) -> None:
    if not allowed(sensitivity, who.clearance):
        raise PermissionDenied(
            f"{who.username} may not write a {sensitivity.value} record "
            f"(clearance {who.clearance.value})"
        )


def visible_read(db: Session, concept: Concept[Any, Any], key: str, who: Reader) -> dict[str, Any]:
    """A record as the reader may see it (redacted); 404 if above their clearance."""
    record = records.get(db, concept, key, who.clearance)
    item = read_record(db, concept, record, who.clearance)
    if item is None:
        raise NotFound(f"no {concept.table} with key {key!r}")
    return item


def create_visible(db: Session, concept: Concept[Any, Any], data: BaseModel, who: Reader) -> Any:
    """Create a record within the writer's clearance, naming only records they can see."""
    _check_writable(who, data.sensitivity)  # type: ignore[attr-defined]
    written = data.model_dump(mode="json")
    _check_references(written, hidden_tables(db, who.clearance))
    if written["key"] is None:  # left to the registry: a random free key
        written["key"] = records.free_key(db, concept)
        data = validated(concept, written)
    return records.create(db, concept, data, who.username)


def end_visible(
    db: Session, concept: Concept[Any, Any], key: str, on: str, version: int, who: Reader
) -> dict[str, Any]:
    """Close the period of a temporal record on ``on`` (its end, exclusive), naming the version
    read; the rest of the record as it is."""
    stored = visible_read(db, concept, key, who)
    fields = concept.schema.model_fields
    end_field = TEMPORAL[concept.name][1]
    data = validated(concept, {k: v for k, v in stored.items() if k in fields} | {end_field: on})
    return update_visible(db, concept, key, data, version, who)


def delete_visible(
    db: Session, concept: Concept[Any, Any], key: str, version: int, who: Reader
) -> None:
    """Delete a record the writer can read, naming the version read."""
    # What the editor cannot read (above their clearance, or naming a record above it that
    # it cannot be shown without) does not exist for them: 404, before any version check.
    visible_read(db, concept, key, who)
    records.remove(db, concept, key, version, who.username)


def update_visible(
    db: Session, concept: Concept[Any, Any], key: str, data: BaseModel, version: int, who: Reader
) -> dict[str, Any]:
    """Update a record the reader can see, naming the version read, within their clearance;
    references they cannot see are kept. Returns the record as they see it after."""
    _check_writable(who, data.sensitivity)  # type: ignore[attr-defined]
    hidden = hidden_tables(db, who.clearance)
    # What is put back is what is stored, whole: the reader's copy lacks the hidden references.
    stored = payloads(db, concept, [records.get(db, concept, key, who.clearance)])[0]
    if redact(stored, concept, frozenset(hidden)) is None:  # 404 for what they cannot read
        raise NotFound(f"no {concept.table} with key {key!r}")
    written = data.model_dump(mode="json")
    _check_references(written, hidden)
    merged = restore(stored, written, frozenset(hidden))
    full = validated(concept, merged)
    record = records.update(db, concept, key, full, version, who.username)
    return visible_read(db, concept, record.key, who)
