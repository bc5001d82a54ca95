"""Institution level: the Leiden Ranking's main indicators per institution and period, with
bootstrap stability intervals.

An institution is an OpenAlex institution (``authorships[].institutions[].id``; its ROR id where
OpenAlex gives one); a paper's weight for it is the Leiden Ranking's fractional counting by author
(:func:`scidip.indicators.normalise.institution_weights`). Over the papers ``p`` of institution
``u`` in a period, with weights ``w_p``:

* ``p_full`` — papers (full counting); ``p_frac = Σ w_p``;
* ``p_top10_frac = Σ w_p · t₁₀(p)`` and ``pp_top10_pct = 100 · p_top10_frac / p_frac`` (the tie
  rule and reference sets of the method, :mod:`scidip.indicators.highly_cited`);
* ``mncs = Σ w_p · ncs(p) / p_frac``, where ``ncs(p)`` is the paper's citations over the mean
  citations of its reference set (1 when that mean is 0, as CWTS's ``calc_indicators_pubs``);
* ``pp_intl_collab_pct = 100 · Σ w_p · intl(p) / p_frac`` (``intl``: two or more countries).

**Stability intervals** (:func:`stability_intervals`, :mod:`scidip.indicators.stability`): the
bounds of PP(top 10 %), MNCS and the international share as the Leiden Ranking's
``CalcStabilityIntervals`` computes them (the institution's papers drawn with replacement, 1,000
samples, the 2.5th and 97.5th percentiles), and SciDip's bounds of the rank (the period's papers
drawn). CWTS's generator is unseeded; SciDip seeds each unit's draws from its key, so results
repeat.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from scidip.indicators.counts import Population, counted_works
from scidip.indicators.derive import PERIOD_KEYS
from scidip.indicators.highly_cited import citation_scores, with_top_weights
from scidip.indicators.stability import Mean, population_intervals, unit_intervals

UNIT_KEYS = ["institution_id", "period_years", "period_start", "period_end"]
#: The indicators that are weighted means of per-paper values (the weight: ``weight_frac``), whose
#: bounds are drawn within the institution.
MEANS = (
    Mean("pp_top10_pct", "top10_weight", "weight_frac", 100.0),
    Mean("mncs", "ncs", "weight_frac"),
    Mean("pp_intl_collab_pct", "intl", "weight_frac", 100.0),
)
#: The bound columns :func:`stability_intervals` adds (a rank's ``_lb`` is its best bound).
BOUND_COLUMNS = [f"{name}_{b}" for name in [m.name for m in MEANS] + ["rank_p_frac"]
                 for b in ("lb", "ub")]  # fmt: skip


def paper_rows(
    work_institution: ir.Table,
    scope: Population,
    keys: tuple[str, ...],
    levels: ir.Table,
    windowed: ir.Table | None,
    prepare: Callable[[ir.Table], ir.Table],
) -> ir.Table:
    """One row per (counted paper, institution): weight, ``top10_weight``, ``ncs``, ``intl``.

    ``levels``: the reference sets' citation levels (:func:`~scidip.indicators.highly_cited.
    reference_levels`), which also give each set's mean citations; ``prepare`` adds the
    reference-set columns a method needs (:func:`scidip.indicators.counts.papers`' rule).
    """
    rows = prepare(counted_works(work_institution, scope))
    scored = with_top_weights(citation_scores(rows, windowed), levels, keys)
    means = levels.group_by(list(keys)).aggregate(
        _mean=(levels.papers * levels.citations).sum().cast("float64")
        / levels.papers.sum().cast("float64")
    )
    j = scored.join(means, list(keys))
    ncs = ibis.ifelse(j._mean == 0, 1.0, j.citations.cast("float64") / j._mean)
    return j.select(
        "work_key",
        "institution_id",
        "ror",
        "institution_name",
        "country_code",
        "publication_year",
        "weight_frac",
        "top10_weight",
        ncs=ncs,
        intl=j.is_international.cast("float64"),
    )


def by_period(rows: ir.Table, lengths: list[int], first: int, last: int) -> ir.Table:
    """``rows`` once for every period (``lengths`` years, inside ``[first, last]``) that holds
    the paper's year: ``period_years``, ``period_start``, ``period_end`` added."""
    copies = [
        rows.mutate(
            period_years=ibis.literal(years, type="int32"),
            period_end=(rows.publication_year + offset).cast("int32"),
        )
        for years in lengths
        for offset in range(years)
    ]
    x = ibis.union(*copies)
    x = x.filter((x.period_end >= x.period_years + (first - 1)) & (x.period_end <= last))
    return x.mutate(period_start=(x.period_end - (x.period_years - 1)).cast("int32"))


def institution_period(rows: ir.Table) -> ir.Table:
    """The indicators per institution and period (this module's docstring), ranked by
    ``p_frac`` within the period (1 = largest, ties share the best rank)."""
    w = rows.weight_frac
    agg = rows.group_by(UNIT_KEYS).aggregate(
        ror=rows.ror.max(),
        institution_name=rows.institution_name.max(),
        country_code=rows.country_code.max(),
        p_full=rows.count(),
        p_frac=w.sum(),
        p_top10_frac=(w * rows.top10_weight).sum(),
        _ncs=(w * rows.ncs).sum(),
        _intl=(w * rows.intl).sum(),
    )
    period = [agg.period_years, agg.period_end]
    rank = ibis.rank().over(ibis.window(group_by=period, order_by=ibis.desc(agg.p_frac.round(9))))
    return agg.mutate(
        pp_top10_pct=100.0 * agg.p_top10_frac / agg.p_frac,
        mncs=agg._ncs / agg.p_frac,
        pp_intl_collab_pct=100.0 * agg._intl / agg.p_frac,
        rank_p_frac=(rank + 1).cast("int64"),
    ).drop("_ncs", "_intl")


def stability_intervals(
    rows: pa.Table, samples: int = 1000, coverage: float = 0.95, seed: int = 0
) -> pa.Table:
    """Bootstrap bounds per institution and period (:mod:`scidip.indicators.stability`): of
    :data:`MEANS` drawn within the institution (CWTS's way), and of ``rank_p_frac`` drawn within
    the period's papers (SciDip's).

    ``rows``: the per-paper rows of :func:`by_period`, any order. Returns :data:`UNIT_KEYS` and
    the columns of :data:`BOUND_COLUMNS`.
    """
    own = unit_intervals(rows, UNIT_KEYS, MEANS, samples, coverage, seed)
    ranked = population_intervals(
        rows, PERIOD_KEYS, "institution_id", ranks={"rank_p_frac": "weight_frac"},
        samples=samples, coverage=coverage, seed=seed,
    )  # fmt: skip
    return own.join(ranked, UNIT_KEYS)
