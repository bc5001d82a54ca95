"""Country views, succession suggestions and term warnings, all built on the coverage rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, allowed, visible
from scidip.registry.agreement.coverage import PartyStatus, action_date, party_status, term_end
from scidip.registry.agreement.models import ActionKind, Agreement, AgreementAction, AgreementKind
from scidip.registry.agreement.service import agreements_of, counterparties
from scidip.registry.party.service import PARTY, successors_of
from scidip.registry.record import get


def agreements_with(
    session: Session, home: str, code: str, as_of: date, clearance: Sensitivity = EVERYTHING
) -> list[PartyStatus]:
    """Every agreement between ``home`` and the party ``code``, inherited ones included, with how
    each stands on ``as_of`` (in the manner of the US *Treaties in Force*: a country view)."""
    party = get(session, PARTY, code, clearance)
    acting = select(AgreementAction.agreement_id).where(AgreementAction.party_id == party.id)
    rows = select(Agreement).where(Agreement.id.in_(acting)).order_by(Agreement.key)
    home_keys = {a.key for a in agreements_of(session, home, clearance=clearance)}
    return [
        party_status(agreement, party, as_of)
        for agreement in session.scalars(rows)
        if agreement.key in home_keys
    ]


@dataclass(frozen=True)
class SuccessionSuggestion:
    """A successor state of a predecessor that had an agreement, with no decision recorded."""

    agreement: str
    title: str
    predecessor: str
    successor: str
    successor_name: str
    succession_date: PartialDate | None


def succession_suggestions(
    session: Session, home: str, as_of: date, clearance: Sensitivity = EVERYTHING
) -> list[SuccessionSuggestion]:
    """Successor states that might have inherited an agreement of their predecessor but for which
    no action (succession, entry into force, termination...) is recorded: for review, never
    counted. Only successions that had happened by ``as_of`` (or may have) are considered."""
    found: list[SuccessionSuggestion] = []
    for agreement in agreements_of(session, home, clearance=clearance):
        acting = {a.party.id for a in agreement.actions if a.party is not None}
        for predecessor in counterparties(agreement, home, clearance):
            for succession in visible(successors_of(session, predecessor), clearance):
                successor = succession.successor
                if not allowed(successor.sensitivity, clearance):
                    continue
                happened = (
                    Tri.UNKNOWN if succession.date is None else succession.date.on_or_before(as_of)
                )
                if successor.id in acting or happened is Tri.NO:
                    continue
                found.append(
                    SuccessionSuggestion(
                        agreement=agreement.key,
                        title=agreement.title,
                        predecessor=predecessor.key,
                        successor=successor.key,
                        successor_name=successor.name,
                        succession_date=succession.date,
                    )
                )
    return found


@dataclass(frozen=True)
class TermWarning:
    """An agreement whose fixed term ends soon or has ended."""

    agreement: str
    title: str
    term_end: PartialDate
    state: str  # "expiring" or "lapsed"
    days_left: int | None  # days from as_of to the end (earliest possible day), if expiring


def _terminated(agreement: Agreement, as_of: date) -> bool:
    return any(
        a.party is None
        and a.kind is ActionKind.termination
        and (when := action_date(a)) is not None
        and when.on_or_before(as_of) is Tri.YES
        for a in agreement.actions
    )


def term_warnings(
    session: Session,
    home: str,
    as_of: date,
    within_days: int = 180,
    kinds: list[AgreementKind] | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[TermWarning]:
    """Agreements whose fixed term ends within ``within_days`` after ``as_of`` (*expiring*), or
    ended on or before it without a later extension or termination (*lapsed*)."""
    horizon = as_of + timedelta(days=within_days)
    warnings: list[TermWarning] = []
    for agreement in agreements_of(session, home, kinds, clearance):
        end = term_end(agreement)
        if end is None or _terminated(agreement, as_of):
            continue
        if end.on_or_before(as_of) is Tri.YES:
            warnings.append(TermWarning(agreement.key, agreement.title, end, "lapsed", None))
        elif end.earliest <= horizon:
            days = (end.earliest - as_of).days
            warnings.append(TermWarning(agreement.key, agreement.title, end, "expiring", days))
    return sorted(warnings, key=lambda w: (w.term_end.sort_key(), w.agreement))


def list_agreements(
    session: Session,
    kinds: list[AgreementKind] | None = None,
    party: str | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[Agreement]:
    """All agreements (optionally of ``kinds``, or with ``party`` acting), by key."""
    return agreements_of(session, party, kinds, clearance)
