"""The dashboard and the country page: each gathers the registry's answers for one as-of date,
within the reader's clearance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from scidip.dates import add_days
from scidip.materials.store import resolve_store_dir
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.queries import agreements_with, term_warnings
from scidip.registry.committee.service import list_committees, meetings_in, overdue_committees
from scidip.registry.document.service import find_documents
from scidip.registry.engagement.service import find_engagements
from scidip.registry.guarded import visible_payloads
from scidip.registry.home import loaded_datasets
from scidip.registry.party.service import PARTY, SUCCESSION
from scidip.registry.record import get
from scidip.reports.context.side import side_of
from scidip.web.deps import DbSession, Home, SettingsDep
from scidip.web.pages.context import AsOfPage, PageUser, render_read
from scidip.web.pages.evidence import indicators_evidence, materials_evidence
from scidip.web.pages.published import published_on
from scidip.web.pages.worldmap import country_paths, coverage_classes

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(
    request: Request,
    db: DbSession,
    page: PageUser,
    home: Home,
    as_of: AsOfPage,
) -> Response:
    """Coverage on the date, agreements expiring or lapsed, committees overdue, meetings of the
    coming year, the latest engagements."""
    clearance = page.who.clearance

    def gather() -> dict[str, Any]:
        side = side_of(db, home)
        engagements = [
            (e, t)
            for e, t in find_engagements(
                db, add_days(as_of, -365), add_days(as_of, 1), clearance=clearance
            )
            if side.has_engagement(e)
        ]
        ours = [c for c in list_committees(db, clearance=clearance) if side.has_committee(c)]
        return {
            "coverage": coverage(db, home, as_of, clearance=clearance),
            "warnings": term_warnings(db, home, as_of, clearance=clearance),
            "overdue": overdue_committees(db, as_of, clearance=clearance, among=ours),
            "meetings": [
                (m, t)
                for m, t in meetings_in(db, as_of, add_days(as_of, 365), clearance=clearance)
                if side.has_meeting(m)
            ],
            "engagements": list(reversed(engagements))[:10],
            "published": published_on(db, as_of, clearance, home),
            "sides": sides if len(sides := loaded_datasets(db)) > 1 else [],
        }

    return render_read(request, "dashboard.html", page, gather)


@router.get("/countries/{code}", response_class=HTMLResponse, name="country")
def country(
    request: Request,
    code: str,
    db: DbSession,
    page: PageUser,
    settings: SettingsDep,
    home: Home,
    as_of: AsOfPage,
) -> Response:
    """Everything about one partner: its agreements and how each stands, successions, joint
    committees, engagements and documents."""
    clearance = page.who.clearance

    def gather() -> dict[str, Any]:
        successions = [
            s
            for s in visible_payloads(db, SUCCESSION, clearance)
            if code in (s["predecessor"], s["successor"])
        ]
        return {
            "party": get(db, PARTY, code, clearance),
            "agreements": agreements_with(db, home, code, as_of, clearance=clearance),
            "successions": successions,
            "committees": list_committees(db, counterpart=code, clearance=clearance),
            "engagements": find_engagements(db, party=code, clearance=clearance),
            "documents": find_documents(db, as_of, party=code, clearance=clearance),
            "materials": materials_evidence(resolve_store_dir(settings), home, code, as_of),
            "indicators": indicators_evidence(settings.data_dir / "indicators", home, code, as_of),
        }

    return render_read(request, "country.html", page, gather)


LABELS = {
    "direct": "covered directly",
    "succession": "covered only through succession",
    "none": "not covered",
    "home": "home party",
}


@router.get("/map", response_class=HTMLResponse, name="map")
def world_map(
    request: Request,
    db: DbSession,
    page: PageUser,
    home: Home,
    as_of: AsOfPage,
) -> Response:
    """The world map of partners, coloured by how they are covered on the date."""

    def gather() -> dict[str, Any]:
        cov = coverage(db, home, as_of, clearance=page.who.clearance)
        return {
            "coverage": cov,
            "shapes": country_paths(),
            "classes": coverage_classes(cov),
            "labels": LABELS,
        }

    return render_read(request, "map.html", page, gather)
