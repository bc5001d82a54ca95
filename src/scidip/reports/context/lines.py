"""Lines the report contexts share: events and meetings as a reader sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import allowed, visible
from scidip.registry.committee.models import CommitteeMeeting
from scidip.registry.committee.service import MEETING
from scidip.registry.document.models import Document, FollowUpStatus
from scidip.registry.document.service import DOCUMENT
from scidip.registry.engagement.models import Engagement
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.party.service import list_parties
from scidip.reports.sources import SourceBook

KIND_LABELS = {
    "board_meeting": "board meeting",
    "visit": "visit",
    "bilateral_meeting": "bilateral meeting",
    "network_meeting": "network meeting",
    "seminar": "seminar",
    "online_meeting": "online meeting",
    "forum": "forum",
    "other": "other",
}


def party_names(session: Session, clearance: Sensitivity) -> dict[str, str]:
    """Names of the parties the reader may see, by code."""
    return {p.key: p.name for p in list_parties(session) if allowed(p.sensitivity, clearance)}


@dataclass(frozen=True)
class EventLine:
    """An engagement as the report states it."""

    key: str
    kind: str
    title: str
    date: PartialDate | None
    end: PartialDate | None
    number: int | None
    mode: str | None  # "in person", "online", "hybrid"
    host: str | None
    host_key: str | None
    participants: list[str]
    counterparts: list[str]
    places: list[str]
    topics: list[str]
    outcome: str | None
    refs: list[int]

    @property
    def label(self) -> str:
        """The kind as a reader says it ("board meeting")."""
        return KIND_LABELS[self.kind]


def event_line(
    e: Engagement, names: dict[str, str], book: SourceBook, clearance: Sensitivity
) -> EventLine:
    """An engagement, leaving out the people and counterparts the reader may not see."""
    places = [
        f"{p['city']} ({names.get(p['party'], p['party'])})"
        if p.get("city") and p.get("party")
        else p.get("city") or names.get(p.get("party") or "", p.get("party") or "")
        for p in e.places
    ]
    counterparts = [o.name for o in visible(e.counterpart_organisations, clearance)] + [
        names[p.key] for p in e.counterpart_parties if p.key in names
    ]
    shown = e.host if e.host is not None and allowed(e.host.sensitivity, clearance) else None
    return EventLine(
        key=e.key,
        kind=e.kind.value,
        title=e.title,
        date=e.date,
        end=e.end,
        number=e.number,
        mode=e.mode.value.replace("_", " ") if e.mode is not None else None,
        host=shown.name if shown is not None else None,
        host_key=shown.key if shown is not None else None,
        participants=[p.name for p in visible(e.participants, clearance)],
        counterparts=counterparts,
        places=places,
        topics=list(e.topics),
        outcome=e.outcome,
        refs=book.cite(ENGAGEMENT.table, e),
    )


@dataclass(frozen=True)
class MeetingLine:
    """A joint committee meeting as the report states it."""

    key: str
    committee: str
    counterpart: str | None
    number: int | None
    date: PartialDate | None
    place: str | None
    mode: str | None
    sectors: list[str]
    outcomes: str | None
    refs: list[int]
    end: PartialDate | None = None  # the last day, for a meeting over several days


def meeting_line(m: CommitteeMeeting, names: dict[str, str], book: SourceBook) -> MeetingLine:
    """A committee meeting with its committee's counterpart."""
    counterpart = m.committee.counterpart
    return MeetingLine(
        key=m.key,
        committee=m.committee.name,
        counterpart=names.get(counterpart.key) if counterpart is not None else None,
        number=m.number,
        date=m.date,
        place=m.place,
        mode=m.mode.value.replace("_", " ") if m.mode is not None else None,
        sectors=list(m.sectors),
        outcomes=m.outcomes,
        refs=book.cite(MEETING.table, m),
        end=m.end,
    )


@dataclass(frozen=True)
class FollowUpLine:
    """One step of a document's follow-up."""

    date: PartialDate | None
    status: str
    note: str | None


@dataclass(frozen=True)
class DocumentLine:
    """A recommendation (or report, statement) as the report states it."""

    kind: str
    title: str
    date: PartialDate | None
    issuer: str | None
    authors: list[str]
    addressee: str | None
    status: str | None
    topics: list[str]
    follow_ups: list[FollowUpLine]
    refs: list[int]


def document_line(
    d: Document,
    status: FollowUpStatus | None,
    book: SourceBook,
    clearance: Sensitivity,
    as_of: date | None = None,
) -> DocumentLine:
    """A document with its addressee as "<post> <person>", its status on the date asked, and its
    follow-up steps up to ``as_of`` (all of them when ``None``; an undated step is listed)."""
    # A reader sees only the addressee their clearance allows (the person, the post, or both).
    person = d.addressee_person
    person = person if person is not None and allowed(person.sensitivity, clearance) else None
    post = d.addressee_post
    post = post if post is not None and allowed(post.sensitivity, clearance) else None
    to = " ".join(x for x in (post.label if post else None, person.name if person else None) if x)
    issuer = d.issuer if d.issuer and allowed(d.issuer.sensitivity, clearance) else None
    return DocumentLine(
        kind=d.kind.value,
        title=d.title,
        date=d.date,
        issuer=issuer.name if issuer else None,
        authors=[p.name for p in visible(d.authors, clearance)],
        addressee=to or None,
        status=status.value.replace("_", " ") if status else None,
        topics=list(d.topics),
        follow_ups=[
            FollowUpLine(f.date, f.status.value.replace("_", " "), f.note)
            for f in d.follow_ups
            if as_of is None or f.date is None or f.date.on_or_before(as_of) is not Tri.NO
        ],
        refs=book.cite(DOCUMENT.table, d),
    )
