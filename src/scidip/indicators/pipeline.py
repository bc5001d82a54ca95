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

import ibis
import ibis.expr.types as ir

from scidip.indicators.collaboration import collaboration_matrix, pair_counts
from scidip.indicators.counts import (
    ALL_FIELDS_ID,
    COUNTRY_MEASURES,
    EXCLUSION_REASONS,
    FIELD_KEYS,
    WORLD_MEASURES,
    Population,
    base_counts,
    counted_works,
    exclusion_reason,
    field_names,
    paper_country_rows,
    papers,
    periodise,
    with_all_fields,
    with_reference_columns,
    world_counts,
)
from scidip.indicators.derive import PERIOD_KEYS, with_ratios
from scidip.indicators.highly_cited import (
    citation_scores,
    reference_levels,
    window_citations,
    with_top_weights,
)
from scidip.indicators.institutions import by_period, institution_period, paper_rows
from scidip.indicators.lineage import InstitutionLevel, merged_to_top
from scidip.indicators.method import METHODS, Method, MethodName
from scidip.indicators.normalise import UNKNOWN_FIELD_ID
from scidip.indicators.ranking import with_ranks
from scidip.indicators.specialisation import with_specialisation

#: The columns of the coverage report by publication year, in order (after the year): every
#: work read is counted or excluded for one reason; the ``counted_…`` gaps are among counted works.
COVERAGE_ITEMS = (
    "works",
    "counted",
    *(f"excluded_{reason}" for reason in EXCLUSION_REASONS),
    "counted_without_country",
    "counted_without_field",
    "counted_field_from_concepts",
    "counted_without_references",
    "counted_with_unmapped_country",
)


@dataclass(frozen=True)
class ComputeOptions:
    """Choices that change the numbers; recorded in ``compute.json``."""

    moving_window_years: int = 3
    citation_window_years: int | None = None
    #: Count works of years after the last complete one (flagged ``incomplete_period``).
    include_incomplete_year: bool = False
    #: Works without any known country stay in the world totals (as ``XXX``); None: the
    #: method's default (kept by ``scidip`` and ``nistep``, left out by ``cwts``).
    without_country: bool | None = None
    #: Whose definitions (:mod:`scidip.indicators.method`).
    method: MethodName = MethodName.scidip
    #: Bootstrap samples of the stability intervals of institutions and countries
    #: (:mod:`scidip.indicators.stability`; 0: none, bounds null; the Leiden Ranking draws
    #: 1,000). Drawn in Python per unit and per population: seconds for the real sample, some
    #: four minutes for a million works on two cores (docs/indicators.md).
    stability_samples: int = 0
    #: Seed of the bootstrap draws.
    seed: int = 0
    #: Institutions as given, or merged to their top-level parents (:mod:`~scidip.indicators.
    #: lineage`).
    institution_level: InstitutionLevel = InstitutionLevel.given

    @property
    def choices(self) -> Method:
        """The method's choices."""
        return METHODS[MethodName(self.method)]


def _same(t: ir.Table) -> ir.Table:
    return t


def population(options: ComputeOptions, last_complete_year: int | None) -> Population:
    """The works counted under ``options`` when the last complete year is
    ``last_complete_year`` (None: unknown, every year counts)."""
    last = None if options.include_incomplete_year else last_complete_year
    method = options.choices
    keep = method.without_country if options.without_country is None else options.without_country
    return Population(
        doc_types=method.doc_types,
        last_year=last,
        without_country=keep,
        require_references=method.require_references,
    )


def reference_levels_of(
    tables: Mapping[str, ir.Table],
    options: ComputeOptions,
    cache: Callable[[ir.Table], ir.Table] = _same,
    scope: Population | None = None,
) -> tuple[ir.Table, ir.Table | None]:
    """The reference sets' citation levels with their top weights, and the windowed citation
    scores (None without ``options.citation_window_years``), of the works in ``scope``."""
    method = options.choices
    pop = papers(tables["works"], scope, method.reference_set)
    windowed = None
    if options.citation_window_years is not None:
        years = options.citation_window_years
        windowed = cache(window_citations(pop, tables["work_citation_year"], years))
    scored = citation_scores(pop, windowed)
    levels = reference_levels(scored, keys=method.reference_set, rule=method.top_rule)
    return cache(levels), windowed


def indicator_expressions(
    tables: Mapping[str, ir.Table],
    first_year: int,
    last_year: int,
    options: ComputeOptions,
    cache: Callable[[ir.Table], ir.Table] = _same,
    prepared: tuple[ir.Table, ir.Table | None] | None = None,
    scope: Population | None = None,
    last_complete_year: int | None = None,
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
    method = options.choices
    levels, windowed = prepared or reference_levels_of(tables, options, cache, scope)
    rows = paper_country_rows(tables["work_country"], scope, method.reference_set)
    weighted = with_top_weights(citation_scores(rows, windowed), levels, method.reference_set)
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
        summed = periodise(t, keys, measures, lengths, first_year, last_year)
        return summed if method.window_counts == "sum" else per_year(summed, measures)

    c = by_period(base, ["country_code", *FIELD_KEYS], COUNTRY_MEASURES)
    w = by_period(world, FIELD_KEYS, WORLD_MEASURES)
    p = by_period(pairs, ["country_code", "partner_code"], ["copapers_whole"])
    totals = c.filter(c.field_id == ALL_FIELDS_ID)
    out = {
        "country_field_period": with_ranks(with_specialisation(with_ratios(c, w))).join(
            names, "field_id"
        ),
        "world_field_period": w.join(names, "field_id"),
        "collaboration": collaboration_matrix(p, totals),
    }
    return {name: flag_incomplete(t, last_complete_year) for name, t in out.items()}


def institution_expressions(
    tables: Mapping[str, ir.Table],
    first_year: int,
    last_year: int,
    options: ComputeOptions,
    prepared: tuple[ir.Table, ir.Table | None],
    scope: Population | None = None,
) -> tuple[ir.Table, ir.Table]:
    """The institutions' indicators per period of ``options.moving_window_years`` years
    (:func:`~scidip.indicators.institutions.institution_period`) and the per-paper rows their
    stability intervals are drawn from."""
    keys = options.choices.reference_set
    levels, windowed = prepared
    units = tables["work_institution"]
    if InstitutionLevel(options.institution_level) == InstitutionLevel.top:
        units = merged_to_top(units)
    rows = paper_rows(
        units, scope or Population(), keys, levels, windowed,
        lambda t: with_reference_columns(t, keys)[0],
    )  # fmt: skip
    periods = by_period(rows, [options.moving_window_years], first_year, last_year)
    return institution_period(periods), periods


def country_paper_rows(
    tables: Mapping[str, ir.Table],
    first_year: int,
    last_year: int,
    options: ComputeOptions,
    prepared: tuple[ir.Table, ir.Table | None],
    scope: Population | None = None,
) -> ir.Table:
    """One row per (period, field, counted paper, country), the field ``all`` included, with
    the per-paper amounts the countries' stability intervals are drawn from
    (:mod:`scidip.indicators.country_stability`): ``paper_weight_frac``, ``top10_weight``,
    ``top1_weight``, ``intl`` (0 or 1), ``one`` (1), ``top10_frac`` and ``top1_frac`` (the
    country's weight times the paper's top weight)."""
    keys = options.choices.reference_set
    levels, windowed = prepared
    rows = paper_country_rows(tables["work_country"], scope, keys)
    w = with_top_weights(citation_scores(rows, windowed), levels, keys)
    w = w.select(
        "work_key", "country_code", "publication_year", "field_id", "paper_weight_frac",
        "top10_weight", "top1_weight", intl=w.is_international.cast("float64"),
        one=ibis.literal(1.0), top10_frac=w.paper_weight_frac * w.top10_weight,
        top1_frac=w.paper_weight_frac * w.top1_weight,
    )  # fmt: skip
    both = w.union(w.mutate(field_id=ibis.literal(ALL_FIELDS_ID)))
    lengths = sorted({1, options.moving_window_years})
    return by_period(both, lengths, first_year, last_year)


def per_year(t: ir.Table, measures: list[str]) -> ir.Table:
    """A window's counts as averages over its years (NISTEP's 3-year averages): each measure
    divided by ``period_years``; the ratios, computed afterwards, are unchanged."""
    years = t.period_years.cast("float64")
    return t.mutate(**{m: t[m].cast("float64") / years for m in measures})


def flag_incomplete(t: ir.Table, last_complete_year: int | None) -> ir.Table:
    """``t`` with ``incomplete_period``: the period reaches past the last complete year (always
    false when that year is unknown, or when such years were left out)."""
    if last_complete_year is None:
        return t.mutate(incomplete_period=ibis.literal(False))
    return t.mutate(incomplete_period=t.period_end > last_complete_year)


def coverage_expression(
    tables: Mapping[str, ir.Table], scope: Population | None = None
) -> ir.Table:
    """Work counts by publication year (:data:`COVERAGE_ITEMS`): read, counted, excluded and
    why, and gaps among counted works.

    One pass over ``works`` and one over the few flagged rows of ``work_country``.
    """
    scope = scope or Population()
    works = tables["works"]
    reason = exclusion_reason(works, scope)
    counted = reason.isnull()

    def n(flag: ir.BooleanValue) -> ir.IntegerScalar:
        return flag.cast("int64").sum()

    totals = works.group_by("publication_year").aggregate(
        works=works.count(),
        counted=n(counted),
        **{f"excluded_{r}": n(reason.fill_null("") == r) for r in EXCLUSION_REASONS},
        counted_without_country=n(counted & ~works.has_country),
        counted_without_field=n(counted & (works.field_id == UNKNOWN_FIELD_ID)),
        counted_field_from_concepts=n(counted & (works.field_source.fill_null("") == "concepts")),
        counted_without_references=n(counted & (works.references_count.fill_null(0) <= 0)),
    )
    rows = counted_works(tables["work_country"], scope)
    # The few flagged rows first: a distinct count over all rows would group every work.
    flagged = rows.filter(rows.country_code.length() != 3)
    gaps = flagged.group_by("publication_year").aggregate(_unmapped=flagged.work_key.nunique())
    j = totals.left_join(gaps, "publication_year")
    return j.select(
        "publication_year",
        *COVERAGE_ITEMS[:-1],
        counted_with_unmapped_country=j._unmapped.fill_null(0).cast("int64"),
    )


def excluded_types(works: ir.Table, scope: Population | None = None) -> ir.Table:
    """(work_type, works) of the works excluded for their type."""
    excluded = works.filter(exclusion_reason(works, scope or Population()) == "type")
    return excluded.group_by(work_type=excluded.work_type.fill_null("(none)")).aggregate(
        works=excluded.count()
    )


def year_range(levels: ir.Table) -> ir.Table:
    """One row: ``first_year``, ``last_year`` of the counted papers, from their reference levels."""
    return levels.aggregate(
        first_year=levels.publication_year.min(), last_year=levels.publication_year.max()
    )


__all__ = [
    "PERIOD_KEYS",
    "ComputeOptions",
    "coverage_expression",
    "excluded_types",
    "indicator_expressions",
    "population",
    "reference_levels_of",
    "year_range",
]
