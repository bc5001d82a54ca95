"""Persons: reading, writing, finding by name or alias."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, visible
from scidip.registry.person.models import Person
from scidip.registry.person.schemas import PersonCreate
from scidip.registry.record import Concept


def _fields(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "family_name": p.family_name,
        "given_name": p.given_name,
        "other_names": p.other_names,
        "note": p.note,
    }


def _apply(_session: Session, p: Person, data: PersonCreate) -> None:
    p.name, p.family_name, p.given_name = data.name, data.family_name, data.given_name
    p.other_names = [n.model_dump(exclude_none=True) for n in data.other_names]
    p.note = data.note


PERSON = Concept("persons", Person, PersonCreate, _fields, _apply)


def find_persons(session: Session, text: str, clearance: Sensitivity = EVERYTHING) -> list[Person]:
    """Persons whose name or any alias contains ``text`` (case-insensitive), by key."""
    needle = text.casefold()
    return [
        p
        for p in visible(session.scalars(select(Person).order_by(Person.key)), clearance)
        if needle in p.name.casefold()
        or any(needle in str(n.get("name", "")).casefold() for n in p.other_names)
    ]
