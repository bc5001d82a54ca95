"""Engagements: reading, writing, and finding them by period, person, party and kind."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, visible
from scidip.registry.body.models import Organisation
from scidip.registry.engagement.models import Engagement, EngagementKind
from scidip.registry.engagement.schemas import EngagementCreate
from scidip.registry.party.models import Party
from scidip.registry.person.models import Person
from scidip.registry.record import Concept, key_of, ref, refs


def _fields(e: Engagement) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "title": e.title,
        "date": e.date,
        "end": e.end,
        "number": e.number,
        "mode": e.mode,
        "host": key_of(e.host),
        "participants": [p.key for p in e.participants],
        "counterpart_organisations": [o.key for o in e.counterpart_organisations],
        "counterpart_parties": [p.key for p in e.counterpart_parties],
        "places": e.places,
        "topics": e.topics,
        "outcome": e.outcome,
        "note": e.note,
    }


def _apply(session: Session, e: Engagement, data: EngagementCreate) -> None:
    e.kind, e.title, e.date, e.end = data.kind, data.title, data.date, data.end
    e.number, e.mode = data.number, data.mode
    e.host = ref(session, Organisation, data.host, "host")
    e.participants = refs(session, Person, data.participants, "participants")
    e.counterpart_organisations = refs(
        session, Organisation, data.counterpart_organisations, "counterpart_organisations"
    )
    e.counterpart_parties = refs(session, Party, data.counterpart_parties, "counterpart_parties")
    for place in data.places:
        ref(session, Party, place.party, "places.party")
    e.places = [p.model_dump(exclude_none=True) for p in data.places]
    e.topics, e.outcome, e.note = list(data.topics), data.outcome, data.note


ENGAGEMENT = Concept("engagements", Engagement, EngagementCreate, _fields, _apply)


def find_engagements(
    session: Session,
    start: date | None = None,
    end: date | None = None,
    person: str | None = None,
    party: str | None = None,
    kind: EngagementKind | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[tuple[Engagement, Tri]]:
    """Engagements within ``start <= day < end`` (either bound may be open), with a participant
    ``person``, a counterpart or place ``party``, of ``kind``; by date. Each comes with whether it
    surely (yes) or possibly (unknown) falls in the period."""
    query = select(Engagement)
    if kind is not None:
        query = query.where(Engagement.kind == kind)
    found: list[tuple[Engagement, Tri]] = []
    for e in visible(session.scalars(query), clearance):
        if person and person not in {p.key for p in e.participants}:
            continue
        if party and party not in {p.key for p in e.counterpart_parties} | {
            str(pl.get("party")) for pl in e.places
        }:
            continue
        within = Tri.YES
        if e.date is None:
            within = Tri.UNKNOWN if (start or end) else Tri.YES
        elif start or end:
            within = e.date.overlaps(start or date.min, end or date.max)
        if within is not Tri.NO:
            found.append((e, within))
    return sorted(
        found, key=lambda et: (et[0].date.sort_key() if et[0].date else (date.max,), et[0].key)
    )
