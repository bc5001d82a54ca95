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
    is_counted,
    paper_country_rows,
    papers,
    periodise,
    with_all_fields,
    world_counts,
)
from scidip.indicators.derive import PERIOD_KEYS, with_ratios
from scidip.indicators.highly_cited import citation_scores, with_top_weights
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
    return with_top_weights(scored)


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
    rows = cache(paper_country_rows(top, tables["work_country"]))
    base = cache(
        with_all_fields(base_counts(rows), ["country_code", "publication_year"], COUNTRY_MEASURES)
    )
    world = cache(with_all_fields(world_counts(top), ["publication_year"], WORLD_MEASURES))
    pairs = cache(pair_counts(rows))
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
        ind = with_ranks(with_specialisation(with_ratios(c, w)))
        totals = c.filter(c.field_id == ALL_FIELDS_ID)
        countries.append(ind)
        worlds.append(w)
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
    """One row of work counts: read, counted, excluded and why, and gaps among counted works."""
    works, wf, wc = tables["works"], tables["work_field"], tables["work_country"]
    flags = wc.group_by("work_id").aggregate(
        no_country=(wc.country_code == UNKNOWN_COUNTRY).any(),
        unmapped=(wc.country_code.length() != 3).any(),
    )
    j = works.join(wf.select("work_id", "field_id"), "work_id").join(flags, "work_id")
    counted = is_counted(j)
    return j.aggregate(
        works=j.count(),
        counted=counted.cast("int64").sum(),
        excluded_type=(~j.work_type.fill_null("").isin(COUNTED_TYPES)).cast("int64").sum(),
        excluded_retracted=(j.work_type.isin(COUNTED_TYPES) & j.is_retracted.fill_null(False))
        .cast("int64")
        .sum(),
        counted_without_country=(counted & j.no_country).cast("int64").sum(),
        counted_without_field=(counted & (j.field_id == UNKNOWN_FIELD_ID)).cast("int64").sum(),
        counted_with_unmapped_country=(counted & j.unmapped).cast("int64").sum(),
    )


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
