"""Organisations and memberships: reading, writing, members of a body on a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri, active_on
from scidip.db.base import Sensitivity
from scidip.errors import InvalidData
from scidip.registry.access import EVERYTHING, allowed, visible
from scidip.registry.body.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
)
from scidip.registry.body.schemas import MembershipCreate, OrganisationCreate
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person
from scidip.registry.record import Concept, get, key_of, ref


def _org_fields(o: Organisation) -> dict[str, Any]:
    return {
        "name": o.name,
        "kind": o.kind,
        "parent": key_of(o.parent),
        "party": key_of(o.party),
        "founded": o.founded,
        "dissolved": o.dissolved,
        "size_reported": o.size_reported,
        "sizes": o.sizes,
        "other_names": o.other_names,
        "note": o.note,
    }


def _apply_org(session: Session, o: Organisation, data: OrganisationCreate) -> None:
    o.name, o.kind = data.name, data.kind
    o.parent = ref(session, Organisation, data.parent, "parent")
    if o.parent is not None and o.parent.key == data.key:
        raise InvalidData("parent: an organisation cannot be its own parent")
    o.party = ref(session, Party, data.party, "party")
    o.founded, o.dissolved, o.size_reported = data.founded, data.dissolved, data.size_reported
    o.sizes = [s.model_dump(mode="json", exclude_none=True) for s in data.sizes]
    o.other_names = [n.model_dump(exclude_none=True) for n in data.other_names]
    o.note = data.note


ORGANISATION = Concept(
    "organisations",
    Organisation,
    OrganisationCreate,
    _org_fields,
    _apply_org,
    self_refs=lambda data: [data.parent] if data.parent else [],
)


def _membership_fields(m: Membership) -> dict[str, Any]:
    return {
        "person": m.person.key,
        "organisation": m.organisation.key,
        "role": m.role,
        "label": m.label,
        "start": m.start,
        "end": m.end,
        "note": m.note,
    }


def _apply_membership(session: Session, m: Membership, data: MembershipCreate) -> None:
    m.person = ref(session, Person, data.person, "person")  # type: ignore[assignment]
    m.organisation = ref(session, Organisation, data.organisation, "organisation")  # type: ignore[assignment]
    m.role, m.label, m.start, m.end = data.role, data.label, data.start, data.end
    m.note = data.note


MEMBERSHIP = Concept(
    "memberships", Membership, MembershipCreate, _membership_fields, _apply_membership
)

_ROLE_ORDER = {MembershipRole.chair: 0, MembershipRole.vice_chair: 1, MembershipRole.member: 2}


def members(
    session: Session,
    organisation: str,
    as_of: date,
    role: MembershipRole | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[tuple[Membership, Tri]]:
    """Memberships of ``organisation`` active on ``as_of`` (yes or unknown), chair first.

    Each comes with its answer: ``Tri.UNKNOWN`` where the dates' precision cannot decide.
    """
    org = get(session, ORGANISATION, organisation, clearance)
    query = select(Membership).where(Membership.organisation_id == org.id)
    if role is not None:
        query = query.where(Membership.role == role)
    found = [
        (m, active_on(m.start, m.end, as_of)) for m in _seen(session.scalars(query), clearance)
    ]
    return sorted(
        ((m, t) for m, t in found if t is not Tri.NO),
        key=lambda mt: (_ROLE_ORDER[mt[0].role], mt[0].person.key),
    )


def _seen(rows: Iterable[Membership], clearance: Sensitivity) -> list[Membership]:
    return [
        m
        for m in visible(rows, clearance)
        if allowed(m.person.sensitivity, clearance)
        and allowed(m.organisation.sensitivity, clearance)
    ]


def memberships_of(
    session: Session, person: Person, clearance: Sensitivity = EVERYTHING
) -> list[Membership]:
    """All memberships of a person (that the reader may see), by start."""
    rows = _seen(
        session.scalars(select(Membership).where(Membership.person_id == person.id)), clearance
    )
    return sorted(rows, key=lambda m: (m.start.sort_key() if m.start else (date.min,), m.key))


def list_organisations(
    session: Session,
    kind: OrganisationKind | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[Organisation]:
    """All organisations (optionally of ``kind``) that the reader may see, by key."""
    query = select(Organisation).order_by(Organisation.key)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return visible(session.scalars(query), clearance)
