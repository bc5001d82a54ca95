"""Report downloads: the annual chapter, a country brief and the reconciliation of published
figures, built by ``scidip.reports`` for the reader's clearance (what they may not see is in no
report), as Markdown, HTML or PDF."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from scidip.auth.service import Principal
from scidip.db.base import Sensitivity
from scidip.errors import PermissionDenied
from scidip.materials.store import resolve_store_dir
from scidip.registry.access import allowed
from scidip.reports.context.annual import build_annual
from scidip.reports.context.country import build_country
from scidip.reports.context.sections import indicators_section, materials_section
from scidip.reports.reconcile import reconcile
from scidip.reports.render import ReportFormat, render_report
from scidip.web.deps import AsOf, DbSession, Home, Reader, SettingsDep
from scidip.web.kept import KeptReads

router = APIRouter(prefix="/reports", tags=["reports"], route_class=KeptReads)

Format = Annotated[ReportFormat, Query(description="md, html or pdf.")]
ClearanceParam = Annotated[
    Sensitivity | None,
    Query(
        description="Build the report for a reader of this clearance (public, internal, "
        "restricted), at or below the reader's own (403 above it); default: the reader's own."
    ),
]


def report_clearance(who: Principal, asked: Sensitivity | None) -> Sensitivity:
    """The clearance a report is built for: ``asked`` (at most the reader's own), else theirs."""
    if asked is None:
        return who.clearance
    if not allowed(asked, who.clearance):
        raise PermissionDenied(
            f"{who.username} may not build a report for clearance {asked.value} "
            f"(their clearance is {who.clearance.value})"
        )
    return asked


MEDIA = {
    ReportFormat.md: "text/markdown; charset=utf-8",
    ReportFormat.html: "text/html; charset=utf-8",
    ReportFormat.pdf: "application/pdf",
}
FILE: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report.", "content": {m: {} for m in MEDIA.values()}}
}


def _download(content: bytes, fmt: ReportFormat, stem: str) -> Response:
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt.value}"'},
    )


@router.get("/annual", response_class=Response, responses=FILE, name="report_annual")
def annual(
    db: DbSession,
    who: Reader,
    home: Home,
    year: Annotated[int, Query(ge=1900, le=2200, description="The year the chapter reports.")],
    format: Format = ReportFormat.md,
    clearance: ClearanceParam = None,
) -> Response:
    """The year's chapter, computed from the registry."""
    level = report_clearance(who, clearance)
    report = build_annual(db, home, year, date.today(), level)
    return _download(render_report("annual", format, a=report), format, f"annual-{year}")


@router.get("/country/{code}", response_class=Response, responses=FILE, name="report_country")
def country(
    code: Annotated[str, Path(description="The partner's code (KAZ, EU).")],
    db: DbSession,
    who: Reader,
    settings: SettingsDep,
    home: Home,
    as_of: AsOf,
    format: Format = ReportFormat.md,
    clearance: ClearanceParam = None,
) -> Response:
    """A brief on one partner before a visit or a joint committee."""
    level = report_clearance(who, clearance)
    sections = [
        materials_section(resolve_store_dir(settings), home),
        indicators_section(settings.data_dir / "indicators", home),
    ]
    brief = build_country(db, home, code.upper(), as_of, date.today(), level, sections)
    return _download(render_report("country", format, c=brief), format, f"country-{code}")


@router.get("/reconcile", response_class=Response, responses=FILE, name="report_reconcile")
def reconciliation(
    db: DbSession,
    who: Reader,
    as_of: AsOf,
    format: Format = ReportFormat.md,
    clearance: ClearanceParam = None,
) -> Response:
    """Every published figure beside the registry's count on its date."""
    result = reconcile(db, date.today(), report_clearance(who, clearance), as_of)
    return _download(render_report("reconcile", format, r=result), format, "reconcile")
