"""The tracker at institution level: each institution's papers and top-10 % papers in each
technology and window, and the top-10 institutions' countries.

It reuses the indicators' institution level (:mod:`scidip.indicators.institutions`): the
institutions and their weights of ``tables/work_institution`` (the Leiden Ranking's fractional
counting by author, ``weight_frac``) and :func:`~scidip.indicators.institutions.by_period` for
the windows. What decides a paper's top-10 % weight is the tracker's own (the technology ×
year reference set, the method's tie rule, the citation switch:
:func:`scidip.indicators.tech.tracker.weighted_rows`), so an institution's counts add up
with its country's.

Per (technology, institution, window): ``papers_whole`` (papers with the institution),
``papers_frac = Σ w``, ``top10_whole = Σ t``, ``top10_frac = Σ w·t``, where ``w`` is the
paper's weight for the institution and ``t`` its top-10 % weight; NISTEP's method averages a
window's years, as for countries.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from scidip.indicators.institutions import by_period
from scidip.indicators.method import METHODS
from scidip.indicators.tech.leaders import WINDOW_KEYS
from scidip.indicators.tech.tracker import MEASURES, TrackerOptions

INSTITUTION_KEYS = ["tech_key", "institution_id", "institution_name", "country_code"]
#: Institutions counted in the concentration measure (ASPI's "top 10 institutions").
TOP_INSTITUTIONS = 10


def institution_counts(
    work_institution: ir.Table,
    weighted: ir.Table,
    options: TrackerOptions,
    first: int,
    last: int,
) -> ir.Table:
    """One row per (technology, institution, window of ``options.windows`` years within
    ``first`` … ``last``): :data:`INSTITUTION_KEYS`, the window and the
    :data:`~scidip.indicators.tech.tracker.MEASURES`; ``weighted``: the tracker's weighted
    rows (:func:`~scidip.indicators.tech.tracker.weighted_rows`)."""
    # The weighted rows hold the counted papers only: the join keeps the method's population.
    inst = work_institution.select("work_key", "institution_id", "institution_name",
                                   "country_code", "weight_frac")  # fmt: skip
    papers = weighted.select("tech_key", "work_key", "publication_year", "top10_weight")
    j = papers.distinct().join(inst, "work_key")
    rows = by_period(j, list(options.windows), first, last)
    keys = [*INSTITUTION_KEYS, *WINDOW_KEYS[1:]]
    w, t = rows.weight_frac, rows.top10_weight
    agg = rows.group_by(keys).aggregate(
        papers_whole=rows.count().cast("float64"),
        papers_frac=w.sum(),
        top10_whole=t.sum(),
        top10_frac=(w * t).sum(),
    )
    divisor = (
        agg.period_years.cast("float64") if METHODS[options.method].window_counts == "mean" else 1.0
    )
    return agg.select(
        *keys,
        **{m: agg[m].cast("float64") / divisor for m in MEASURES},
        method=ibis.literal(options.method.value),
        same_country_excluded=ibis.literal(options.exclude_same_country),
    )


def ranked_institutions(
    rows: list[dict[str, Any]],
    world: dict[tuple[Any, ...], dict[str, float]],
    counting: str = "frac",
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The institutions of each window (:data:`~scidip.indicators.tech.leaders.WINDOW_KEYS`),
    with ``papers_share_pct`` and ``top10_share_pct`` (of the technology's world papers and
    top 10 % in the window, ``world``: window → ``world_papers``, ``world_top10``) and
    ``rank`` by the top-10 % share (equal shares by institution id)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        key = tuple(r[k] for k in WINDOW_KEYS)
        totals = world.get(key, {})
        share = {
            f"{m}_share_pct": 100.0 * r[f"{m}_{counting}"] / totals[f"world_{m}"]
            if totals.get(f"world_{m}") else 0.0
            for m in ("papers", "top10")
        }  # fmt: skip
        groups.setdefault(key, []).append({**r, **share})
    for members in groups.values():
        members.sort(key=lambda m: (-round(m["top10_share_pct"], 9), m["institution_id"]))
        for i, m in enumerate(members, start=1):
            m["rank"] = i
    return groups


def top_institution_countries(
    groups: dict[tuple[Any, ...], list[dict[str, Any]]], limit: int = TOP_INSTITUTIONS
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Per window: how many of the ``limit`` first institutions (by top-10 % share, those with a
    share) each country holds."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for key, members in groups.items():
        counts: dict[str, int] = {}
        for m in [m for m in members if m["top10_share_pct"] > 0][:limit]:
            code = m["country_code"] or "XXX"
            counts[code] = counts.get(code, 0) + 1
        out[key] = counts
    return out


def with_lead_institutions(
    found: list[dict[str, Any]], concentration: dict[tuple[Any, ...], dict[str, int]]
) -> list[dict[str, Any]]:
    """Leader rows (:func:`~scidip.indicators.tech.leaders.leaders`) with
    ``lead_top10_institutions``: how many of the technology's top-10 institutions are in the
    lead country (None where the institution level holds nothing for the window)."""
    out = []
    for row in found:
        counts = concentration.get(tuple(row[k] for k in WINDOW_KEYS))
        out.append({**row, "lead_top10_institutions": None if counts is None
                    else counts.get(row["lead"], 0)})  # fmt: skip
    return out
