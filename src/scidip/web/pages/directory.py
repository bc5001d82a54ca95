"""The index pages a reader starts from: every agreement and how it stands on the date, the posts
and their holders, the bodies and the people, and the reports to download."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.errors import InvalidData
from scidip.registry.access import levels, visible
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.rule import party_status, term_end
from scidip.registry.agreement.service import agreements_of, counterparties
from scidip.registry.body.models import OrganisationKind
from scidip.registry.body.service import list_organisations, members, memberships_of
from scidip.registry.party.service import list_parties
from scidip.registry.person.models import Person
from scidip.registry.post.service import holders, list_posts, posts_of
from scidip.reports.render import ReportFormat
from scidip.web.deps import DbSession, Home
from scidip.web.pages.context import AsOfPage, PageUser, render_read, when
from scidip.web.pages.lists import attachment

router = APIRouter(include_in_schema=False)

FORMAT_LABELS = {ReportFormat.pdf: "PDF", ReportFormat.html: "HTML", ReportFormat.md: "Markdown"}

BODY_KINDS = (OrganisationKind.advisory_board, OrganisationKind.network)
"""Organisations listed with their members; the others are listed by name."""


@router.get("/agreements", response_class=HTMLResponse, name="agreements_page")
def agreements_page(
    request: Request,
    db: DbSession,
    page: PageUser,
    home: Home,
    as_of: AsOfPage,
) -> Response:
    """Every agreement of the home party, with each counterparty's standing on the date and
    whether the agreement counts as in force (the counting rule of the dashboard)."""

    def gather() -> dict[str, Any]:
        return _agreements(db, home, as_of, page.who.clearance)

    return render_read(request, "agreements.html", page, gather)


STANDING = {"yes": "covered", "no": "not covered", "unknown": "undecided"}
AGREEMENT_COLUMNS = ("key", "counterparties", "agreement", "kind", "in_force", "fixed_term_ends")


def agreement_rows(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The agreements page's rows as its exports hold them: the page's columns in words (each
    counterparty with its standing on the date), after the agreement's key."""
    return [
        {
            "key": r["key"],
            "counterparties": ", ".join(
                f"{s.party} ({STANDING[s.covered.value]})" for s in r["statuses"]
            ),
            "agreement": r["title"],
            "kind": r["kind"],
            "in_force": "yes" if r["counted"] else "no",
            "fixed_term_ends": when(r["term_end"]),
        }
        for r in rows
    ]


def _agreements_export(db: DbSession, page: PageUser, home: str, as_of: date, fmt: str) -> Response:
    rows = agreement_rows(_agreements(db, home, as_of, page.who.clearance)["rows"])
    return attachment(rows, list(AGREEMENT_COLUMNS), f"agreements-{as_of}", fmt)


@router.get("/agreements.csv", name="agreements_csv")
def agreements_csv(db: DbSession, page: PageUser, home: Home, as_of: AsOfPage) -> Response:
    """The agreements page on its date as CSV: the same rows in the same order."""
    return _agreements_export(db, page, home, as_of, "csv")


@router.get("/agreements.json", name="agreements_json")
def agreements_json(db: DbSession, page: PageUser, home: Home, as_of: AsOfPage) -> Response:
    """The agreements page on its date as JSON: the same rows in the same order."""
    return _agreements_export(db, page, home, as_of, "json")


def _agreements(db: Session, home: str, as_of: date, clearance: Sensitivity) -> dict[str, Any]:
    counted = coverage(db, home, as_of, clearance=clearance)
    rows = []
    for agreement in agreements_of(db, home, clearance=clearance):
        parties = counterparties(agreement, home, clearance)
        rows.append(
            {
                "key": agreement.key,
                "title": agreement.title,
                "kind": agreement.kind.value,
                "statuses": [party_status(agreement, p, as_of) for p in parties],
                "counted": agreement.key in counted.agreements,
                "term_end": term_end(agreement),
                "first_party": parties[0].name if parties else "",
            }
        )
    # In force first; then by the first counterparty's name, as a reader looks a partner up.
    rows.sort(key=lambda r: (not r["counted"], r["first_party"], r["key"]))
    return {"coverage": counted, "rows": rows, "exports": f"/agreements.{{}}?as_of={as_of}"}


@router.get("/people", response_class=HTMLResponse, name="people_page")
def people_page(request: Request, db: DbSession, page: PageUser, as_of: AsOfPage) -> Response:
    """The posts and who held them on the date, the advisory bodies and networks with their
    members on the date, the other organisations, and everyone recorded."""

    def gather() -> dict[str, Any]:
        return _people(db, as_of, page.who.clearance)

    return render_read(request, "people.html", page, gather)


def _people(db: Session, as_of: date, clearance: Sensitivity) -> dict[str, Any]:
    organisations = list_organisations(db, clearance=clearance)
    bodies = [o for o in organisations if o.kind in BODY_KINDS]
    persons = visible(db.scalars(select(Person).order_by(Person.name, Person.key)), clearance)
    return {
        "posts": [(p, holders(db, p.key, as_of, clearance)) for p in list_posts(db, clearance)],
        "bodies": [(b, members(db, b.key, as_of, clearance=clearance)) for b in bodies],
        "others": [o for o in organisations if o.kind not in BODY_KINDS],
        "persons": [
            (p, posts_of(db, p, clearance), memberships_of(db, p, clearance)) for p in persons
        ],
    }


@router.get("/reports", response_class=HTMLResponse, name="reports_page")
def reports_page(
    request: Request,
    db: DbSession,
    page: PageUser,
    home: Home,
    as_of: AsOfPage,
) -> Response:
    """The reports, to download for the reader's clearance: the year's chapter, a country
    brief, the reconciliation of published figures."""

    def gather() -> dict[str, Any]:
        parties = visible(list_parties(db), page.who.clearance)
        return {
            "partners": sorted((p for p in parties if p.key != home), key=lambda p: p.name),
            "formats": FORMAT_LABELS,
            # A reader may build a report for their own clearance or a lower one.
            "clearances": [c.value for c in levels(page.who.clearance)],
            # The last year ended by the date: the chapter of a year is written after it.
            "year": as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1,
        }

    return render_read(request, "reports.html", page, gather)


@router.get("/reports/annual", name="annual_report_page")
def annual_report(request: Request, page: PageUser, year: str = "") -> Response:
    """The annual chapter of the form on the reports page: a redirect to its download, or a page
    that says what is wrong with the year (never the API's raw JSON error)."""
    if not re.fullmatch(r"[0-9]{4}", year.strip()) or not 1900 <= int(year) <= 2200:
        shown = f"{year!r} is not" if year.strip() else "no year was given: enter"
        raise InvalidData(f"year: {shown} a year from 1900 to 2200; enter one such as 2022")
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "year"]
    query.append(("year", year.strip()))
    return RedirectResponse(f"/api/v1/reports/annual?{urlencode(query)}", 303)


@router.get("/reports/country", name="country_report_page")
def country_report(
    page: PageUser,
    code: Annotated[str, Query(min_length=1, max_length=12, pattern=r"^[A-Za-z0-9_-]+$")],
    as_of: Annotated[date | None, Query()] = None,
    format: Annotated[ReportFormat, Query()] = ReportFormat.pdf,
    clearance: Annotated[Sensitivity | None, Query()] = None,
) -> Response:
    """The country brief of the form on the reports page: a redirect to its download."""
    query = {"format": format.value, **({"as_of": as_of.isoformat()} if as_of else {})}
    if clearance is not None:
        query["clearance"] = clearance.value
    return RedirectResponse(
        f"/api/v1/reports/country/{quote(code.upper(), safe='')}?{urlencode(query)}", 303
    )
