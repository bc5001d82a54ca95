"""Reconciliation of published figures that count something other than agreements in force: the
joint committee meetings held in a period, and the members of a body on a date.

* **committee_meetings**: meetings of the joint committees set up under the home party's
  agreements (of the figure's kinds) held within the period the figure's ``as_of`` names (the
  year for "2022"): counted when the meeting's date surely falls in it; *undecided* (listed,
  never counted) when its precision cannot tell, or when no date is recorded.
* **members**: memberships of the figure's body active on the last day of that period, by the
  interval rule of :mod:`scidip.dates`; *undecided* where the dates' precision cannot tell. The
  sizes a source reports for the body at that date (``sizes``) are listed beside.

What the reader may not see is neither counted nor listed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.registry.access import allowed
from scidip.registry.agreement.models import AgreementKind
from scidip.registry.body.service import members
from scidip.registry.committee.service import meetings_in
from scidip.registry.figure.models import FigureMetric, PublishedFigure
from scidip.reports.common import agreements_by_key

if TYPE_CHECKING:
    from scidip.reports.reconcile import Item


def period_of(as_of: PartialDate | None, default_on: date) -> tuple[date, date]:
    """The period a figure's date names, as ``start <= day < end``: the year, month or day given
    (from its earliest possible day for a bounded date), or the year of ``default_on``."""
    if as_of is None:
        return date(default_on.year, 1, 1), date(default_on.year + 1, 1, 1)
    start = as_of.first if as_of.not_before is None and not as_of.not_after else as_of.earliest
    return start, as_of.latest + timedelta(days=1)


def meetings_held(
    session: Session,
    home: str,
    kinds: list[AgreementKind] | None,
    start: date,
    end: date,
    clearance: Sensitivity,
) -> tuple[list[Item], list[Item]]:
    """The meetings of the home party's committees held in ``start <= day < end``: those surely
    held then, and those that may have been (undecided)."""
    from scidip.reports.reconcile import Item

    agreements = agreements_by_key(session, home, kinds, clearance)
    counted: list[Item] = []
    undecided: list[Item] = []
    for meeting, held in meetings_in(session, start, end, clearance):
        committee = meeting.committee
        if committee.agreement.key not in agreements:
            continue
        name = committee.name + (f", meeting {meeting.number}" if meeting.number else "")
        when = meeting.date.human() if meeting.date else "no date recorded"
        item = Item(meeting.key, name, when)
        (counted if held is Tri.YES else undecided).append(item)
    return counted, undecided


def members_on(
    session: Session, figure: PublishedFigure, on: date, clearance: Sensitivity
) -> tuple[list[Item], list[Item], str]:
    """The members of the figure's body on ``on`` (counted, undecided) and a sentence with the
    sizes reported for the body at dates that cover ``on``."""
    from scidip.reports.reconcile import Item

    body = figure.organisation
    if body is None or not allowed(body.sensitivity, clearance):
        return [], [], "the body counted is not recorded"
    counted: list[Item] = []
    undecided: list[Item] = []
    for membership, active in members(session, body.key, on, clearance=clearance):
        role = membership.role.value
        item = Item(membership.person.key, membership.person.name, role)
        (counted if active is Tri.YES else undecided).append(item)
    reported = [
        f"{s['members']} ({s['as_of']})"
        for s in body.sizes
        if PartialDate.parse(s["as_of"]).contains(on) or s["as_of"] == str(figure.as_of)
    ]
    sentence = f"{len(counted)} members of {body.name} recorded on {on.isoformat()}"
    if reported:
        sentence += "; size reported: " + ", ".join(reported)
    return counted, undecided, sentence


OTHER_METRICS = (FigureMetric.committee_meetings, FigureMetric.members)
"""The metrics this module reconciles."""
