"""One call for the workbench's Capability page: everything it shows of the tracker, as plain
JSON-ready data (no HTML here; the page renders it).

:func:`capability_view` answers "who leads in each technology, how sure are we, and does the
answer change with the counting method or without same-country citations", with the home
country's position and the series a chart needs.
"""

from __future__ import annotations

from typing import Any

from scidip.errors import NotFound
from scidip.indicators.method import MethodName
from scidip.indicators.store import Store
from scidip.indicators.tech import service
from scidip.indicators.tech.institutions import with_lead_institutions
from scidip.indicators.tech.leaders import leaders, ranked
from scidip.indicators.tech.partners import trend

#: Countries drawn per technology in the chart series.
SERIES_COUNTRIES = 5


def share_series(
    rows: list[dict[str, Any]], tech_key: str, counting: str = "frac"
) -> dict[str, Any]:
    """The top-10 % share of the technology's leading countries (by the latest window) in each
    window: ``{"years": [...], "countries": {code: [share or None, ...]}}``."""
    groups = {k: v for k, v in ranked(rows, counting).items() if k[0] == tech_key}
    ends = sorted(k[3] for k in groups)
    if not ends:
        return {"years": [], "countries": {}}
    latest = next(v for k, v in groups.items() if k[3] == ends[-1])
    codes = [m["country_code"] for m in latest[:SERIES_COUNTRIES]]
    by_end = {k[3]: {m["country_code"]: m["share_pct"] for m in v} for k, v in groups.items()}
    return {"years": ends, "countries": {c: [by_end[e].get(c) for e in ends] for c in codes}}


def capability_view(
    store: Store,
    home: str,
    *,
    method: MethodName = MethodName.scidip,
    counting: str = "frac",
    exclude_same_country: bool = False,
    period_years: int = 5,
    period_end: int | None = None,
    rule: str = "lead-ratio",
    chart_technology: str | None = None,
) -> dict[str, Any]:
    """The page's data: ``meta`` (definitions' labels, synthetic flag, years), ``options``,
    ``leaders`` (per technology: lead, shares, ratio, HHI, risk, the lead country's share of the
    top-10 institutions), ``home`` (the home country's rank and share in the 5-year window
    ending by ``period_end`` and five years earlier), ``sensitivity`` (the leader under every
    method, counting and citation setting), and ``series`` (annual top-10 % shares of the leading
    countries of ``chart_technology``, default: the first technology). Raises
    :class:`~scidip.errors.NotFound` when the tracker was not computed."""
    meta = service.read_meta(store)
    rows = service.read_rows(store, method, exclude_same_country, period_years)
    window = service.latest_window(rows, period_end)
    end = window[0]["period_end"]
    try:
        concentration = service.institution_concentration(
            store, method, exclude_same_country, period_years, counting
        )
    except NotFound:  # computed before the tracker had an institution level
        concentration = {}
    found = with_lead_institutions(leaders(window, counting, rule), concentration)
    tech = chart_technology or (found[0]["tech_key"] if found else None)
    annual = service.read_rows(store, method, exclude_same_country, 1, tech) if tech else []
    annual = [r for r in annual if r["period_end"] <= end]
    fives = service.read_rows(store, method, exclude_same_country, 5)
    return {
        "meta": {
            "definitions": meta["definitions"],
            "synthetic": meta["synthetic"],
            "first_year": meta["first_year"],
            "last_year": meta["last_year"],
            "technologies": meta["technologies"],
        },
        "options": {
            "method": method.value,
            "counting": counting,
            "exclude_same_country": exclude_same_country,
            "period_years": period_years,
            "period_end": end,
            "risk_rule": rule,
            "home": home,
        },
        "leaders": found,
        "home": trend([r for r in fives if r["period_end"] <= end], home, counting),
        "sensitivity": service.sensitivity(store, period_years, end),
        "series": {"technology": tech, **share_series(annual, tech, counting)} if tech else None,
    }
