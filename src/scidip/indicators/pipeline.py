"""The indicator expressions, end to end: ingested tables in, indicator tables out.

Pure: builds Ibis expressions and executes nothing, so the same pipeline runs on DuckDB and on
Spark (:mod:`scidip.indicators.compute` executes it). Each step is defined in its own module:
counting rules in :mod:`~scidip.indicators.counts`, the tie rule in
:mod:`~scidip.indicators.highly_cited`, ratios in :mod:`~scidip.indicators.derive`, RSI in
:mod:`~scidip.indicators.specialisation`, ranks in :mod:`~scidip.indicators.ranking`, the
co-authorship matrix in :mod:`~scidip.indicators.collaboration`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import ibis.expr.types as ir

from scidip.indicators.collaboration import collaboration_matrix, pair_counts
from scidip.indicators.counts import (
    ALL_FIELDS_ID,
    COUNTED_TYPES,
    COUNTRY_MEASURES,
    FIELD_KEYS,
    WORLD_MEASURES,
    base_counts,
    counted_works,
    field_names,
    is_counted,
    paper_country_rows,
    papers,
    periodise,
    with_all_fields,
    world_counts,
)
from scidip.indicators.derive import PERIOD_KEYS, with_ratios
from scidip.indicators.highly_cited import citation_scores, top_columns, with_top_weights
from scidip.indicators.normalise import UNKNOWN_COUNTRY, UNKNOWN_FIELD_ID
from scidip.indicators.ranking import with_ranks
from scidip.indicators.specialisation import with_specialisation


@dataclass(frozen=True)
class ComputeOptions:
    """Choices that change the numbers; recorded in ``compute.json``."""

    moving_window_years: int = 3
    citation_window_years: int | None = None


def top_papers(tables: Mapping[str, ir.Table], options: ComputeOptions) -> ir.Table:
    """Counted papers with citation score and top-10 % / top-1 % weights."""
    pop = papers(tables["works"], tables["work_field"])
    scored = citation_scores(pop, tables.get("work_citation_year"), options.citation_window_years)
    return top_columns(with_top_weights(scored))


def _same(t: ir.Table) -> ir.Table:
    return t


def indicator_expressions(
    tables: Mapping[str, ir.Table],
    first_year: int,
    last_year: int,
    options: ComputeOptions,
    cache: Callable[[ir.Table], ir.Table] = _same,
) -> dict[str, ir.Table]:
    """``country_field_period``, ``world_field_period`` and ``collaboration`` expressions.

    Periods are single years and moving windows of ``options.moving_window_years`` within
    ``[first_year, last_year]``; ``period_years`` tells them apart. ``cache`` may materialise
    the intermediate tables every output reuses (``Table.cache``), so that an engine which
    inlines common subexpressions, as Spark does, computes them once.
    """
    top = cache(top_papers(tables, options))
    rows = paper_country_rows(top, tables["work_country"])
    base = cache(
        with_all_fields(base_counts(rows), ["country_code", "publication_year"], COUNTRY_MEASURES)
    )
    world = cache(with_all_fields(world_counts(top), ["publication_year"], WORLD_MEASURES))
    pairs = cache(pair_counts(top, tables["work_country"]))
    names = cache(field_names(tables["work_field"]))
    countries, worlds, matrices = [], [], []
    for years in sorted({1, options.moving_window_years}):
        c = periodise(
            base, ["country_code", *FIELD_KEYS], COUNTRY_MEASURES, years, first_year, last_year
        )
        w = periodise(world, FIELD_KEYS, WORLD_MEASURES, years, first_year, last_year)
        p = periodise(
            pairs,
            ["country_code", "partner_code"],
            ["copapers_whole"],
            years,
            first_year,
            last_year,
        )
        ind = with_ranks(with_specialisation(with_ratios(c, w))).join(names, "field_id")
        totals = c.filter(c.field_id == ALL_FIELDS_ID)
        countries.append(ind)
        worlds.append(w.join(names, "field_id"))
        matrices.append(collaboration_matrix(p, totals))
    return {
        "country_field_period": _union(countries),
        "world_field_period": _union(worlds),
        "collaboration": _union(matrices),
    }


def _union(parts: list[ir.Table]) -> ir.Table:
    first = parts[0]
    out = first
    for part in parts[1:]:
        out = out.union(part.select(*first.columns))
    return out


def coverage_expression(tables: Mapping[str, ir.Table]) -> ir.Table:
    """One row of work counts: read, counted, excluded and why, and gaps among counted works.

    Each gap is found on the few rows that have it (a semi-join to the counted works), not by
    joining every work to every table.
    """
    works, wf, wc = tables["works"], tables["work_field"], tables["work_country"]
    counted = is_counted(works)
    totals = works.aggregate(
        works=works.count(),
        counted=counted.cast("int64").sum(),
        excluded_type=(~works.work_type.fill_null("").isin(COUNTED_TYPES)).cast("int64").sum(),
        excluded_retracted=(
            works.work_type.isin(COUNTED_TYPES) & works.is_retracted.fill_null(False)
        )
        .cast("int64")
        .sum(),
    )
    keys = counted_works(works).select("work_id")

    def among_counted(name: str, flagged: ir.Table) -> ir.Table:
        ids = flagged.select("work_id").distinct().semi_join(keys, "work_id")
        return ids.aggregate(**{name: ids.count()})

    gaps = [
        among_counted("counted_without_country", wc.filter(wc.country_code == UNKNOWN_COUNTRY)),
        among_counted("counted_without_field", wf.filter(wf.field_id == UNKNOWN_FIELD_ID)),
        among_counted("counted_with_unmapped_country", wc.filter(wc.country_code.length() != 3)),
    ]
    out = totals
    for gap in gaps:
        out = out.cross_join(gap)
    return out


def year_range(tables: Mapping[str, ir.Table]) -> ir.Table:
    """One row: ``first_year``, ``last_year`` of the counted papers."""
    pop = counted_works(tables["works"])
    return pop.aggregate(
        first_year=pop.publication_year.min(), last_year=pop.publication_year.max()
    )


__all__ = [
    "PERIOD_KEYS",
    "ComputeOptions",
    "coverage_expression",
    "indicator_expressions",
    "top_papers",
    "year_range",
]
