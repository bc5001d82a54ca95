"""Agreements: reading and writing them, and the lists built on them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, levels, visible
from scidip.registry.agreement.models import (
    Agreement,
    AgreementAction,
    AgreementKind,
    CoverageSpan,
)
from scidip.registry.agreement.rule import acts_of, spans
from scidip.registry.agreement.schemas import ActionIn, AgreementCreate
from scidip.registry.party.models import Party
from scidip.registry.record import Concept, key_of, ref
from scidip.registry.source.models import Source


def _action_fields(a: AgreementAction) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "party": key_of(a.party),
        "taken": a.taken,
        "effective": a.effective,
        "until": a.until,
        "via": key_of(a.via),
        "replaced_by": key_of(a.replaced_by),
        "note": a.note,
        "sources": a.sources,
    }


def _agreement_fields(a: Agreement) -> dict[str, Any]:
    return {
        "title": a.title,
        "kind": a.kind,
        "subjects": a.subjects,
        "note": a.note,
        "actions": [_action_fields(x) for x in a.actions],
    }


def _build_action(session: Session, position: int, data: ActionIn) -> AgreementAction:
    action = AgreementAction(
        position=position,
        kind=data.kind,
        party=ref(session, Party, data.party, "actions.party"),
        taken=data.taken,
        effective=data.effective,
        until=data.until,
        via=ref(session, Party, data.via, "actions.via"),
        replaced_by=ref(session, Agreement, data.replaced_by, "actions.replaced_by"),
        note=data.note,
        sources=[c.model_dump() for c in data.sources],
    )
    for cited in data.sources:  # kept with the action, not as citations: checked here
        ref(session, Source, cited.source, "actions.sources.source")
    return action


def _apply_agreement(session: Session, a: Agreement, data: AgreementCreate) -> None:
    a.title, a.kind, a.subjects, a.note = data.title, data.kind, list(data.subjects), data.note
    a.actions = [_build_action(session, i, x) for i, x in enumerate(data.actions)]
    a.spans = [
        CoverageSpan(
            party=s.party,
            how=s.how,
            via=s.via,
            since=s.since,
            ends=s.end,
            end_kind=s.end_kind,
            replaced_by=s.replaced_by,
        )
        for s in spans(acts_of(a))
    ]


AGREEMENT = Concept(
    "agreements",
    Agreement,
    AgreementCreate,
    _agreement_fields,
    _apply_agreement,
    self_refs=lambda data: [a.replaced_by for a in data.actions if a.replaced_by],
)


def agreements_of(
    session: Session,
    home: str | None,
    kinds: list[AgreementKind] | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[Agreement]:
    """Agreements to which the party ``home`` is a party (has an action), or all agreements when
    ``home`` is ``None``; of ``kinds`` if given; by key; those a reader with ``clearance`` may
    see (the clearance is a condition of the query)."""
    query = select(Agreement).where(Agreement.sensitivity.in_(levels(clearance)))
    if home is not None:
        acting = (
            select(AgreementAction.agreement_id)
            .join(Party, Party.id == AgreementAction.party_id)
            .where(Party.key == home)
        )
        query = query.where(Agreement.id.in_(acting))
    if kinds:
        query = query.where(Agreement.kind.in_(kinds))
    return list(session.scalars(query.order_by(Agreement.key)))


def counterparties(
    agreement: Agreement, home: str, clearance: Sensitivity = EVERYTHING
) -> list[Party]:
    """Every party of the agreement other than ``home`` (that the reader may see), in order of
    first action."""
    seen: dict[int, Party] = {}
    for action in agreement.actions:
        if action.party is not None and action.party.key != home:
            seen.setdefault(action.party.id, action.party)
    return visible(seen.values(), clearance)


def partner_codes_in_force(session: Session, home: str, as_of: date) -> set[str]:
    """Codes of the states covered by an S&T agreement in force with ``home`` on ``as_of``.

    Used by the materials scenarios ("diversify towards agreement partners").
    """
    from scidip.registry.agreement.coverage import coverage

    return {line.party for line in coverage(session, home, as_of).states}
