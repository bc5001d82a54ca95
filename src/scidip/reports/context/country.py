"""The country brief: everything the registry knows about one partner, on a date.

Later capabilities (materials, indicators) add their own sections by passing *section builders*
to :func:`build_country`: functions ``(session, code, as_of, clearance) -> Section | None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri, add_days, add_months
from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.registry.access import allowed, visible
from scidip.registry.agreement.queries import agreements_with
from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.committee.service import COMMITTEE, committee_due, list_committees
from scidip.registry.document.models import DocumentKind
from scidip.registry.document.service import find_documents
from scidip.registry.engagement.service import find_engagements
from scidip.registry.party.models import Party
from scidip.registry.party.service import PARTY, SUCCESSION, successors_of
from scidip.registry.record import get
from scidip.reports.common import agreements_by_key, earliest_signature
from scidip.reports.context.lines import (
    DocumentLine,
    EventLine,
    MeetingLine,
    document_line,
    event_line,
    meeting_line,
    party_names,
)
from scidip.reports.context.side import side_of
from scidip.reports.sources import SourceBook, SourceEntry

RECENT_YEARS = 5
"""How far back "recent engagements" go from the date asked."""


@dataclass(frozen=True)
class AgreementLine:
    """One agreement with the partner and how it stands on the date."""

    key: str
    title: str
    kind: str
    signed: PartialDate | None
    covered: str  # yes, no, unknown
    how: str  # direct or succession
    via: str | None  # the predecessor's name, for an inherited agreement
    via_code: str | None
    since: PartialDate | None
    ended: PartialDate | None
    reason: str
    refs: list[int]


@dataclass(frozen=True)
class SuccessionLine:
    """The partner's succession to a predecessor state whose agreement it inherited."""

    predecessor: str
    date: PartialDate | None
    kind: str
    refs: list[int]


def _successions(
    session: Session,
    party: Party,
    agreements: list[AgreementLine],
    book: SourceBook,
    clearance: Sensitivity,
) -> list[SuccessionLine]:
    """Successions of the partner to the predecessors named by its inherited agreements."""
    vias = sorted({a.via_code for a in agreements if a.via_code})
    lines = []
    for via in vias:
        predecessor = get(session, PARTY, via)
        for s in successors_of(session, predecessor):
            if s.successor.key == party.key and allowed(s.sensitivity, clearance):
                lines.append(
                    SuccessionLine(
                        predecessor.name, s.date, s.kind.value, book.cite(SUCCESSION.table, s)
                    )
                )
    return lines


@dataclass(frozen=True)
class CommitteeLine:
    """A joint committee with the partner: its meetings up to the date and when the next is due."""

    name: str
    agreement: str
    cadence_months: int | None
    meetings: list[MeetingLine]
    next_due: PartialDate | None
    overdue: str  # yes, no, unknown
    due_reason: str
    refs: list[int]


@dataclass(frozen=True)
class Section:
    """A section a later capability adds: a title and paragraphs of plain text."""

    title: str
    paragraphs: list[str]


SectionBuilder = Callable[[Session, str, date, Sensitivity], Section | None]


@dataclass
class CountryBrief:
    """What the registry knows about one partner on ``as_of``."""

    code: str
    name: str
    kind: str
    existed_from: PartialDate | None
    existed_until: PartialDate | None
    home_name: str
    as_of: date
    generated_on: date
    clearance: Sensitivity
    agreements: list[AgreementLine]
    successions: list[SuccessionLine]
    committees: list[CommitteeLine]
    engagements: list[EventLine]
    documents: list[DocumentLine]
    extra: list[Section] = field(default_factory=list)
    sources: list[SourceEntry] = field(default_factory=list)
    marking: Sensitivity = Sensitivity.public  # the highest sensitivity of what it states


def _agreements(
    session: Session,
    home: str,
    party: Party,
    as_of: date,
    names: dict[str, str],
    book: SourceBook,
    clearance: Sensitivity,
) -> list[AgreementLine]:
    known = agreements_by_key(session, home, None, clearance)
    lines = []
    for s in agreements_with(session, home, party.key, as_of, clearance=clearance):
        if s.agreement not in known:
            continue
        agreement = known[s.agreement]
        lines.append(
            AgreementLine(
                key=s.agreement,
                title=s.title,
                kind=agreement.kind.value,
                signed=earliest_signature(agreement),
                covered=s.covered.value,
                how=s.how,
                via=names.get(s.via, s.via) if s.via else None,
                via_code=s.via,
                since=s.since,
                ended=s.ended,
                reason=s.reason,
                refs=book.cite(AGREEMENT.table, agreement),
            )
        )
    return lines


def _committees(
    session: Session,
    home: str,
    code: str,
    as_of: date,
    names: dict[str, str],
    book: SourceBook,
    clearance: Sensitivity,
) -> list[CommitteeLine]:
    lines = []
    side = side_of(session, home)
    for c in list_committees(session, counterpart=code, clearance=clearance):
        if not side.has_committee(c):
            continue
        due = committee_due(c, as_of, clearance=clearance)
        held = [
            meeting_line(m, names, book)
            for m in visible(c.meetings, clearance)
            if m.date is None or m.date.on_or_before(as_of) is not Tri.NO
        ]
        lines.append(
            CommitteeLine(
                name=c.name,
                agreement=c.agreement.title,
                cadence_months=c.cadence_months,
                meetings=held,
                next_due=due.next_due,
                overdue=due.overdue.value,
                due_reason=due.reason,
                refs=book.cite(COMMITTEE.table, c),
            )
        )
    return lines


def _engagements(
    session: Session,
    home: str,
    code: str,
    as_of: date,
    names: dict[str, str],
    book: SourceBook,
    clearance: Sensitivity,
) -> list[EventLine]:
    since = add_months(as_of.replace(day=1), -12 * RECENT_YEARS)
    found = find_engagements(session, since, add_days(as_of, 1), party=code, clearance=clearance)
    side = side_of(session, home)
    lines = [
        event_line(e, names, book, clearance)
        for e, _ in found
        if allowed(e.sensitivity, clearance) and side.has_engagement(e)
    ]
    return list(reversed(lines))


def build_country(
    session: Session,
    home: str,
    code: str,
    as_of: date,
    generated_on: date,
    clearance: Sensitivity = Sensitivity.restricted,
    sections: Sequence[SectionBuilder] = (),
) -> CountryBrief:
    """The brief on partner ``code`` as of ``as_of``, as the reader with ``clearance`` may see it.

    Raises :class:`NotFound` for an unknown code or one the reader may not see.
    """
    party = get(session, PARTY, code)
    if not allowed(party.sensitivity, clearance):
        raise NotFound(f"no party with key {code!r}")
    book = SourceBook(session, clearance)
    names = party_names(session, clearance)
    book.cite(PARTY.table, party)
    agreements = _agreements(session, home, party, as_of, names, book, clearance)
    side = side_of(session, home)
    brief = CountryBrief(
        code=party.key,
        name=party.name,
        kind=party.kind.value,
        existed_from=party.existed_from,
        existed_until=party.existed_until,
        home_name=names.get(home, home),
        as_of=as_of,
        generated_on=generated_on,
        clearance=clearance,
        agreements=agreements,
        successions=_successions(session, party, agreements, book, clearance),
        committees=_committees(session, home, code, as_of, names, book, clearance),
        engagements=_engagements(session, home, code, as_of, names, book, clearance),
        documents=[
            document_line(d, status, book, clearance)
            for d, status in find_documents(
                session, as_of, DocumentKind.recommendation, code, clearance
            )
            if allowed(d.sensitivity, clearance) and side.has_document(d)
        ],
    )
    brief.extra = [s for build in sections if (s := build(session, code, as_of, clearance))]
    brief.sources = book.entries()
    brief.marking = book.highest
    return brief
