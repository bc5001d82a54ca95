"""The annual report chapter (the Bluebook section for one year), computed from the registry.

The chapter for year Y states what was true in Y, by the interval rule of :mod:`scidip.dates`
(:func:`~scidip.dates.active_during` over the year): the posts and who held them then, the bodies
that existed then with their officers then, the year's meetings, documents and their follow-ups,
visits and committees. A record without dates is not placed in any year and is not stated as true
of one. What the registry knows stops at the generation date: a record without an end is taken
as still running up to that day, not beyond, and a year that has not begun by then is stated as
such, with nothing asserted about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri, active_during, last_day
from scidip.db.base import Sensitivity
from scidip.registry.access import allowed, visible
from scidip.registry.body.models import Membership, MembershipRole, Organisation, OrganisationKind
from scidip.registry.body.service import MEMBERSHIP, ORGANISATION, list_organisations
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
from scidip.reports.context.side import Side, side_of
from scidip.reports.reconcile import FigureCheck, check_figure
from scidip.reports.sources import SourceBook, SourceEntry

EXCHANGES = {EngagementKind.bilateral_meeting, EngagementKind.network_meeting}
VISITS = {EngagementKind.visit, EngagementKind.forum}
SEMINARS = {EngagementKind.seminar, EngagementKind.online_meeting}


@dataclass(frozen=True)
class Period:
    """The days of the year the chapter can speak of: ``first <= day < until``, the year cut at
    the day after the generation date (what the registry knows stops there)."""

    first: date
    until: date

    @classmethod
    def of(cls, year: int, generated_on: date) -> Period | None:
        """The year's period, or ``None`` for a year that begins after ``generated_on``."""
        first, until = year_bounds(year)
        known = generated_on + timedelta(days=1)
        return None if first >= known else cls(first, min(until, known))

    def during(self, start: PartialDate | None, end: PartialDate | None) -> Tri:
        """The interval rule over the period (see :func:`scidip.dates.active_during`)."""
        return active_during(start, end, self.first, self.until)

    @property
    def last(self) -> date:
        """The period's last day."""
        return self.until - timedelta(days=1)


@dataclass(frozen=True)
class HolderLine:
    """One holder of a post: who, their titles, from when to when (``last_day``: the last day in
    post, the day before the exclusive end)."""

    person: str
    affiliation: str | None
    start: PartialDate | None
    end: PartialDate | None
    last_day: PartialDate | None
    note: str | None
    in_year: bool  # surely held the post on some day of the year
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
class OfficerLine:
    """A chair or vice-chair of a body during the year, with their term as recorded."""

    person: str
    start: PartialDate | None
    last_day: PartialDate | None  # the day before the exclusive end, if an end is recorded


@dataclass(frozen=True)
class BodySection:
    """An advisory network or board that existed in the year: what it is, its size, its chairs
    and vice-chairs during the year, the year's meetings."""

    name: str
    kind: str
    parent: str | None
    note: str | None
    founded: PartialDate | None
    dissolved: PartialDate | None
    size_reported: int | None
    sizes: list[tuple[int, PartialDate]]  # the sizes recorded at dates up to the year's end
    chairs: list[OfficerLine]
    vice_chairs: list[OfficerLine]
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
    begun: bool  # False for a year that begins after the generation date: nothing is stated
    posts: list[PostSection]
    bodies: list[BodySection]
    documents: list[DocumentLine]
    follow_ups: list[DocumentLine]  # earlier documents with a follow-up step in the year
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
    marking: Sensitivity = Sensitivity.public  # the highest sensitivity of what it states
    #: The optional evidence annex (``report annual --evidence-annex``): sections with a title
    #: and paragraphs, each stating its source and method.
    annex: list[Any] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Whether the chapter covers the whole year (the year was over on the generation
        date)."""
        return self.agreements.as_of == date(self.year, 12, 31)

    @property
    def nothing_dated(self) -> bool:
        """No post held, body, document, follow-up, event or committee meeting recorded for the
        year (the agreements in force are computed for any year, so they do not count here)."""
        return not any(
            [
                any(h.in_year for p in self.posts for h in p.holders),
                self.bodies,
                self.documents,
                self.follow_ups,
                self.exchanges,
                self.visits,
                self.seminars,
                self.other_events,
                self.committees,
            ]
        )


def _post(
    session: Session, post: Post, period: Period, book: SourceBook, clearance: Sensitivity
) -> PostSection | None:
    """The post with its holders up to the end of the period: those who took it up after the
    period are left out (the rule of :func:`scidip.dates.active_during`, one place)."""
    if post.created is not None and post.created.after(period.last) is Tri.YES:
        return None
    lines = []
    for a in appointments(session, post.key, clearance):
        if a.start is not None and a.start.after(period.last) is not Tri.NO:
            continue  # began after the period, or may have: not stated for it
        lines.append(
            HolderLine(
                person=a.person.name,
                affiliation=affiliation(session, a.person, clearance),
                start=a.start,
                end=a.end,
                last_day=last_day(a.end) if a.end is not None else None,
                note=a.note,
                in_year=period.during(a.start, a.end) is Tri.YES,
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


def _officers(
    session: Session, org: Organisation, period: Period, clearance: Sensitivity
) -> list[Membership]:
    """The chairs, then the vice-chairs, surely in office on some day of the period, by start. A
    seat recorded without dates is not placed in any year, so it is not stated for this one."""
    rows = session.scalars(
        select(Membership).where(
            Membership.organisation_id == org.id,
            Membership.role.in_([MembershipRole.chair, MembershipRole.vice_chair]),
        )
    )
    seats = [
        m
        for m in visible(rows, clearance)
        if allowed(m.person.sensitivity, clearance)
        and (m.start is not None or m.end is not None)
        and period.during(m.start, m.end) is Tri.YES
    ]
    return sorted(
        seats,
        key=lambda m: (m.role is not MembershipRole.chair, m.start.sort_key() if m.start else ()),
    )


def _officer_line(m: Membership) -> OfficerLine:
    return OfficerLine(m.person.name, m.start, last_day(m.end) if m.end is not None else None)


def _body(
    session: Session,
    org: Organisation,
    meetings: list[EventLine],
    officers: list[Membership],
    book: SourceBook,
    clearance: Sensitivity,
    period: Period,
) -> BodySection:
    parent = org.parent if org.parent and allowed(org.parent.sensitivity, clearance) else None
    sized = [
        s for s in org.sizes if PartialDate.parse(s["as_of"]).on_or_before(period.last) is Tri.YES
    ]
    return BodySection(
        name=org.name,
        kind=org.kind.value.replace("_", " "),
        parent=parent.name if parent else None,
        note=org.note,
        founded=org.founded,
        dissolved=org.dissolved,
        size_reported=org.size_reported,
        sizes=sorted(
            ((s["members"], PartialDate.parse(s["as_of"])) for s in sized),
            key=lambda x: x[1].sort_key(),
        ),
        chairs=[_officer_line(m) for m in officers if m.role is MembershipRole.chair],
        vice_chairs=[_officer_line(m) for m in officers if m.role is MembershipRole.vice_chair],
        meetings=meetings,
        refs=book.cite(ORGANISATION.table, org)
        + book.cite(MEMBERSHIP.table, *officers)
        + [n for s in sized for n in book.cite_json(s.get("sources", []))],
    )


def _bodies(
    session: Session,
    period: Period,
    events: list[EventLine],
    book: SourceBook,
    clearance: Sensitivity,
    side: Side,
) -> list[BodySection]:
    """The advisory networks that belong to an organisation (not external ones such as FMSTAN),
    then the advisory boards, that existed in the period.

    A body with a founding date existed when the period overlaps founded .. dissolved (the
    interval rule). A body without one is stated only where a dated record of the period shows
    it: a meeting it held, an officer's term, or a body under it that existed then.
    """
    networks = [
        o
        for o in list_organisations(session, OrganisationKind.network, clearance)
        if o.parent and side.has_organisation(o)
    ]
    boards = [
        o
        for o in list_organisations(session, OrganisationKind.advisory_board, clearance)
        if side.has_organisation(o)
    ]
    found: dict[str, BodySection] = {}
    for org in reversed(networks + boards):  # boards first: a network may be shown by its board
        meetings = [
            e for e in events if e.kind == EngagementKind.board_meeting and e.host_key == org.key
        ]
        officers = _officers(session, org, period, clearance)
        if org.founded is not None or org.dissolved is not None:
            existed = period.during(org.founded, org.dissolved) is Tri.YES
        else:
            children = [o for o in boards + networks if o.parent_id == org.id]
            existed = bool(meetings or officers or any(c.key in found for c in children))
        if existed:
            found[org.key] = _body(session, org, meetings, officers, book, clearance, period)
    return [found[o.key] for o in networks + boards if o.key in found]


def _documents(
    session: Session, period: Period, book: SourceBook, clearance: Sensitivity, side: Side
) -> tuple[list[DocumentLine], list[DocumentLine]]:
    """The documents dated in the period, and the earlier ones with a follow-up step in it; each
    with its follow-ups up to the period's end and its status then."""
    of_year, followed = [], []
    for d, status in find_documents(session, period.last, clearance=clearance):
        if not allowed(d.sensitivity, clearance) or d.date is None or not side.has_document(d):
            continue
        line = document_line(d, status, book, clearance, period.last)
        if d.date.overlaps(period.first, period.until) is Tri.YES:
            of_year.append(line)
        elif d.date.on_or_before(period.first - timedelta(days=1)) is Tri.YES and any(
            f.date is not None and f.date.overlaps(period.first, period.until) is Tri.YES
            for f in line.follow_ups
        ):
            followed.append(line)
    return of_year, followed


def _published(
    session: Session, period: Period, book: SourceBook, clearance: Sensitivity, side: Side
) -> list[FigureCheck]:
    """The home party's published figures that hold for a date within the period, each
    checked."""
    return [
        check_figure(session, f, book, clearance, period.last)
        for f in visible(list_figures(session), clearance)
        if side.has_figure(f)
        and f.as_of is not None
        and f.as_of.overlaps(period.first, period.until) is Tri.YES
    ]


def _year_events(
    session: Session,
    period: Period,
    names: dict[str, str],
    book: SourceBook,
    clearance: Sensitivity,
    side: Side,
) -> tuple[list[EventLine], list[MeetingLine]]:
    """The home party's engagements and committee meetings surely held in the period."""
    start, end = period.first, period.until
    events = [
        event_line(e, names, book, clearance)
        for e, t in find_engagements(session, start, end, clearance=clearance)
        if t is Tri.YES and side.has_engagement(e)
    ]
    meetings = [
        meeting_line(m, names, book)
        for m, t in meetings_in(session, start, end, clearance)
        if t is Tri.YES and side.has_meeting(m)
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
    period = Period.of(year, generated_on)
    if period is None:
        return _not_begun(session, home, year, generated_on, clearance, names)
    side = side_of(session, home)
    events, meetings = _year_events(session, period, names, book, clearance, side)
    posts = [
        _post(session, p, period, book, clearance)
        for p in list_posts(session, clearance)
        if side.has_post(p)
    ]
    bilateral, organisations = multilateral(session, home, book, clearance, period.until)
    documents, follow_ups = _documents(session, period, book, clearance, side)
    report = AnnualReport(
        year=year,
        home=home,
        home_name=names.get(home, home),
        generated_on=generated_on,
        clearance=clearance,
        begun=True,
        posts=[p for p in posts if p is not None],
        bodies=_bodies(session, period, events, book, clearance, side),
        documents=documents,
        follow_ups=follow_ups,
        exchanges=[e for e in events if e.kind in EXCHANGES],
        visits=[e for e in events if e.kind in VISITS],
        seminars=[e for e in events if e.kind in SEMINARS],
        other_events=[e for e in events if e.kind == EngagementKind.other],
        agreements=agreements_section(session, home, period.last, names, book, clearance),
        published=_published(session, period, book, clearance, side),
        committees=meetings,
        multilateral=bilateral,
        organisations=organisations,
        chart_svg=None,
        sources=[],
        marking=book.highest,
    )
    if chart:
        report.chart_svg = engagements_by_month(
            [(e.date, e.label) for e in events] + [(m.date, "joint committee") for m in meetings],
            year,
        )
    report.sources = book.entries()
    report.marking = book.highest
    return report


def _not_begun(
    session: Session,
    home: str,
    year: int,
    generated_on: date,
    clearance: Sensitivity,
    names: dict[str, str],
) -> AnnualReport:
    """The chapter of a year that begins after the generation date: it states nothing."""
    book = SourceBook(session, clearance)
    return AnnualReport(
        year=year,
        home=home,
        home_name=names.get(home, home),
        generated_on=generated_on,
        clearance=clearance,
        begun=False,
        posts=[],
        bodies=[],
        documents=[],
        follow_ups=[],
        exchanges=[],
        visits=[],
        seminars=[],
        other_events=[],
        agreements=agreements_section(session, home, generated_on, names, book, clearance),
        published=[],
        committees=[],
        multilateral=[],
        organisations=[],
        chart_svg=None,
        sources=[],
        marking=book.highest,
    )
