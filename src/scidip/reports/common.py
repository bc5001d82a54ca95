"""What the reports share: the reader's clearance, periods, people's affiliations, coverage."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate
from scidip.db.base import Sensitivity
from scidip.registry.agreement.coverage import Coverage, coverage
from scidip.registry.agreement.models import ActionKind, Agreement, AgreementKind
from scidip.registry.agreement.queries import list_agreements
from scidip.registry.body.models import MembershipRole
from scidip.registry.body.service import memberships_of
from scidip.registry.person.models import Person

BILATERAL: list[AgreementKind] = [k for k in AgreementKind if k is not AgreementKind.multilateral]
"""The kinds counted as bilateral S&T cooperation agreements (all but multilateral ones)."""


def year_bounds(year: int) -> tuple[date, date]:
    """The year as ``start <= day < end``."""
    return date(year, 1, 1), date(year + 1, 1, 1)


def day_of(as_of: PartialDate) -> date:
    """The day a figure given for a period holds on: the period's last day (the end of the year
    for "2022")."""
    return as_of.latest


def affiliation(session: Session, person: Person, clearance: Sensitivity) -> str | None:
    """A person's titles outside the boards, as the source gives them: "Professor Emeritus,
    University of Tokyo" (several joined by "; "), or ``None``."""
    parts = [
        f"{m.label}, {m.organisation.name}" if m.label else m.organisation.name
        for m in memberships_of(session, person, clearance)
        if m.role is MembershipRole.member and m.label
    ]
    return "; ".join(parts) or None


def agreements_by_key(
    session: Session, home: str, kinds: list[AgreementKind] | None, clearance: Sensitivity
) -> dict[str, Agreement]:
    """The home party's agreements of ``kinds`` that the reader may see, by key."""
    return {a.key: a for a in list_agreements(session, kinds, party=home, clearance=clearance)}


def visible_coverage(
    session: Session,
    home: str,
    as_of: date,
    kinds: list[AgreementKind] | None,
    clearance: Sensitivity,
) -> Coverage:
    """The counting rule (:func:`coverage`) over the agreements and parties the reader may see:
    what is hidden is neither counted nor listed."""
    return coverage(session, home, as_of, kinds, clearance=clearance)


def earliest_signature(agreement: Agreement) -> PartialDate | None:
    """The earliest date a party signed the agreement, if recorded."""
    known = [
        a.taken for a in agreement.actions if a.kind is ActionKind.signature and a.taken is not None
    ]
    return min(known) if known else None
