"""Pages of single records, to read rather than raw JSON: a person (posts, memberships,
engagements and documents over time), a joint committee (meetings with outcomes and action
items, cadence, next due), a source (what cites it), an engagement, a document (its follow-up
history). Each is what the reader may see (404 for a record above their clearance); the raw
record view stays, linked for admins."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from scidip.auth.service import Principal
from scidip.dates import PartialDate, Tri
from scidip.db.base import Sensitivity
from scidip.errors import NotFound
from scidip.registry.body.service import ORGANISATION, memberships_of
from scidip.registry.committee.service import COMMITTEE, MEETING, committee_due
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.document.service import DOCUMENT
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.guarded import visible_read
from scidip.registry.lookup import cited_by
from scidip.registry.person.service import PERSON
from scidip.registry.post.service import POST, posts_of
from scidip.registry.read import SEARCHED, list_records
from scidip.registry.record import Concept, get
from scidip.registry.source.service import SOURCE
from scidip.web.deps import DbSession
from scidip.web.pages.context import AsOfPage, PageUser, render_read
from scidip.web.pages.registry import by_date

router = APIRouter(include_in_schema=False)


def label_of(db: Session, concept: Concept[Any, Any], key: str, clearance: Sensitivity) -> str:
    """What a reader calls a record: its name, title or label (its key if it has none); the key
    itself for one they may not see (redacted payloads name none)."""
    try:
        record = get(db, concept, key, clearance)
    except NotFound:
        return key
    return next((str(v) for f in SEARCHED[1:] if (v := getattr(record, f, None))), key)


def labels(
    db: Session, concept: Concept[Any, Any], keys: Any, clearance: Sensitivity
) -> dict[str, str]:
    """``label_of`` each of ``keys`` (None and duplicates skipped)."""
    return {k: label_of(db, concept, k, clearance) for k in dict.fromkeys(keys) if k}


def _payloads(db: Session, concept: Concept[Any, Any], who: Principal, **filters: str) -> Any:
    return by_date(list_records(db, concept, who.clearance, filters=filters).items)


@router.get("/persons/{key}", response_class=HTMLResponse, name="person_page")
def person_page(request: Request, key: str, db: DbSession, page: PageUser) -> Response:
    """A person: names, posts and memberships, engagements and documents, over time."""
    who = page.who

    def gather() -> dict[str, Any]:
        person = visible_read(db, PERSON, key, who)
        record = get(db, PERSON, key, who.clearance)
        engagements = _payloads(db, ENGAGEMENT, who, participants=key)
        documents = _payloads(db, DOCUMENT, who, authors=key)
        addressed = _payloads(db, DOCUMENT, who, addressee_person=key)
        timeline = [
            (a.start, f"Took up the post of {a.post.label}", f"/posts/{a.post.key}")
            for a in posts_of(db, record, who.clearance)
        ]
        timeline += [
            (a.end, f"Left the post of {a.post.label}", f"/posts/{a.post.key}")
            for a in posts_of(db, record, who.clearance)
            if a.end
        ]
        for m in memberships_of(db, record, who.clearance):
            role = m.role.value.replace("_", " ")
            href = f"/bodies/{m.organisation.key}"
            if m.start:
                timeline.append((m.start, f"Became {role} of {m.organisation.name}", href))
            else:
                what = f"{role.capitalize()} of {m.organisation.name} (start not recorded)"
                timeline.append((None, what, href))
            if m.end:
                timeline.append((m.end, f"Ceased to be {role} of {m.organisation.name}", href))
        timeline += [(e["date"], e["title"], f"/engagements/{e['key']}") for e in engagements]
        timeline += [
            (d["date"], f"{d['kind'].capitalize()}: {d['title']}", f"/documents/{d['key']}")
            for d in documents + addressed
        ]
        return {
            "person": person,
            "posts": posts_of(db, record, who.clearance),
            "memberships": memberships_of(db, record, who.clearance),
            "engagements": engagements,
            "documents": documents,
            "addressed": addressed,
            "timeline": _in_order(timeline),
        }

    return render_read(request, "person.html", page, gather)


def _in_order(events: list[tuple[Any, str, str]]) -> list[tuple[Any, str, str]]:
    """Events by their partial date (undated last)."""
    return [
        (e["date"], e["what"], e["href"])
        for e in by_date(
            [
                {"key": f"{i:05}", "date": str(d) if d else None, "what": w, "href": h}
                for i, (d, w, h) in enumerate(events)
            ]
        )
    ]


@router.get("/committees/{key}", response_class=HTMLResponse, name="committee_page")
def committee_page(
    request: Request, key: str, db: DbSession, page: PageUser, as_of: AsOfPage
) -> Response:
    """A joint committee: its agreement and counterpart, cadence and when it is next due on the
    date, every meeting with its delegations, outcomes and action items."""
    who = page.who

    def gather() -> dict[str, Any]:
        committee = visible_read(db, COMMITTEE, key, who)
        due = committee_due(get(db, COMMITTEE, key, who.clearance), as_of, who.clearance)
        return {
            "committee": committee,
            "agreement": label_of(db, BY_NAME["agreements"], committee["agreement"], who.clearance)
            if committee["agreement"]
            else None,
            "due": due,
            "meetings": _payloads(db, MEETING, who, committee=key),
        }

    return render_read(request, "committee.html", page, gather)


@router.get("/sources/{key}", response_class=HTMLResponse, name="source_page")
def source_page(request: Request, key: str, db: DbSession, page: PageUser) -> Response:
    """A source and every record (the reader may see) that cites it."""
    who = page.who

    def gather() -> dict[str, Any]:
        source = visible_read(db, SOURCE, key, who)
        citing = cited_by(db, CONCEPTS, source["id"], who.clearance)
        return {"source": source, "citing": citing}

    return render_read(request, "source.html", page, gather)


@router.get("/engagements/{key}", response_class=HTMLResponse, name="engagement_page")
def engagement_page(request: Request, key: str, db: DbSession, page: PageUser) -> Response:
    """An engagement: when and where, who took part, with whom, what came of it."""
    who = page.who

    def gather() -> dict[str, Any]:
        e = visible_read(db, ENGAGEMENT, key, who)
        return {
            "e": e,
            "people": labels(db, PERSON, e["participants"], who.clearance),
            "organisations": labels(
                db, ORGANISATION, [*e["counterpart_organisations"], e["host"]], who.clearance
            ),
            "parties": labels(db, BY_NAME["parties"], e["counterpart_parties"], who.clearance),
        }

    return render_read(request, "engagement.html", page, gather)


@router.get("/documents/{key}", response_class=HTMLResponse, name="document_page")
def document_page(
    request: Request, key: str, db: DbSession, page: PageUser, as_of: AsOfPage
) -> Response:
    """A document (a recommendation...): issuer, authors, addressee (a person or a post), the
    parties it concerns, and its follow-up history in date order."""
    who = page.who

    def gather() -> dict[str, Any]:
        d = visible_read(db, DOCUMENT, key, who)
        steps = by_date([{**f, "key": f"{i:05}"} for i, f in enumerate(d["follow_ups"])])
        return {
            "d": d,
            "people": labels(db, PERSON, [*d["authors"], d["addressee_person"]], who.clearance),
            "post": label_of(db, POST, d["addressee_post"], who.clearance)
            if d["addressee_post"]
            else None,
            "issuer": label_of(db, ORGANISATION, d["issuer"], who.clearance)
            if d["issuer"]
            else None,
            "parties": labels(db, BY_NAME["parties"], d["parties"], who.clearance),
            "steps": steps,
            "current": _status_on(steps, as_of),
        }

    return render_read(request, "document.html", page, gather)


def _status_on(steps: list[dict[str, Any]], as_of: date) -> str | None:
    """The status of the latest follow-up step dated on or before ``as_of``."""
    done = [
        s
        for s in steps
        if s["date"] and PartialDate.parse(s["date"]).on_or_before(as_of) is Tri.YES
    ]
    return done[-1]["status"] if done else None
