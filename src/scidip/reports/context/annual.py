"""The annual report chapter (the Bluebook section for one year), computed from the registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import allowed, visible
from scidip.registry.body.models import MembershipRole, Organisation, OrganisationKind
from scidip.registry.body.service import ORGANISATION, list_organisations, members
from scidip.registry.committee.service import meetings_in
from scidip.registry.document.service import find_documents
from scidip.registry.engagement.models import EngagementKind
from scidip.registry.engagement.service import find_engagements
from scidip.registry.figure.service import list_figures
from scidip.registry.post.models import Post
from scidip.registry.post.service import APPOINTMENT, POST, appointments, list_posts
from scidip.reports.charts import engagements_by_month
from scidip.reports.common import affiliation, year_bounds
from scidip.reports.context.agreements import (
    AgreementsSection,
    MultilateralLine,
    agreements_section,
    multilateral,
)
from scidip.reports.context.lines import (
    DocumentLine,
    EventLine,
    MeetingLine,
    document_line,
    event_line,
    meeting_line,
    party_names,
)
from scidip.reports.reconcile import FigureCheck, check_figure
from scidip.reports.sources import SourceBook, SourceEntry

EXCHANGES = {EngagementKind.bilateral_meeting, EngagementKind.network_meeting}
VISITS = {EngagementKind.visit, EngagementKind.forum}
SEMINARS = {EngagementKind.seminar, EngagementKind.online_meeting}


@dataclass(frozen=True)
class HolderLine:
    """One holder of a post: who, their titles, from when to when."""

    person: str
    affiliation: str | None
    start: PartialDate | None
    end: PartialDate | None
    note: str | None
    in_year: bool  # held the post (or may have) during the year
    refs: list[int]


@dataclass(frozen=True)
class PostSection:
    """A post with its holders up to the end of the year."""

    label: str
    organisation: str | None
    created: PartialDate | None
    description: str | None
    holders: list[HolderLine]
    refs: list[int]


@dataclass(frozen=True)
class BodySection:
    """An advisory network or board: what it is, its size, chair and vice-chair, the year's
    meetings."""

    name: str
    kind: str
    parent: str | None
    note: str | None
    size_reported: int | None
    chairs: list[str]
    vice_chairs: list[str]
    meetings: list[EventLine]
    refs: list[int]


@dataclass
class AnnualReport:
    """Everything the chapter states, each item with the numbers of its sources."""

    year: int
    home: str
    home_name: str
    generated_on: date
    clearance: Sensitivity
    posts: list[PostSection]
    bodies: list[BodySection]
    documents: list[DocumentLine]
    exchanges: list[EventLine]
    visits: list[EventLine]
    seminars: list[EventLine]
    other_events: list[EventLine]
    agreements: AgreementsSection
    published: list[FigureCheck]
    committees: list[MeetingLine]
    multilateral: list[MultilateralLine]
    organisations: list[MultilateralLine]
    chart_svg: str | None
    sources: list[SourceEntry]


def _post(
    session: Session, post: Post, year: int, book: SourceBook, clearance: Sensitivity
) -> PostSection | None:
    start, end = year_bounds(year)
    lines = []
    for a in appointments(session, post.key, clearance):
        if a.start is not None and a.start.on_or_before(end) is Tri.NO:
            continue
        held = a.end is None or a.end.after(start) is not Tri.NO
        began = a.start is None or a.start.on_or_before(date(year, 12, 31)) is not Tri.NO
        lines.append(
            HolderLine(
                person=a.person.name,
                affiliation=affiliation(session, a.person, clearance),
                start=a.start,
                end=a.end,
                note=a.note,
                in_year=held and began,
                refs=book.cite(APPOINTMENT.table, a),
            )
        )
    if not lines:
        return None
    org = post.organisation
    return PostSection(
        label=post.label,
        organisation=org.name if org is not None and allowed(org.sensitivity, clearance) else None,
        created=post.created,
        description=post.description,
        holders=lines,
        refs=book.cite(POST.table, post),
    )


def _body(
    session: Session,
    org: Organisation,
    year: int,
    events: list[EventLine],
    book: SourceBook,
    clearance: Sensitivity,
) -> BodySection:
    seats = members(session, org.key, date(year, 12, 31), clearance=clearance)
    named = {
        role: [m.person.name for m, t in seats if m.role is role and t is Tri.YES]
        for role in MembershipRole
    }
    parent = org.parent if org.parent and allowed(org.parent.sensitivity, clearance) else None
    return BodySection(
        name=org.name,
        kind=org.kind.value.replace("_", " "),
        parent=parent.name if parent else None,
        note=org.note,
        size_reported=org.size_reported,
        chairs=named[MembershipRole.chair],
        vice_chairs=named[MembershipRole.vice_chair],
        meetings=[
            e for e in events if e.kind == EngagementKind.board_meeting and e.host == org.name
        ],
        refs=book.cite(ORGANISATION.table, org, *(m for m, _ in seats if m.role.value != "member")),
    )


def _bodies(
    session: Session, year: int, events: list[EventLine], book: SourceBook, clearance: Sensitivity
) -> list[BodySection]:
    """The advisory networks that belong to an organisation (not external ones such as FMSTAN),
    then the advisory boards."""
    networks = [
        o for o in list_organisations(session, OrganisationKind.network, clearance) if o.parent
    ]
    boards = list_organisations(session, OrganisationKind.advisory_board, clearance)
    return [_body(session, o, year, events, book, clearance) for o in networks + boards]


def _documents(
    session: Session, year: int, book: SourceBook, clearance: Sensitivity
) -> list[DocumentLine]:
    start, end = year_bounds(year)
    return [
        document_line(d, status, book, clearance)
        for d, status in find_documents(session, date(year, 12, 31), clearance=clearance)
        if allowed(d.sensitivity, clearance)
        and d.date is not None
        and d.date.overlaps(start, end) is Tri.YES
    ]


def _published(
    session: Session, year: int, book: SourceBook, clearance: Sensitivity
) -> list[FigureCheck]:
    """The published figures that hold for a date within the year, each checked."""
    start, end = year_bounds(year)
    return [
        check_figure(session, f, book, clearance, date(year, 12, 31))
        for f in visible(list_figures(session), clearance)
        if f.as_of is not None and f.as_of.overlaps(start, end) is Tri.YES
    ]


def _year_events(
    session: Session, year: int, names: dict[str, str], book: SourceBook, clearance: Sensitivity
) -> tuple[list[EventLine], list[MeetingLine]]:
    """The engagements and committee meetings surely held in the year."""
    start, end = year_bounds(year)
    events = [
        event_line(e, names, book, clearance)
        for e, t in find_engagements(session, start, end, clearance=clearance)
        if t is Tri.YES
    ]
    meetings = [
        meeting_line(m, names, book)
        for m, t in meetings_in(session, start, end, clearance)
        if t is Tri.YES
    ]
    return events, meetings


def build_annual(
    session: Session,
    home: str,
    year: int,
    generated_on: date,
    clearance: Sensitivity = Sensitivity.restricted,
    chart: bool = True,
) -> AnnualReport:
    """The chapter for ``year`` of the ``home`` party, as the reader with ``clearance`` may see
    it; ``generated_on`` is printed as the generation date (injected for reproducible output)."""
    book = SourceBook(session, clearance)
    names = party_names(session, clearance)
    events, meetings = _year_events(session, year, names, book, clearance)
    posts = [_post(session, p, year, book, clearance) for p in list_posts(session, clearance)]
    bilateral, organisations = multilateral(session, home, book, clearance)
    report = AnnualReport(
        year=year,
        home=home,
        home_name=names.get(home, home),
        generated_on=generated_on,
        clearance=clearance,
        posts=[p for p in posts if p is not None],
        bodies=_bodies(session, year, events, book, clearance),
        documents=_documents(session, year, book, clearance),
        exchanges=[e for e in events if e.kind in EXCHANGES],
        visits=[e for e in events if e.kind in VISITS],
        seminars=[e for e in events if e.kind in SEMINARS],
        other_events=[e for e in events if e.kind == EngagementKind.other],
        agreements=agreements_section(session, home, date(year, 12, 31), names, book, clearance),
        published=_published(session, year, book, clearance),
        committees=meetings,
        multilateral=bilateral,
        organisations=organisations,
        chart_svg=None,
        sources=[],
    )
    if chart:
        report.chart_svg = engagements_by_month(
            [(e.date, e.label) for e in events] + [(m.date, "joint committee") for m in meetings],
            year,
        )
    report.sources = book.entries()
    return report
