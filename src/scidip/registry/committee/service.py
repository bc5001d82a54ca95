"""Joint committees and meetings: reading, writing, meetings in a period, what is overdue."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import EVERYTHING, allowed, visible
from scidip.registry.agreement.models import Agreement
from scidip.registry.committee.models import ActionItem, CommitteeMeeting, JointCommittee
from scidip.registry.committee.schemas import JointCommitteeCreate, MeetingCreate
from scidip.registry.party.models import Party
from scidip.registry.record import Concept, key_of, ref


def _committee_fields(c: JointCommittee) -> dict[str, Any]:
    return {
        "name": c.name,
        "agreement": c.agreement.key,
        "counterpart": key_of(c.counterpart),
        "cadence_months": c.cadence_months,
        "note": c.note,
    }


def _apply_committee(session: Session, c: JointCommittee, data: JointCommitteeCreate) -> None:
    c.name, c.cadence_months, c.note = data.name, data.cadence_months, data.note
    c.agreement = ref(session, Agreement, data.agreement, "agreement")  # type: ignore[assignment]
    c.counterpart = ref(session, Party, data.counterpart, "counterpart")


COMMITTEE = Concept(
    "committees", JointCommittee, JointCommitteeCreate, _committee_fields, _apply_committee
)


def _meeting_fields(m: CommitteeMeeting) -> dict[str, Any]:
    return {
        "committee": m.committee.key,
        "number": m.number,
        "date": m.date,
        "end": m.end,
        "place": m.place,
        "mode": m.mode,
        "delegations": m.delegations,
        "sectors": m.sectors,
        "outcomes": m.outcomes,
        "action_items": [
            {"description": i.description, "owner": i.owner, "due": i.due, "status": i.status}
            for i in m.action_items
        ],
        "note": m.note,
    }


def _apply_meeting(session: Session, m: CommitteeMeeting, data: MeetingCreate) -> None:
    m.committee = ref(session, JointCommittee, data.committee, "committee")  # type: ignore[assignment]
    m.number, m.date, m.end, m.place, m.mode = (
        data.number,
        data.date,
        data.end,
        data.place,
        data.mode,
    )
    m.note = data.note
    for d in data.delegations:
        ref(session, Party, d.party, "delegations.party")
    m.delegations = [d.model_dump(exclude_none=True) for d in data.delegations]
    m.sectors, m.outcomes = list(data.sectors), data.outcomes
    m.action_items = [
        ActionItem(position=i, description=x.description, owner=x.owner, due=x.due, status=x.status)
        for i, x in enumerate(data.action_items)
    ]


MEETING = Concept("meetings", CommitteeMeeting, MeetingCreate, _meeting_fields, _apply_meeting)


def _committee_visible(committee: JointCommittee, clearance: Sensitivity) -> bool:
    # A committee is shown only with its agreement: its name would otherwise reveal the agreement.
    return allowed(committee.sensitivity, clearance) and allowed(
        committee.agreement.sensitivity, clearance
    )


def _seen(meetings: Iterable[CommitteeMeeting], clearance: Sensitivity) -> list[CommitteeMeeting]:
    return [m for m in visible(meetings, clearance) if _committee_visible(m.committee, clearance)]


def meetings_in(
    session: Session, start: date, end: date, clearance: Sensitivity = EVERYTHING
) -> list[tuple[CommitteeMeeting, Tri]]:
    """Meetings held within ``start <= day < end``: surely (yes) or possibly (unknown), by date."""
    found = [
        (m, m.date.overlaps(start, end) if m.date else Tri.UNKNOWN)
        for m in _seen(session.scalars(select(CommitteeMeeting)), clearance)
    ]
    return sorted(
        ((m, t) for m, t in found if t is not Tri.NO),
        key=lambda mt: (mt[0].date.sort_key() if mt[0].date else (date.max,), mt[0].key),
    )


@dataclass(frozen=True)
class CommitteeDue:
    """When a committee last met and when it is next due, judged on a date."""

    committee: str
    name: str
    cadence_months: int | None
    last_meeting: PartialDate | None
    last_number: int | None
    next_due: PartialDate | None
    overdue: Tri
    reason: str


def _held_by(
    committee: JointCommittee, as_of: date, clearance: Sensitivity
) -> list[CommitteeMeeting]:
    return [
        m
        for m in visible(committee.meetings, clearance)
        if m.date and m.date.on_or_before(as_of) is Tri.YES
    ]


def _agreement_begins_after(committee: JointCommittee, as_of: date) -> str | None:
    """The agreement's first recorded act, when every act of it is after ``as_of`` (a committee
    cannot be due before the agreement that sets it up exists); ``None`` otherwise."""
    dates = [d for a in committee.agreement.actions if (d := a.taken or a.effective)]
    if dates and all(d.after(as_of) is Tri.YES for d in dates):
        return str(min(dates, key=lambda d: d.sort_key()))
    return None


def committee_due(
    committee: JointCommittee, as_of: date, clearance: Sensitivity = EVERYTHING
) -> CommitteeDue:
    """Is ``committee`` overdue on ``as_of``? Next due = last meeting held by then + cadence;
    overdue when that whole period is before ``as_of``, unknown when the precision cannot tell;
    never due before its agreement's first recorded act. Meetings above ``clearance`` are not
    taken into account."""
    held = _held_by(committee, as_of, clearance)
    last = max(held, key=lambda m: m.date.sort_key() if m.date else (date.min,)) if held else None
    last_date = last.date if last else None
    due = None
    if committee.cadence_months is None:
        overdue, reason = Tri.NO, "no fixed cadence"
    elif last_date is None and (begins := _agreement_begins_after(committee, as_of)):
        overdue, reason = Tri.NO, f"its agreement dates only from {begins}"
    elif last_date is None:
        overdue, reason = Tri.UNKNOWN, "no meeting recorded"
    else:
        earliest, latest = last_date.bounds_plus_months(committee.cadence_months)
        with suppress(ValueError):
            due = last_date.plus_months(committee.cadence_months)
        shown = str(due) if due else f"between {earliest} and {latest}"
        if latest < as_of:
            overdue, reason = Tri.YES, f"due {shown}"
        elif earliest >= as_of:
            overdue, reason = Tri.NO, f"next due {shown}"
        else:
            overdue, reason = Tri.UNKNOWN, f"due {shown}: cannot tell at that precision"
    return CommitteeDue(
        committee=committee.key,
        name=committee.name,
        cadence_months=committee.cadence_months,
        last_meeting=last_date,
        last_number=last.number if last else None,
        next_due=due,
        overdue=overdue,
        reason=reason,
    )


def list_committees(
    session: Session, counterpart: str | None = None, clearance: Sensitivity = EVERYTHING
) -> list[JointCommittee]:
    """All joint committees (optionally with one counterpart) the reader may see, by key."""
    query = select(JointCommittee).order_by(JointCommittee.key)
    if counterpart:
        query = query.join(Party, Party.id == JointCommittee.counterpart_id).where(
            Party.key == counterpart
        )
    return [c for c in session.scalars(query) if _committee_visible(c, clearance)]


def overdue_committees(
    session: Session,
    as_of: date,
    clearance: Sensitivity = EVERYTHING,
    among: Iterable[JointCommittee] | None = None,
) -> list[CommitteeDue]:
    """Committees overdue (yes) or possibly overdue (unknown) on ``as_of``, oldest due first;
    of ``among`` (committees the reader may see, already read) or of every one they may see."""
    committees = list_committees(session, clearance=clearance) if among is None else among
    dues = [committee_due(c, as_of, clearance) for c in committees]
    flagged = [d for d in dues if d.overdue is not Tri.NO]
    return sorted(
        flagged,
        key=lambda d: (d.next_due.sort_key() if d.next_due else (date.min,), d.committee),
    )
