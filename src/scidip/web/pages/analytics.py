"""The analytics as pages: "Economic security" (the home country's supply risk, GeoPolRisk, by
material and year, with a chart: :func:`scidip.materials.service.risk`; and the scenario form,
:mod:`scidip.web.pages.scenario`) and "Capability" (every
country's papers, world share and specialisation in the latest complete year, with a chart:
:func:`scidip.indicators.show.countries_in_period`). Each names its source and vintage, labels
generated data SYNTHETIC, and says how to build a store that is absent."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from scidip.errors import NotFound
from scidip.indicators.counts import ALL_FIELDS_ID
from scidip.indicators.show import countries_in_period, country_indicators
from scidip.indicators.store import Store
from scidip.materials.service import open_context, risk
from scidip.materials.store import resolve_store_dir
from scidip.registry.agreement.coverage import coverage
from scidip.web.deps import DbSession, Home, SettingsDep
from scidip.web.pages import scenario
from scidip.web.pages.context import AsOfPage, PageUser, render, render_read
from scidip.web.pages.evidence import (
    INDICATORS_HOW,
    MATERIALS_HOW,
    bars,
    indicators_provenance,
    vintage_lines,
)
from scidip.web.pages.tracker import mobility_section, tracker_section

router = APIRouter(include_in_schema=False)

TOP = 20
"""Countries the capability page lists (by papers)."""


@router.get("/economic-security", response_class=HTMLResponse, name="economic_security")
def economic_security(
    request: Request,
    page: PageUser,
    settings: SettingsDep,
    home: Home,
    as_of: AsOfPage,
    db: DbSession,
) -> Response:
    """The home country's GeoPolRisk score of every material in every year of data up to the
    date, a chart of the latest year, and the scenario form (with its results when sent: not
    kept in the read cache, and a 422 when a field is refused)."""
    query = request.query_params

    def in_force() -> list[str]:  # the agreement partners the reader may see, on the date
        found = coverage(db, home, as_of, clearance=page.who.clearance)
        return sorted({line.party for line in found.states})

    def gather() -> dict[str, Any]:
        try:
            ctx = open_context(resolve_store_dir(settings))
        except NotFound:
            return {"absent": MATERIALS_HOW, "home": home, "asked": scenario.asked(query)}
        try:
            years = [y for y in ctx.catalog.production_years if y <= as_of.year]
            results = risk(ctx, [home], years) if years else []
            vintage = ctx.store.vintage()
            form = scenario.form_context(ctx, home, query, years, in_force)
        finally:
            ctx.con.close()
        table: dict[str, dict[int, Any]] = {}
        for r in results:
            table.setdefault(r.material, {})[r.year] = r
        latest = [r for r in results if years and r.year == years[-1] and r.score is not None]
        latest.sort(key=lambda r: (-(r.score or 0), r.material))
        chart = (
            bars([r.material for r in latest], [r.score or 0 for r in latest], "GeoPolRisk score")
            if latest
            else None
        )
        return {
            "home": home,
            "years": years,
            "table": dict(sorted(table.items())),
            "chart": chart,
            **vintage_lines(vintage),
            **form,
            "request_as_of": as_of.isoformat() if query.get("as_of") else "",
        }

    if not scenario.asked(query):
        return render_read(request, "economic_security.html", page, gather)
    found = gather()
    status = 422 if found.get("problems") else 200
    return render(request, "economic_security.html", page, status_code=status, **found)


def _latest_complete_year(store: Store, home: str, as_of: date) -> int | None:
    rows = country_indicators(store, home, ALL_FIELDS_ID)
    years = [
        int(r["period_end"])
        for r in rows
        if int(r["period_end"]) <= as_of.year and not r.get("incomplete_period")
    ]
    return max(years) if years else None


@router.get("/capability", response_class=HTMLResponse, name="capability")
def capability(
    request: Request, page: PageUser, settings: SettingsDep, home: Home, as_of: AsOfPage
) -> Response:
    """Every country's papers, world share and top-10 % share in the home country's latest
    complete year on or before the date, the first twenty by papers, with a chart; the
    critical-technology tracker (its options from the query: ``list``, ``method``,
    ``counting``, ``years``, ``rule``, ``switch``, ``tech``) and the researcher flows of the
    home country and its partners (:mod:`scidip.web.pages.tracker`)."""
    store = Store(settings.data_dir / "indicators").snapshot()

    def gather() -> dict[str, Any]:
        return {
            **indicators(),
            "tracker": tracker_section(store, home, as_of, request.query_params),
            "flows": mobility_section(store, home, as_of),
        }

    def indicators() -> dict[str, Any]:
        try:
            year = _latest_complete_year(store, home, as_of)
            rows = countries_in_period(store, year, limit=TOP) if year is not None else []
        except NotFound:
            return {"absent": INDICATORS_HOW, "home": home}
        provenance = indicators_provenance(store)
        chart = (
            bars(
                [str(r["country_code"]) for r in rows],
                [float(r["world_share_frac_pct"] or 0) for r in rows],
                "% of the world's papers",
            )
            if rows
            else None
        )
        return {
            "year": year,
            "rows": rows,
            "chart": chart,
            "home": home,
            **provenance,
            "synthetic": any(r.get("synthetic_data") for r in rows) or provenance["synthetic"],
        }

    return render_read(request, "capability.html", page, gather)
