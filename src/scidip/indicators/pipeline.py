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
from scidip.indicators.highly_cited import (
    citation_scores,
    reference_levels,
    window_citations,
    with_top_weights,
)
from scidip.indicators.normalise import UNKNOWN_COUNTRY, UNKNOWN_FIELD_ID
from scidip.indicators.ranking import with_ranks
from scidip.indicators.specialisation import with_specialisation

#: The rows of the coverage report, in order.
COVERAGE_ITEMS = (
    "works",
    "counted",
    "excluded_type",
    "excluded_retracted",
    "counted_without_country",
    "counted_without_field",
    "counted_with_unmapped_country",
)


@dataclass(frozen=True)
class ComputeOptions:
    """Choices that change the numbers; recorded in ``compute.json``."""

    moving_window_years: int = 3
    citation_window_years: int | None = None


def _same(t: ir.Table) -> ir.Table:
    return t


def reference_levels_of(
    tables: Mapping[str, ir.Table],
    options: ComputeOptions,
    cache: Callable[[ir.Table], ir.Table] = _same,
) -> tuple[ir.Table, ir.Table | None]:
    """The reference sets' citation levels with their top weights, and the windowed citation
    scores (None without ``options.citation_window_years``)."""
    pop = papers(tables["works"])
    windowed = None
    if options.citation_window_years is not None:
        years = options.citation_window_years
        windowed = cache(window_citations(pop, tables["work_citation_year"], years))
    return cache(reference_levels(citation_scores(pop, windowed))), windowed


def indicator_expressions(
    tables: Mapping[str, ir.Table],
    first_year: int,
    last_year: int,
    options: ComputeOptions,
    cache: Callable[[ir.Table], ir.Table] = _same,
    prepared: tuple[ir.Table, ir.Table | None] | None = None,
) -> dict[str, ir.Table]:
    """``country_field_period``, ``world_field_period`` and ``collaboration`` expressions.

    Periods are single years and moving windows of ``options.moving_window_years`` within
    ``[first_year, last_year]``; ``period_years`` tells them apart. ``cache`` may materialise
    the intermediate tables every output reuses (``Table.cache``), so that an engine which
    inlines common subexpressions, as Spark does, computes them once. ``prepared``: what
    :func:`reference_levels_of` returned, when the caller has it already.

    No two large tables are joined: ``works`` is read once for the reference levels (a few
    rows per field and year, which give the world counts and, joined on (field, year,
    citations), every paper's top weights), and ``work_country``, whose rows carry their paper's
    year, field and citations, once for the counts and once for the co-authorship pairs.
    """
    levels, windowed = prepared or reference_levels_of(tables, options, cache)
    rows = paper_country_rows(tables["work_country"])
    weighted = with_top_weights(citation_scores(rows, windowed), levels)
    base = cache(
        with_all_fields(
            base_counts(weighted), ["country_code", "publication_year"], COUNTRY_MEASURES
        )
    )
    world = cache(with_all_fields(world_counts(levels), ["publication_year"], WORLD_MEASURES))
    pairs = cache(pair_counts(rows))
    names = cache(field_names(tables["work_field"]))
    lengths = sorted({1, options.moving_window_years})

    def by_period(t: ir.Table, keys: list[str], measures: list[str]) -> ir.Table:
        return periodise(t, keys, measures, lengths, first_year, last_year)

    c = by_period(base, ["country_code", *FIELD_KEYS], COUNTRY_MEASURES)
    w = by_period(world, FIELD_KEYS, WORLD_MEASURES)
    p = by_period(pairs, ["country_code", "partner_code"], ["copapers_whole"])
    totals = c.filter(c.field_id == ALL_FIELDS_ID)
    return {
        "country_field_period": with_ranks(with_specialisation(with_ratios(c, w))).join(
            names, "field_id"
        ),
        "world_field_period": w.join(names, "field_id"),
        "collaboration": collaboration_matrix(p, totals),
    }


def coverage_expression(tables: Mapping[str, ir.Table]) -> ir.Table:
    """One row of work counts: read, counted, excluded and why, and gaps among counted works.

    One pass over ``works`` and one over ``work_country`` (whose rows carry the work's type and
    retraction flag).
    """
    works = tables["works"]
    counted = is_counted(works)

    def n(flag: ir.BooleanValue) -> ir.IntegerScalar:
        return flag.cast("int64").sum()

    totals = works.aggregate(
        works=works.count(),
        counted=n(counted),
        excluded_type=n(~works.work_type.fill_null("").isin(COUNTED_TYPES)),
        excluded_retracted=n(
            works.work_type.isin(COUNTED_TYPES) & works.is_retracted.fill_null(False)
        ),
        counted_without_field=n(counted & (works.field_id == UNKNOWN_FIELD_ID)),
    )
    rows = counted_works(tables["work_country"])
    no_country = rows.country_code == UNKNOWN_COUNTRY
    unmapped = rows.country_code.length() != 3
    # The few flagged rows first: a distinct count over all rows would group every work.
    flagged = rows.filter(no_country | unmapped)
    gaps = flagged.aggregate(
        counted_without_country=flagged.work_key.nunique(where=no_country),
        counted_with_unmapped_country=flagged.work_key.nunique(where=unmapped),
    )
    return totals.cross_join(gaps).select(*COVERAGE_ITEMS)


def year_range(levels: ir.Table) -> ir.Table:
    """One row: ``first_year``, ``last_year`` of the counted papers, from their reference levels."""
    return levels.aggregate(
        first_year=levels.publication_year.min(), last_year=levels.publication_year.max()
    )


__all__ = [
    "PERIOD_KEYS",
    "ComputeOptions",
    "coverage_expression",
    "indicator_expressions",
    "reference_levels_of",
    "year_range",
]
