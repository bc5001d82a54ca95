"""Parties and successions: reading, writing and the succession graph."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import Tri, active_on
from scidip.errors import InvalidData
from scidip.registry.party.codes import is_state_code, state_name
from scidip.registry.party.models import Party, PartyKind, Succession
from scidip.registry.party.schemas import PartyCreate, SuccessionCreate
from scidip.registry.record import Concept, ref


def _party_fields(p: Party) -> dict[str, Any]:
    # A state's name taken from ISO 3166 is not repeated (see PartyCreate's normalisation).
    iso_name = p.kind is PartyKind.state and is_state_code(p.key) and p.name == state_name(p.key)
    return {
        "name": None if iso_name else p.name,
        "kind": p.kind,
        "existed_from": p.existed_from,
        "existed_until": p.existed_until,
        "other_names": p.other_names,
        "note": p.note,
    }


def _apply_party(_session: Session, p: Party, data: PartyCreate) -> None:
    if data.kind is PartyKind.state:
        if not is_state_code(data.key):
            raise InvalidData(
                f"key: {data.key!r} is not an ISO 3166-1 alpha-3 or ISO 3166-3 code of a state"
            )
        p.name = data.name or state_name(data.key)
    else:
        if not data.name:
            raise InvalidData(f"name: an organisation ({data.key!r}) needs a name")
        p.name = data.name
    p.kind = data.kind
    p.existed_from = data.existed_from
    p.existed_until = data.existed_until
    p.other_names = [n.model_dump(exclude_none=True) for n in data.other_names]
    p.note = data.note


PARTY = Concept("parties", Party, PartyCreate, _party_fields, _apply_party)


def _succession_fields(s: Succession) -> dict[str, Any]:
    return {
        "predecessor": s.predecessor.key,
        "successor": s.successor.key,
        "date": s.date,
        "kind": s.kind,
        "note": s.note,
    }


def _apply_succession(session: Session, s: Succession, data: SuccessionCreate) -> None:
    predecessor = ref(session, Party, data.predecessor, "predecessor")
    successor = ref(session, Party, data.successor, "successor")
    assert predecessor is not None and successor is not None
    if predecessor.id == successor.id:
        raise InvalidData("successor: a state cannot succeed itself")
    if _succeeds(session, successor, predecessor, s.id):
        raise InvalidData(
            f"successor: {successor.key} already precedes {predecessor.key} through recorded "
            "successions; a cycle of successions is refused"
        )
    s.predecessor, s.successor = predecessor, successor
    s.date, s.kind, s.note = data.date, data.kind, data.note


def _succeeds(session: Session, first: Party, later: Party, leaving_out: int | None) -> bool:
    """Whether ``later`` succeeds ``first``, directly or through a chain of recorded successions:
    those stored (but ``leaving_out``, being rewritten) and those added to the session but not
    yet written (a load inserts a file's new records together)."""
    pending: dict[int, set[int]] = {}
    for new in session.new:
        if isinstance(new, Succession) and new.predecessor is not None and new.successor:
            pending.setdefault(new.predecessor.id, set()).add(new.successor.id)
    seen: set[int] = set()
    frontier = {first.id}
    while frontier:
        if later.id in frontier:
            return True
        seen |= frontier
        found = set(
            session.scalars(
                select(Succession.successor_id).where(
                    Succession.predecessor_id.in_(frontier), Succession.id != (leaving_out or -1)
                )
            )
        )
        found.update(*(pending.get(p, set()) for p in frontier))
        frontier = found - seen
    return False


SUCCESSION = Concept(
    "successions", Succession, SuccessionCreate, _succession_fields, _apply_succession
)


def exists_on(party: Party, as_of: date) -> Tri:
    """Did the party exist on ``as_of`` (``existed_from <= as_of < existed_until``)?"""
    return active_on(party.existed_from, party.existed_until, as_of)


def successors_of(session: Session, predecessor: Party) -> list[Succession]:
    """The recorded successions from ``predecessor``, ordered by successor code."""
    return list(
        session.scalars(
            select(Succession)
            .where(Succession.predecessor_id == predecessor.id)
            .join(Party, Party.id == Succession.successor_id)
            .order_by(Party.key)
        )
    )


def list_parties(session: Session, kind: PartyKind | None = None) -> list[Party]:
    """All parties, by code."""
    query = select(Party).order_by(Party.key)
    if kind is not None:
        query = query.where(Party.kind == kind)
    return list(session.scalars(query))
