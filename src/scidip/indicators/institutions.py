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

**Stability intervals** (:func:`stability_intervals`), as the Leiden Ranking's
``CalcStabilityIntervals`` (CWTS-Leiden-Ranking-Open-Edition ``src/c#/StoredProcedures.cs``)
computes them: draw the institution's ``n`` papers ``n`` times with replacement, compute the
weighted mean of each indicator, 1,000 times; the bounds are the sorted means at positions
``⌊0.025 · 1000⌋`` and ``⌊0.975 · 1000⌋`` (a 95 % interval). CWTS's generator is unseeded; SciDip
seeds each institution and period's draws from its key, so results repeat.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from scidip.indicators.counts import Population, counted_works
from scidip.indicators.highly_cited import citation_scores, with_top_weights

UNIT_KEYS = ["institution_id", "period_years", "period_start", "period_end"]
#: The per-paper values whose weighted means get stability intervals (column → indicator; the
#: bounds are ``<indicator>_lb`` and ``<indicator>_ub``).
BOOTSTRAPPED = {"top10_weight": "pp_top10_pct", "ncs": "mncs", "intl": "pp_intl_collab_pct"}
#: Percent indicators are reported × 100; MNCS as it is.
PERCENT = {"pp_top10_pct", "pp_intl_collab_pct"}


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
    """Bootstrap bounds of :data:`BOOTSTRAPPED` per institution and period.

    ``rows``: the per-paper rows of :func:`by_period`, any order (sorted here by unit and
    ``work_key``, so that the draws do not depend on the engine). Returns :data:`UNIT_KEYS` and
    ``<indicator>_lb``, ``<indicator>_ub`` for each indicator of :data:`BOOTSTRAPPED`.
    """
    t = rows.sort_by([(k, "ascending") for k in [*UNIT_KEYS, "work_key"]])
    cols = {k: np.asarray(t.column(k).to_numpy(zero_copy_only=False)) for k in UNIT_KEYS}
    weight = np.asarray(t.column("weight_frac"), dtype=float)
    values = {c: np.asarray(t.column(c), dtype=float) for c in BOOTSTRAPPED}
    starts = _group_starts(cols, len(t))
    lo_at = int(np.floor((1 - coverage) / 2 * samples))
    hi_at = min(int(np.floor((1 - (1 - coverage) / 2) * samples)), samples - 1)
    out: dict[str, list[object]] = {k: [] for k in UNIT_KEYS}
    out.update({f"{p}_{b}": [] for p in BOOTSTRAPPED.values() for b in ("lb", "ub")})
    for start, end in zip(starts, [*starts[1:], len(t)][: len(starts)], strict=True):
        for k in UNIT_KEYS:
            value = cols[k][start]
            out[k].append(value.item() if isinstance(value, np.generic) else value)
        key = "|".join(str(out[k][-1]) for k in UNIT_KEYS)
        means = _bootstrap_means(
            weight[start:end],
            {c: v[start:end] for c, v in values.items()},
            samples,
            np.random.default_rng([seed, zlib.crc32(key.encode())]),
        )
        for column, prefix in BOOTSTRAPPED.items():
            ordered = np.sort(means[column]) * (100.0 if prefix in PERCENT else 1.0)
            out[f"{prefix}_lb"].append(float(ordered[lo_at]))
            out[f"{prefix}_ub"].append(float(ordered[hi_at]))
    return pa.table(out, schema=BOUNDS_SCHEMA)


#: The columns :func:`stability_intervals` returns.
BOUNDS_SCHEMA = pa.schema(
    [
        ("institution_id", pa.string()),
        ("period_years", pa.int32()),
        ("period_start", pa.int32()),
        ("period_end", pa.int32()),
        *[(f"{p}_{b}", pa.float64()) for p in BOOTSTRAPPED.values() for b in ("lb", "ub")],
    ]
)


def _group_starts(cols: dict[str, np.ndarray], n: int) -> list[int]:
    """The first row of each unit (the rows sorted by unit)."""
    if n == 0:
        return []
    change = np.zeros(n - 1, dtype=bool)
    for v in cols.values():
        change |= v[1:] != v[:-1]
    return [0, *(np.flatnonzero(change) + 1).tolist()]


def _bootstrap_means(
    weight: np.ndarray, values: dict[str, np.ndarray], samples: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """The weighted means of each of ``values`` over ``samples`` draws of the ``n`` papers with
    replacement (drawn a block of samples at a time, so memory stays bounded)."""
    n = len(weight)
    block = max(1, 2_000_000 // n)
    means: dict[str, list[np.ndarray]] = {c: [] for c in values}
    for first in range(0, samples, block):
        draws = rng.integers(0, n, size=(min(block, samples - first), n))
        w = weight[draws]
        wsum = w.sum(axis=1)
        for c, x in values.items():
            means[c].append((w * x[draws]).sum(axis=1) / wsum)
    return {c: np.concatenate(m) for c, m in means.items()}
