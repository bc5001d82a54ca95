"""The Capability page's critical-technology tracker and researcher flows: what it shows, from
:func:`scidip.indicators.tech.view.capability_view` (who leads each technology of a list, by
how much, the monopoly-risk rating, the home country's position and trend), the stability
intervals and institutions of one technology, and the MPIDR reference series beside SciDip's
own mobility figures for the home country and its partners. Charts are drawn server-side as
inline SVG (:mod:`scidip.charts`); the options come from a GET form, every value checked
against the ones the tracker knows."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup
from starlette.datastructures import QueryParams

from scidip.charts import figure, inline_svg, svg_text
from scidip.errors import NotFound
from scidip.indicators.method import MethodName
from scidip.indicators.mobility import service as mobility
from scidip.indicators.mobility.reference import reference_meta, reference_rows
from scidip.indicators.store import Store
from scidip.indicators.synthetic_label import CHART_LABEL
from scidip.indicators.tech import service as tech
from scidip.indicators.tech.leaders import COUNTINGS, RISK_RULES
from scidip.indicators.tech.view import capability_view

TRACKER_HOW = (
    "No technology tracker computed: ingest works with `scidip indicators ingest <snapshot>`, "
    "then run `scidip tech compute` (docs/tech.md)."
)
MOBILITY_HOW = (
    "No researcher flows: load the MPIDR series with `scidip mobility load-reference` and "
    "compute SciDip's own with `scidip mobility compute` (docs/mobility.md)."
)
WINDOWS = (5, 1)
#: Partners whose MPIDR series are shown beside the home country's (largest exchange first).
PARTNERS = 5
#: Bootstrap samples of the chosen technology's stability intervals (the Leiden Ranking's).
SAMPLES = 1000
INSTITUTIONS_SHOWN = 10
#: Each method in a line (docs/indicators.md, "Methods", states them exactly).
METHOD_NOTES = {
    "scidip": "SciDip's: articles and reviews; ties at the top-10 % threshold split "
    "(Waltman & Schreiber 2013)",
    "cwts": "the CWTS Leiden Ranking's: CWTS document types, works with references; ties split",
    "nistep": "NISTEP's: articles and reviews; extraction with a correction factor; "
    "a window's years averaged",
}
COLOURS = ("#2a6f97", "#c8553d", "#588157", "#8d6a9f", "#e09f3e")


def _chart(fig: Any, synthetic: bool) -> Markup:
    if synthetic:
        fig.suptitle(CHART_LABEL, color="#8b1a1a", fontsize=9)
    return Markup(inline_svg(svg_text(fig, tight=True)))


def share_lines(series: dict[str, Any], synthetic: bool) -> Markup:
    """The top-10 % share of a technology's leading countries, year by year (a line each)."""
    fig = figure(5.6, 3.0)
    ax = fig.add_subplot()
    for (code, values), colour in zip(series["countries"].items(), COLOURS, strict=False):
        ax.plot(series["years"], [v if v is not None else float("nan") for v in values],
                marker="o", color=colour, label=code)  # fmt: skip
    ax.set_ylabel("% of the top 10 %")
    ax.set_xticks(series["years"])
    ax.legend(frameon=False, fontsize=8, ncols=min(5, len(series["countries"])) or 1)
    ax.spines[["top", "right"]].set_visible(False)
    return _chart(fig, synthetic)


def interval_bars(rows: list[dict[str, Any]], synthetic: bool) -> Markup:
    """Each country's top-10 % share with its 95 % stability interval (error bars)."""
    rows = rows[::-1]
    fig = figure(5.6, 0.42 * len(rows) + 1.0)
    ax = fig.add_subplot()
    shares = [r["top10_share_pct"] for r in rows]
    err = [[s - (r["share_lb"] if r["share_lb"] is not None else s) for s, r in zip(shares, rows,
            strict=True)], [(r["share_ub"] if r["share_ub"] is not None else s) - s
            for s, r in zip(shares, rows, strict=True)]]  # fmt: skip
    ax.barh([r["country_code"] for r in rows], shares, xerr=err, color="#2a6f97",
            ecolor="#333333", capsize=3)  # fmt: skip
    ax.set_xlabel("% of the top 10 % (bars: 95 % stability interval)")
    ax.spines[["top", "right"]].set_visible(False)
    return _chart(fig, synthetic)


def net_rate_lines(rows: list[dict[str, Any]], code: str, synthetic: bool) -> Markup:
    """A country's net migration rate of scholars per 1,000, MPIDR beside SciDip's own."""
    fig = figure(5.6, 2.8)
    ax = fig.add_subplot()
    years = [r["year"] for r in rows]
    for key, label, colour in (("mpidr", "MPIDR (OpenAlex series)", COLOURS[0]),
                               ("scidip", "SciDip", COLOURS[1])):  # fmt: skip
        values = [r[f"{key}_netmigrationrate"] for r in rows]
        if any(v is not None for v in values):
            ax.plot(years, [1000 * v if v is not None else float("nan") for v in values],
                    marker=".", color=colour, label=label)  # fmt: skip
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.set_ylabel(f"{code}: net per 1,000")
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _chart(fig, synthetic)


def _choice(params: QueryParams, name: str, allowed: list[str], errors: list[str]) -> str:
    value = params.get(name) or allowed[0]
    if value not in allowed:
        errors.append(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        return allowed[0]
    return value


def tracker_options(params: QueryParams, lists: list[str], techs: list[str]) -> dict[str, Any]:
    """The form's options, each checked (a wrong value is named in ``errors`` and replaced by
    the default)."""
    errors: list[str] = []
    chosen = {
        "list": _choice(params, "list", lists, errors),
        "method": _choice(params, "method", [m.value for m in MethodName], errors),
        "counting": _choice(params, "counting", list(COUNTINGS), errors),
        "years": int(_choice(params, "years", [str(w) for w in WINDOWS], errors)),
        "rule": _choice(params, "rule", list(RISK_RULES), errors),
        "switch": params.get("switch") == "on",
    }
    mine = [t for t in techs if t.startswith(f"{chosen['list']}/")]
    chosen["tech"] = _choice(params, "tech", mine or [""], errors) if mine else None
    chosen["errors"] = errors
    return chosen


def tracker_section(store: Store, home: str, as_of: date, params: QueryParams) -> dict[str, Any]:
    """What the tracker part of the page shows (``absent``: why there is nothing)."""
    try:
        meta = tech.read_meta(store)
    except NotFound:
        return {"absent": TRACKER_HOW}
    lists = [d["list"] for d in meta["definitions"]]
    o = tracker_options(params, lists, sorted(meta["technologies"]))
    end = min(meta["last_year"], as_of.year)
    if end < meta["first_year"] + o["years"] - 1:
        return {
            "options": o,
            "meta": meta,
            "lists": lists,
            "empty": f"No {o['years']}-year window of the tracker ends on or before {as_of}.",
        }
    try:
        view = capability_view(
            store, home, method=MethodName(o["method"]), counting=o["counting"],
            exclude_same_country=o["switch"], period_years=o["years"], period_end=end,
            rule=o["rule"], chart_technology=o["tech"],
        )  # fmt: skip
    except NotFound as exc:  # e.g. no work of the lists in the window: say so
        return {"options": o, "meta": meta, "lists": lists, "empty": f"{exc}."}
    of_list = f"{o['list']}/"
    synthetic = bool(meta["synthetic"])
    series = view["series"]
    return {
        "options": o,
        "lists": lists,
        "meta": meta,
        "definition": next(d for d in meta["definitions"] if d["list"] == o["list"]),
        "method_note": METHOD_NOTES[o["method"]],
        "window": view["options"]["period_end"],
        "leaders": [r for r in view["leaders"] if r["tech_key"].startswith(of_list)],
        "home_trend": {r["tech_key"]: r for r in view["home"]},
        "sensitivity": [r for r in view["sensitivity"] if r["tech_key"].startswith(of_list)],
        "lines": share_lines(series, synthetic) if series and series["years"] else None,
        "synthetic": synthetic,
        "techs": [t for t in sorted(meta["technologies"]) if t.startswith(of_list)],
        **(_technology(store, o, end, synthetic) if o["tech"] else {}),
    }


def _technology(store: Store, o: dict[str, Any], end: int, synthetic: bool) -> dict[str, Any]:
    """The chosen technology's countries (with their stability intervals, and a chart of them)
    and institutions in the window; ``none_in_window`` when it has no paper there."""
    options: dict[str, Any] = {
        "method": MethodName(o["method"]), "counting": o["counting"],
        "exclude_same_country": o["switch"], "period_years": o["years"], "period_end": end,
    }  # fmt: skip
    try:
        countries = tech.country_table(store, [], o["tech"], samples=0, **options)
    except NotFound:
        return {"none_in_window": True}
    countries = _with_intervals(store, countries, o, end)[:15]
    try:
        institutions = tech.institution_table(store, o["tech"], **options)
    except NotFound:  # computed before the tracker had an institution level
        institutions = []
    return {
        "countries": countries,
        "institutions": institutions[:INSTITUTIONS_SHOWN],
        "intervals": interval_bars(countries[:10], synthetic) if countries else None,
    }


def _with_intervals(
    store: Store, countries: list[dict[str, Any]], o: dict[str, Any], end: int
) -> list[dict[str, Any]]:
    """The countries with their bootstrap bounds (:func:`scidip.indicators.tech.service.
    stability`, seeded: the same data, the same intervals); without them when the definitions
    the tracker was computed with can no longer be read (:func:`~scidip.indicators.tech.
    service.recorded_lists`)."""
    lists = tech.recorded_lists(tech.read_meta(store))
    if not countries or o["tech"] not in {t.key for tl in lists for t in tl.technologies}:
        return countries
    bounds = {
        b["country_code"]: b
        for b in tech.stability(store, lists, o["tech"], end, o["years"],
                                method=MethodName(o["method"]),
                                exclude_same_country=o["switch"], samples=SAMPLES)
    }  # fmt: skip
    keys = ("share_lb", "share_ub", "rank_lb", "rank_ub")
    return [{**c, **{k: bounds.get(c["country_code"], {}).get(k) for k in keys}}
            for c in countries]  # fmt: skip


def mobility_section(store: Store, home: str, as_of: date) -> dict[str, Any]:
    """The MPIDR series (OpenAlex) for the home country and its largest partners (by scholars
    exchanged over the five latest years of the Scopus flows up to the date), each in the
    latest year the series has for it, beside SciDip's own figures of that year where
    computed; a chart of the home country's net migration rate, both series."""
    try:
        reference = reference_meta(store)
    except NotFound:
        return {"absent": MOBILITY_HOW}
    try:
        synthetic = bool(mobility.read_meta(store)["synthetic"])
        computed = True
    except NotFound:
        synthetic = computed = False
    home_rows = [r for r in mobility.beside(store, home) if r["year"] <= as_of.year]
    if not any(r["mpidr_padded_population"] is not None for r in home_rows):
        return {"empty": f"No MPIDR year for {home} on or before {as_of}.", "reference": reference}
    years = [r["year"] for r in reference_rows(
        store, "mpidr_flows", [("origin", "=", home), ("year", "<=", as_of.year)])]  # fmt: skip
    last = max(years, default=as_of.year)
    partners = mobility.partner_flows(store, home, last - 4, last)[:PARTNERS]
    rows = []
    for code in [home, *[p["partner"] for p in partners]]:
        found = [
            r
            for r in mobility.beside(store, code)
            if r["year"] <= as_of.year and r["mpidr_padded_population"] is not None
        ]
        if found:
            rows.append(found[-1])
    return {
        "reference": reference,
        "computed": computed,
        "synthetic": synthetic,
        "rows": rows,
        "partners": partners,
        "flow_span": (last - 4, last),
        "chart": net_rate_lines(home_rows, home, synthetic),
    }
