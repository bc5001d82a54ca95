"""Country views, succession suggestions and term warnings, all built on the coverage rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri, add_days
from scidip.db.base import Sensitivity, date_columns, stored_date
from scidip.registry.access import EVERYTHING, levels
from scidip.registry.agreement.coverage import acting_in, id_of, party_facts, plain_reads
from scidip.registry.agreement.models import (
    ActionKind,
    Agreement,
    AgreementAction,
    AgreementKind,
    CoverageSpan,
)
from scidip.registry.agreement.rule import Act, PartyStatus, party_status, term_end_of
from scidip.registry.agreement.service import agreements_of
from scidip.registry.party.models import Party, Succession
from scidip.registry.party.service import PARTY
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
    counted. Only successions that had happened by ``as_of`` (or may have) are considered.

    Three statements whatever the registry's size: the parties, the successions, and who acts
    under each of the home party's agreements (the stored spans)."""
    shown = levels(clearance)
    connection = plain_reads(session)
    parties = party_facts(connection, shown)
    successions: dict[int, list[tuple[int, PartialDate | None]]] = {}
    rows = connection.execute(
        select(Succession.predecessor_id, Succession.successor_id, *_SUCCESSION_DATE)
        .join(Party, Party.id == Succession.successor_id)
        .where(Succession.sensitivity.in_(shown))
        .order_by(Party.key)
    )
    for row in rows:
        successions.setdefault(row[0], []).append((row[1], stored_date(*row[2:7])))
    home_id = id_of(parties, home)
    own = acting_in(home_id)
    acting = connection.execute(
        select(Agreement.key, Agreement.title, CoverageSpan.party_id)
        .join(Agreement, Agreement.id == CoverageSpan.agreement_id)
        .where(Agreement.id.in_(own), Agreement.sensitivity.in_(shown))
        .order_by(Agreement.key, CoverageSpan.id)
    )
    found: list[SuccessionSuggestion] = []
    for (key, title), rows_of in groupby(acting, key=lambda r: (r[0], r[1])):
        ids = [r[2] for r in rows_of]
        for predecessor in ids:
            if predecessor == home_id or not parties[predecessor][1]:
                continue
            for successor, when in successions.get(predecessor, []):
                facts, successor_shown = parties[successor]
                happened = Tri.UNKNOWN if when is None else when.on_or_before(as_of)
                if not successor_shown or successor in ids or happened is Tri.NO:
                    continue
                found.append(
                    SuccessionSuggestion(
                        agreement=key,
                        title=title,
                        predecessor=parties[predecessor][0].key,
                        successor=facts.key,
                        successor_name=facts.name,
                        succession_date=when,
                    )
                )
    return found


_SUCCESSION_DATE = date_columns(Succession.__table__, "date")


@dataclass(frozen=True)
class TermWarning:
    """An agreement whose fixed term ends soon or has ended."""

    agreement: str
    title: str
    term_end: PartialDate
    state: str  # "expiring" or "lapsed"
    days_left: int | None  # days from as_of to the end (earliest possible day), if expiring


def _terminated(acts: list[Act[int, int]], as_of: date) -> bool:
    return any(
        a.party is None
        and a.kind is ActionKind.termination
        and a.when is not None
        and a.when.on_or_before(as_of) is Tri.YES
        for a in acts
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
    ended on or before it without a later extension or termination (*lapsed*).

    One statement: the actions that give a term or end the whole agreement, of the home party's
    agreements that the reader may see."""
    horizon = add_days(as_of, within_days)
    acting = (
        select(AgreementAction.agreement_id)
        .join(Party, Party.id == AgreementAction.party_id)
        .where(Party.key == home)
    )
    query = (
        select(Agreement.key, Agreement.title, AgreementAction.kind, AgreementAction.party_id)
        .add_columns(*_ACTION_DATES)
        .join(Agreement, Agreement.id == AgreementAction.agreement_id)
        .where(Agreement.id.in_(acting), Agreement.sensitivity.in_(levels(clearance)))
        .where(
            AgreementAction.__table__.c.until_on.is_not(None)
            | (
                AgreementAction.party_id.is_(None)
                & (AgreementAction.kind == ActionKind.termination)
            )
        )
        .order_by(Agreement.key, AgreementAction.position)
    )
    if kinds:
        query = query.where(Agreement.kind.in_(kinds))
    warnings: list[TermWarning] = []
    for (key, title), rows in groupby(plain_reads(session).execute(query), lambda r: r[:2]):
        acts: list[Act[int, int]] = [
            Act(
                r[2],
                r[3],
                stored_date(*r[4:9]) or stored_date(*r[9:14]),
                stored_date(*r[14:19]),
                None,
                None,
            )
            for r in rows
        ]
        end = term_end_of(acts)
        if end is None or _terminated(acts, as_of):
            continue
        if end.on_or_before(as_of) is Tri.YES:
            warnings.append(TermWarning(key, title, end, "lapsed", None))
        elif end.earliest <= horizon:
            days = (end.earliest - as_of).days
            warnings.append(TermWarning(key, title, end, "expiring", days))
    return sorted(warnings, key=lambda w: (w.term_end.sort_key(), w.agreement))


_ACTION_DATES = [
    *date_columns(AgreementAction.__table__, "effective"),
    *date_columns(AgreementAction.__table__, "taken"),
    *date_columns(AgreementAction.__table__, "until"),
]


def list_agreements(
    session: Session,
    kinds: list[AgreementKind] | None = None,
    party: str | None = None,
    clearance: Sensitivity = EVERYTHING,
) -> list[Agreement]:
    """All agreements (optionally of ``kinds``, or with ``party`` acting), by key."""
    return agreements_of(session, party, kinds, clearance)
