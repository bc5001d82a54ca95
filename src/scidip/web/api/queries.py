"""The registry's questions over HTTP: coverage, a country's agreements, expiring agreements,
overdue committees, post holders, members of a body, meetings, engagements, documents.

Each route calls one registry function with the reader's clearance: what they may not see is
left out by the registry itself, counts included.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.models import AgreementKind
from scidip.registry.agreement.queries import agreements_with, succession_suggestions, term_warnings
from scidip.registry.body.service import members
from scidip.registry.committee.service import meetings_in, overdue_committees
from scidip.registry.document.models import DocumentKind
from scidip.registry.document.service import find_documents
from scidip.registry.engagement.models import EngagementKind
from scidip.registry.engagement.service import find_engagements
from scidip.registry.post.service import holders
from scidip.registry.results import (
    CommitteeDueOut,
    CoverageOut,
    DatedOut,
    DocumentStatusOut,
    HolderOut,
    MemberOut,
    PartyStatusOut,
    SuggestionOut,
    TermWarningOut,
    coverage_result,
    plain,
    row,
)
from scidip.web.deps import AsOf, Day, DbSession, Home, Reader
from scidip.web.kept import KeptReads

router = APIRouter(prefix="/queries", tags=["queries"], route_class=KeptReads)

Kinds = Annotated[
    list[AgreementKind] | None, Query(description="Agreement kinds to count; default: all.")
]
Start = Annotated[Day | None, Query(description="First day of the period (inclusive).")]
End = Annotated[Day | None, Query(description="End of the period (exclusive).")]


@router.get("/coverage", response_model=CoverageOut, name="coverage")
def coverage_route(
    db: DbSession,
    who: Reader,
    home: Home,
    as_of: AsOf,
    kind: Kinds = None,
    lines: Annotated[
        bool, Query(description="Include each covered and undecided line, with why.")
    ] = False,
) -> Any:
    """What the home party's agreements cover on a date: the counting rule. The totals; the
    lines too with ``lines=true``."""
    c = coverage(db, home, as_of, kind, clearance=who.clearance)
    return coverage_result(c, lines)


@router.get("/agreements-with/{code}", response_model=list[PartyStatusOut], name="agreements_with")
def agreements_with_route(
    code: Annotated[str, Path(description="Code of the party (KAZ).")],
    db: DbSession,
    who: Reader,
    home: Home,
    as_of: AsOf,
) -> Any:
    """Every agreement between the home party and one country, with how each stands."""
    found = agreements_with(db, home, code, as_of, clearance=who.clearance)
    return [row(s) for s in found]


@router.get("/term-warnings", response_model=list[TermWarningOut], name="term_warnings")
def term_warnings_route(
    db: DbSession,
    who: Reader,
    home: Home,
    as_of: AsOf,
    within_days: Annotated[int, Query(ge=0, le=3650, description="Horizon in days.")] = 180,
) -> Any:
    """Agreements whose fixed term expires within the horizon, or has lapsed."""
    found = term_warnings(db, home, as_of, within_days, clearance=who.clearance)
    return [row(w) for w in found]


@router.get(
    "/succession-suggestions", response_model=list[SuggestionOut], name="succession_suggestions"
)
def suggestions_route(db: DbSession, who: Reader, home: Home, as_of: AsOf) -> Any:
    """Successor states with no decision recorded on a predecessor's agreement (for review)."""
    found = succession_suggestions(db, home, as_of, clearance=who.clearance)
    return [row(s) for s in found]


@router.get("/overdue-committees", response_model=list[CommitteeDueOut], name="overdue_committees")
def overdue_route(db: DbSession, who: Reader, as_of: AsOf) -> Any:
    """Joint committees overdue (or possibly overdue) on a date, oldest due first."""
    return [row(d) for d in overdue_committees(db, as_of, clearance=who.clearance)]


@router.get("/holders/{post}", response_model=list[HolderOut], name="post_holders")
def holders_route(
    post: Annotated[str, Path(description="Key of the post.")],
    db: DbSession,
    who: Reader,
    as_of: AsOf,
) -> Any:
    """Who held a post on a date."""
    return [
        {
            "appointment": a.key,
            "person": a.person.key,
            "person_name": a.person.name,
            "start": plain(a.start),
            "end": plain(a.end),
            "active": t.value,
        }
        for a, t in holders(db, post, as_of, clearance=who.clearance)
    ]


@router.get("/members/{organisation}", response_model=list[MemberOut], name="body_members")
def members_route(
    organisation: Annotated[str, Path(description="Key of the body.")],
    db: DbSession,
    who: Reader,
    as_of: AsOf,
) -> Any:
    """Members of a body (the advisory board...) on a date, chair first."""
    return [
        {
            "membership": m.key,
            "person": m.person.key,
            "person_name": m.person.name,
            "role": m.role.value,
            "label": m.label,
            "start": plain(m.start),
            "end": plain(m.end),
            "active": t.value,
        }
        for m, t in members(db, organisation, as_of, clearance=who.clearance)
    ]


@router.get("/meetings", response_model=list[DatedOut], name="meetings_in")
def meetings_route(db: DbSession, who: Reader, start: Start = None, end: End = None) -> Any:
    """Committee meetings held in a period (start inclusive, end exclusive)."""
    found = meetings_in(db, start or date.min, end or date.max, clearance=who.clearance)
    return [
        {
            "key": m.key,
            "kind": "meeting",
            "title": f"{m.committee.name}, meeting {m.number or ''}".rstrip(),
            "date": plain(m.date),
            "within": t.value,
        }
        for m, t in found
    ]


@router.get("/engagements", response_model=list[DatedOut], name="find_engagements")
def engagements_route(
    db: DbSession,
    who: Reader,
    start: Start = None,
    end: End = None,
    person: Annotated[str | None, Query(description="Key of a participant.")] = None,
    party: Annotated[str | None, Query(description="Code of a counterpart or host.")] = None,
    kind: Annotated[EngagementKind | None, Query(description="Kind of event.")] = None,
) -> Any:
    """Engagements in a period, with a participant, a counterpart party, of a kind."""
    found = find_engagements(db, start, end, person, party, kind, clearance=who.clearance)
    return [
        {
            "key": e.key,
            "kind": e.kind.value,
            "title": e.title,
            "date": plain(e.date),
            "within": t.value,
        }
        for e, t in found
    ]


@router.get("/documents", response_model=list[DocumentStatusOut], name="find_documents")
def documents_route(
    db: DbSession,
    who: Reader,
    as_of: AsOf,
    kind: Annotated[DocumentKind | None, Query(description="Kind of document.")] = None,
    party: Annotated[str | None, Query(description="Code of a party concerned.")] = None,
) -> Any:
    """Documents issued by a date, with their follow-up status then."""
    found = find_documents(db, as_of, kind, party, clearance=who.clearance)
    return [
        {
            "key": d.key,
            "kind": d.kind.value,
            "title": d.title,
            "date": plain(d.date),
            "status": plain(s),
        }
        for d, s in found
    ]
