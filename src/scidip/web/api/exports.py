"""Exports: CSV and JSON of every list, Popolo JSON of people and bodies, an iCalendar feed of
meetings and engagements. Each holds only what the reader may see."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Response
from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from scidip.csvcells import to_csv
from scidip.dates import PartialDate, Precision
from scidip.db.base import Sensitivity
from scidip.registry.body.service import MEMBERSHIP, ORGANISATION
from scidip.registry.committee.service import COMMITTEE, MEETING
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.guarded import visible_payloads
from scidip.registry.person.service import PERSON
from scidip.registry.post.service import APPOINTMENT, POST
from scidip.registry.record import Concept
from scidip.web.deps import DbSession, Reader
from scidip.web.kept import KeptReads

router = APIRouter(prefix="/exports", tags=["exports"], route_class=KeptReads)


def _attachment(body: str, media: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def add_export_routes(router: APIRouter, concept: Concept[Any, Any]) -> None:
    """``/exports/<concept>.csv`` and ``.json``: every record of the concept the reader sees."""

    def export_csv(db: DbSession, who: Reader) -> Response:
        rows = visible_payloads(db, concept, who.clearance)
        return _attachment(to_csv(rows), "text/csv; charset=utf-8", f"{concept.name}.csv")

    def export_json(db: DbSession, who: Reader) -> Response:
        rows = visible_payloads(db, concept, who.clearance)
        body = json.dumps(rows, ensure_ascii=False, indent=1)
        return _attachment(body, "application/json", f"{concept.name}.json")

    for suffix, route, media in (
        ("csv", export_csv, "text/csv"),
        ("json", export_json, "application/json"),
    ):
        router.add_api_route(
            f"/{concept.name}.{suffix}",
            route,
            methods=["GET"],
            response_class=Response,
            name=f"export_{concept.name}_{suffix}",
            summary=f"Export {concept.name} as {suffix.upper()}",
            responses={200: {"content": {media: {}}, "description": "The file."}},
        )


def _popolo_date(text: str | None) -> str | None:
    return None if text is None else text.removeprefix("..")


def _popolo_persons(db: Session, clearance: Sensitivity) -> list[dict[str, Any]]:
    return [
        {
            "id": p["key"],
            "name": p["name"],
            **({"family_name": p["family_name"]} if p["family_name"] else {}),
            **({"given_name": p["given_name"]} if p["given_name"] else {}),
            "other_names": p["other_names"],
        }
        for p in visible_payloads(db, PERSON, clearance)
    ]


def _popolo_organizations(db: Session, clearance: Sensitivity) -> list[dict[str, Any]]:
    return [
        {
            "id": o["key"],
            "name": o["name"],
            "classification": o["kind"],
            "parent_id": o["parent"],
            "founding_date": _popolo_date(o["founded"]),
            "dissolution_date": _popolo_date(o["dissolved"]),
            "other_names": o["other_names"],
        }
        for o in visible_payloads(db, ORGANISATION, clearance)
    ]


def popolo(db: Session, clearance: Sensitivity) -> dict[str, list[dict[str, Any]]]:
    """Persons, organizations, posts and memberships in Popolo JSON (appointments to posts are
    memberships with a ``post_id``), holding what a reader with ``clearance`` may see."""
    persons = _popolo_persons(db, clearance)
    orgs = _popolo_organizations(db, clearance)
    posts = [
        {"id": p["key"], "label": p["label"], "organization_id": p["organisation"]}
        for p in visible_payloads(db, POST, clearance)
    ]
    memberships = [
        {
            "id": m["key"],
            "person_id": m["person"],
            "organization_id": m["organisation"],
            "role": m["role"].replace("_", "-"),
            **({"label": m["label"]} if m["label"] else {}),
            "start_date": _popolo_date(m["start"]),
            "end_date": _popolo_date(m["end"]),
        }
        for m in visible_payloads(db, MEMBERSHIP, clearance)
    ]
    post_org = {p["id"]: p["organization_id"] for p in posts}
    memberships += [
        {
            "id": a["key"],
            "person_id": a["person"],
            "post_id": a["post"],
            "organization_id": post_org.get(a["post"]),
            "start_date": _popolo_date(a["start"]),
            "end_date": _popolo_date(a["end"]),
        }
        for a in visible_payloads(db, APPOINTMENT, clearance)
    ]
    return {"persons": persons, "organizations": orgs, "posts": posts, "memberships": memberships}


@router.get("/popolo.json", response_class=Response, name="export_popolo")
def export_popolo(db: DbSession, who: Reader) -> Response:
    """Persons, organizations, posts and memberships as Popolo JSON."""
    body = json.dumps(popolo(db, who.clearance), ensure_ascii=False, indent=1)
    return _attachment(body, "application/json", "popolo.json")


CLASS = {
    Sensitivity.public: "PUBLIC",
    Sensitivity.internal: "PRIVATE",
    Sensitivity.restricted: "CONFIDENTIAL",
}
"""iCalendar's access classification (RFC 5545, 3.8.1.3) of each sensitivity."""


def _stamp(value: datetime | str) -> datetime:
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _event(
    item: dict[str, Any], uid: str, summary: str, end: str | None, where: str
) -> Event | None:
    """An all-day event of a record with a ``date``; one known only to the month or year is not
    placed in a calendar. DTSTAMP is when the record was last changed (RFC 5545: when the
    information was last revised in the store); CLASS its sensitivity. An event ending on the
    last day a date can hold (9999-12-31) has a DURATION instead of a DTEND, which could not be
    written."""
    when = item["date"]
    if when is None or when.startswith(".."):
        return None
    start = PartialDate.parse(when)
    if start.precision is not Precision.DAY:
        return None
    event = Event()
    event.add("uid", f"{uid}@scidip")
    event.add("dtstamp", _stamp(item["updated_at"]))
    event.add("class", CLASS[Sensitivity(item["sensitivity"])])
    event.add("summary", summary.strip())
    event.add("dtstart", start.first)
    last = PartialDate.parse(end) if end and not end.startswith("..") else None
    stop = max(last.last, start.first) if last is not None else start.first
    if stop < date.max:
        event.add("dtend", stop + timedelta(days=1))
    else:
        event.add("duration", stop - start.first + timedelta(days=1))
    if where:
        event.add("location", where)
    return event


def calendar(db: Session, clearance: Sensitivity) -> bytes:
    """Committee meetings and engagements known to the day, as an iCalendar file."""
    cal = Calendar()
    cal.add("prodid", "-//SciDip//registry//EN")
    cal.add("version", "2.0")
    committees = {c["key"]: c["name"] for c in visible_payloads(db, COMMITTEE, clearance)}
    events = [
        _event(
            m,
            f"meeting-{m['key']}",
            f"{committees.get(m['committee'], m['committee'])}, meeting {m['number'] or ''}",
            None,
            m["place"] or (m["mode"] or ""),
        )
        for m in visible_payloads(db, MEETING, clearance)
    ]
    events += [
        _event(
            e,
            f"engagement-{e['key']}",
            e["title"],
            e["end"],
            ", ".join(p.get("city") or p.get("party") or "" for p in e["places"]),
        )
        for e in visible_payloads(db, ENGAGEMENT, clearance)
    ]
    for event in events:
        if event is not None:
            cal.add_component(event)
    return bytes(cal.to_ical())


@router.get("/calendar.ics", response_class=Response, name="export_calendar")
def export_calendar(db: DbSession, who: Reader) -> Response:
    """Meetings and engagements known to the day, as an iCalendar feed."""
    return Response(
        calendar(db, who.clearance),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="scidip.ics"'},
    )
