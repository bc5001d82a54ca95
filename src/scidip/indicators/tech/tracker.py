"""The tracker's counts: per technology, country and window, papers and top-10 % papers.

Pure Ibis (runs on DuckDB and Spark, like the indicators). For one method (:mod:`scidip.
indicators.method`) and one citation setting:

* **Population** — the works the method counts (:func:`scidip.indicators.counts.counted_works`:
  its document types, references rule and papers without a country), published up to
  ``last_year``; a work counts in every technology whose query it matches
  (:mod:`scidip.indicators.tech.match`).
* **Top 10 %** — the reference set is the technology × publication year (as ASPI ranks the top
  10 % most-cited papers of each technology); the method's tie rule at the threshold
  (:func:`scidip.indicators.highly_cited.reference_levels`: ``split`` for scidip and cwts,
  NISTEP's ``extract`` with its correction factor).
* **Citation score** — the work's ``cited_by_count``; with ``exclude_same_country``, minus the
  citing works in the store that share a country with it (:func:`same_country_citations`).
* **Counts** — whole (``papers_whole``, ``top10_whole``) and fractional by author country
  (``papers_frac``, ``top10_frac``, SciDip's weights), summed over windows of 1 and 5 years (no
  partial windows); NISTEP's method averages a window's years (``window_counts = mean``).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from scidip.indicators.counts import Population, counted_works, periodise, typed_sum
from scidip.indicators.highly_cited import reference_levels
from scidip.indicators.method import METHODS, MethodName
from scidip.indicators.normalise import UNKNOWN_COUNTRY

TECH_KEYS = ["tech_key", "country_code"]
MEASURES = ["papers_whole", "papers_frac", "top10_whole", "top10_frac"]
WORLD = ["world_papers", "world_top10"]
WINDOWS = (1, 5)


@dataclass(frozen=True)
class TrackerOptions:
    """What changes the tracker's numbers (recorded with every result)."""

    method: MethodName = MethodName.scidip
    #: Leave same-country citations out of the citation score that decides the top 10 %.
    exclude_same_country: bool = False
    #: Works published after this year are left out (None: none are).
    last_year: int | None = None
    windows: tuple[int, ...] = WINDOWS


def population(options: TrackerOptions) -> Population:
    """The method's counted works, up to ``options.last_year``."""
    m = METHODS[options.method]
    return Population(
        doc_types=m.doc_types,
        last_year=options.last_year,
        without_country=m.without_country,
        require_references=m.require_references,
    )


def same_country_citations(
    work_reference: ir.Table, works: ir.Table, work_country: ir.Table
) -> ir.Table:
    """(work_key, same_country): for each cited work, the citing works in the store that share
    at least one country with it (each citing work once, whatever the number of shared
    countries). Works without a country share none."""
    cited = work_reference.join(works, work_reference.referenced_work_id == works.work_id)
    pairs = cited.select(citing=cited.work_key, cited=cited.work_key_right)
    known = work_country.filter(work_country.country_code != UNKNOWN_COUNTRY)
    a = known.select(_ka=known.work_key, _ca=known.country_code)
    b = known.select(_kb=known.work_key, _cb=known.country_code)
    j = pairs.join(a, pairs.citing == a._ka)
    # A semi join on (cited work, country): an inner join lets the planner pair every two
    # authorships of a country first (quadratic in a country's works).
    j = j.semi_join(b, [j.cited == b._kb, j._ca == b._cb])
    same = j.select("citing", "cited").distinct()
    return same.group_by(work_key=same.cited).aggregate(same_country=same.count())


def scored_rows(
    tables: dict[str, ir.Table],
    links: dict[str, ir.Table],
    tech_works: ir.Table,
    options: TrackerOptions,
) -> ir.Table:
    """(tech_key, work_key, country_code, paper_weight_frac, publication_year, citations): one
    row per counted paper × country × technology, with the citation score of the options."""
    rows = counted_works(tables["work_country"], population(options))
    rows = rows.select(
        "work_key", "country_code", "paper_weight_frac", "publication_year", "cited_by_count"
    )
    if options.exclude_same_country:
        same = same_country_citations(
            links["work_reference"], tables["works"], tables["work_country"]
        )
        j = rows.left_join(same, rows.work_key == same.work_key)
        rows = j.select(
            *[rows[c] for c in rows.columns if c != "cited_by_count"],
            cited_by_count=(j.cited_by_count - j.same_country.fill_null(0)).cast("int64"),
        )
    j = rows.join(tech_works, "work_key")
    return j.select(
        "tech_key",
        "work_key",
        "country_code",
        "paper_weight_frac",
        "publication_year",
        citations=j.cited_by_count.cast("int64"),
    )


def weighted_rows(scored: ir.Table, options: TrackerOptions) -> tuple[ir.Table, ir.Table]:
    """``scored`` with each paper's ``top10_weight`` (reference set: technology × year, the
    method's tie rule), and the reference levels themselves."""
    # A view: joined again below, a join chain's computed column would be lost in the
    # predicates (Ibis flattens the chain).
    scored = scored.view()
    papers = scored.select("tech_key", "work_key", "publication_year", "citations").distinct()
    levels = reference_levels(
        papers,
        shares={"top10_weight": 0.10},
        keys=("tech_key", "publication_year"),
        rule=METHODS[options.method].top_rule,
    )
    lv = levels.select(
        _t=levels.tech_key, _y=levels.publication_year, _c=levels.citations,
        top10_weight=levels.top10_weight,
    )  # fmt: skip
    on = [scored.tech_key == lv._t, scored.publication_year == lv._y, scored.citations == lv._c]
    weighted = scored.join(lv, on).drop("_t", "_y", "_c")
    return weighted, levels


def annual_counts(weighted: ir.Table, levels: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Additive counts per (technology, country, year) and world counts per (technology,
    year)."""
    w, t = weighted.paper_weight_frac, weighted.top10_weight
    country = weighted.group_by([*TECH_KEYS, "publication_year"]).aggregate(
        papers_whole=weighted.count(),
        papers_frac=w.sum(),
        top10_whole=t.sum(),
        top10_frac=(w * t).sum(),
    )
    world = levels.group_by(["tech_key", "publication_year"]).aggregate(
        world_papers=typed_sum(levels.papers),
        world_top10=(levels.papers * levels.top10_weight).sum(),
    )
    return country, world


def tracker_counts(
    tables: dict[str, ir.Table],
    links: dict[str, ir.Table],
    tech_works: ir.Table,
    options: TrackerOptions,
    first: int,
    last: int,
) -> ir.Table:
    """One row per (technology, country, window): the :data:`MEASURES` and the technology's
    world totals (:data:`WORLD`) in the window, for windows of ``options.windows`` years
    within ``first`` … ``last``."""
    weighted, levels = weighted_rows(scored_rows(tables, links, tech_works, options), options)
    return country_counts(weighted, levels, options, first, last)


def country_counts(
    weighted: ir.Table, levels: ir.Table, options: TrackerOptions, first: int, last: int
) -> ir.Table:
    """:func:`tracker_counts` from the weighted rows and reference levels of
    :func:`weighted_rows`."""
    country, world = annual_counts(weighted, levels)
    lengths = list(options.windows)
    c = periodise(country, TECH_KEYS, MEASURES, lengths, first, last)
    w = periodise(world, ["tech_key"], WORLD, lengths, first, last)
    keys = ["tech_key", "period_years", "period_start", "period_end"]
    j = c.join(w, keys)
    # Counts as floats for every method: NISTEP's averages are fractions.
    divisor = (
        j.period_years.cast("float64") if METHODS[options.method].window_counts == "mean" else 1.0
    )
    out = j.select(
        *keys, "country_code", **{m: j[m].cast("float64") / divisor for m in [*MEASURES, *WORLD]}
    )
    return out.mutate(
        method=ibis.literal(options.method.value),
        same_country_excluded=ibis.literal(options.exclude_same_country),
    )
