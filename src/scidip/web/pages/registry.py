"""Pages over the registry: search across names and aliases, an agreement (parties, a timeline of
actions, committees and meetings), a post (holders over time), a body such as the advisory board
(members, meetings, recommendations and their follow-up), the engagements timeline."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from scidip.auth.service import Principal
from scidip.dates import PartialDate
from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.body.service import ORGANISATION, members
from scidip.registry.committee.service import COMMITTEE, MEETING
from scidip.registry.concepts import BY_NAME
from scidip.registry.document.service import DOCUMENT
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.guarded import visible_payloads, visible_read
from scidip.registry.party.codes import is_state_code, state_name
from scidip.registry.person.service import PERSON
from scidip.registry.post.service import POST, appointments
from scidip.registry.read import list_records
from scidip.registry.record import get
from scidip.web.deps import DbSession
from scidip.web.pages import listview
from scidip.web.pages.context import AsOfPage, PageUser, page_as_of, render_read
from scidip.web.pages.listview import record_href

router = APIRouter(include_in_schema=False)

SEARCHED = (
    "persons",
    "organisations",
    "parties",
    "agreements",
    "posts",
    "engagements",
    "documents",
    "committees",
)


def state_label(code: str) -> str:
    """A party's name from its ISO 3166 code (the code itself for another)."""
    return state_name(code) if is_state_code(code) else code


def by_date(items: list[dict[str, Any]], field: str = "date") -> list[dict[str, Any]]:
    """Payloads in order of a partial-date field (undated last), then key: by the latest day
    each date can be ("no later than 2017-11-27" after a signature in 2003-08), then the
    earliest."""

    def order(item: dict[str, Any]) -> tuple[Any, ...]:
        text = item.get(field)
        if not text:
            return (1, (), item["key"])
        when = PartialDate.parse(text)  # a "no later than" date by its bound, not date.min
        return (0, (when.latest, when.earliest), item["key"])

    return sorted(items, key=order)


@router.get("/search", response_class=HTMLResponse, name="search")
def search(
    request: Request,
    db: DbSession,
    page: PageUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Records whose key, name, title, label or any alias (English, Japanese...) holds ``q``."""

    def gather() -> dict[str, Any]:
        found: dict[str, list[dict[str, Any]]] = {}
        if q.strip():
            for name in SEARCHED:
                hits = visible_payloads(db, BY_NAME[name], page.who.clearance, filters={"q": q})
                if hits:
                    found[name] = hits
        return {"q": q, "found": found}

    return render_read(request, "search.html", page, gather)


SUGGESTED = ("parties", "persons", "organisations", "agreements", "committees", "posts")
"""What the header's type-ahead suggests, in this order."""
SUGGESTIONS = 8


@router.get("/search/suggest", response_class=HTMLResponse, name="search_suggest")
def search_suggest(
    request: Request,
    db: DbSession,
    page: PageUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The header's type-ahead: up to eight records named like ``q`` (two letters at least), as
    links to their pages; an HTML fragment for htmx."""
    hits: list[dict[str, str]] = []
    if len(q.strip()) >= 2:
        for name in SUGGESTED:
            found = list_records(db, BY_NAME[name], page.who.clearance, q=q, limit=SUGGESTIONS)
            for h in found.items:
                label = h.get("name") or h.get("title") or h.get("label") or h["key"]
                if name == "parties":
                    label = f"{h.get('name') or state_label(h['key'])} ({h['key']})"
                aliases = ", ".join(n["name"] for n in h.get("other_names") or [])
                hits.append(
                    {
                        "href": record_href(name, h["key"]),
                        "label": label,
                        "also": aliases,
                        "kind": name,
                    }
                )
    jinja = request.app.state.templates
    body = jinja.get_template("_suggest.html").render(
        hits=hits[:SUGGESTIONS], q=q, as_of=page_as_of(request)
    )
    return HTMLResponse(body)


@router.get("/agreements/{key}", response_class=HTMLResponse, name="agreement_page")
def agreement_page(request: Request, key: str, db: DbSession, page: PageUser) -> Response:
    """An agreement: its parties, its actions in date order, its committees and their meetings."""
    return render_read(request, "agreement.html", page, lambda: _agreement(db, key, page.who))


def _agreement(db: Session, key: str, who: Principal) -> dict[str, Any]:
    clearance = who.clearance
    agreement = visible_read(db, AGREEMENT, key, who)
    actions = by_date(
        [
            {**a, "key": str(i), "date": a["effective"] or a["taken"]}
            for i, a in enumerate(agreement["actions"])
        ]
    )
    committees = visible_payloads(db, COMMITTEE, clearance, filters={"agreement": key})
    meetings = {
        c["key"]: by_date(visible_payloads(db, MEETING, clearance, filters={"committee": c["key"]}))
        for c in committees
    }
    parties = sorted({a["party"] for a in agreement["actions"] if a["party"]})
    return {
        "agreement": agreement,
        "actions": actions,
        "committees": committees,
        "meetings": meetings,
        "parties": parties,
    }


@router.get("/posts/{key}", response_class=HTMLResponse, name="post_page")
def post_page(request: Request, key: str, db: DbSession, page: PageUser) -> Response:
    """A post and everyone who held it, in order."""

    def gather() -> dict[str, Any]:
        return {
            "post": visible_read(db, POST, key, page.who),
            "held": appointments(db, key, clearance=page.who.clearance),
        }

    return render_read(request, "post.html", page, gather)


@router.get("/bodies/{key}", response_class=HTMLResponse, name="body_page")
def body_page(
    request: Request, key: str, db: DbSession, page: PageUser, as_of: AsOfPage
) -> Response:
    """A body (the advisory board...): members on the date, meetings, recommendations."""
    clearance = page.who.clearance

    def gather() -> dict[str, Any]:
        documents = by_date(visible_payloads(db, DOCUMENT, clearance, filters={"issuer": key}))
        # Only addressees the reader may see are left in the payloads (redacted otherwise).
        addressees = {d["addressee_person"] for d in documents if d["addressee_person"]}
        return {
            "body": visible_read(db, ORGANISATION, key, page.who),
            "members": members(db, key, as_of, clearance=clearance),
            "meetings": by_date(visible_payloads(db, ENGAGEMENT, clearance, filters={"host": key})),
            "documents": documents,
            "names": {k: get(db, PERSON, k, clearance).name for k in addressees},
            "posts": {
                k: get(db, POST, k, clearance).label
                for k in {d["addressee_post"] for d in documents if d["addressee_post"]}
            },
        }

    return render_read(request, "body.html", page, gather)


@router.get("/engagements", response_class=HTMLResponse, name="engagements_page")
def engagements_page(request: Request, db: DbSession, page: PageUser) -> Response:
    """Every engagement, newest first, as a list to sort, filter and export; the calendar and
    its feed are linked."""

    def gather() -> dict[str, Any]:
        return listview.view(db, ENGAGEMENT, page.who.clearance, request.query_params)

    return render_read(request, "engagements.html", page, gather)
