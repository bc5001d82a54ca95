"""Bootstrap stability intervals, one implementation for institutions and countries.

Two ways of drawing, both seeded (the same seed, the same bounds, on every engine: the rows are
sorted here before drawing, and each unit or population draws from its own generator, seeded by
``seed`` and its key):

* **Within a unit** (:func:`unit_intervals`): the Leiden Ranking's ``CalcStabilityIntervals``
  (CWTS-Leiden-Ranking-Open-Edition ``src/c#/StoredProcedures.cs``, called from
  ``src/sql/calc_leiden_ranking_open_edition.sql`` with ``@coverage_prob = 0.95`` and
  ``@n_bootstrap_samples = 1000``): draw the unit's ``n`` papers ``n`` times with replacement,
  compute the weighted mean of each indicator, ``samples`` times; the bounds are the sorted means
  at positions ``⌊(1 − coverage)/2 · samples⌋`` and ``⌊(1 − (1 − coverage)/2) · samples⌋``
  (2.5th and 97.5th percentiles: for 1,000 samples, positions 25 and 975, counted from 0). This
  gives the bounds of a unit's own proportions and means (PP(top 10 %), MNCS, the international
  co-authorship share). CWTS's generator is unseeded; ours is seeded.
* **Within a population** (:func:`population_intervals`, SciDip's: the Leiden Ranking gives no
  interval on a rank or on a share of the world): draw the population's ``n`` papers (a period's,
  and a field's for countries) ``n`` times with replacement; each paper keeps its weights and its
  top-10 % weight (the top 10 % is not decided again within a sample); in each sample, a unit's
  sums give its share of the sample's total and its rank (1 = largest; equal sums, compared
  rounded to 9 decimals, share the best rank, as :mod:`scidip.indicators.ranking`); the bounds are
  taken at the same positions. A rank's ``_lb`` is its best (smallest) bound. The bootstrap of a
  ranking: Hall & Miller (2009), "Using the bootstrap to quantify the authority of an empirical
  ranking", *Annals of Statistics* 37(6B).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pyarrow as pa

_T = TypeVar("_T")
#: Array cells one block of draws may hold (samples × papers): memory stays bounded.
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class Mean:
    """A weighted mean over a unit's papers: ``Σ weight · value / Σ weight``, times ``scale``;
    its bounds are ``<name>_lb`` and ``<name>_ub``."""

    name: str
    value: str
    weight: str
    scale: float = 1.0


def positions(samples: int, coverage: float) -> tuple[int, int]:
    """The 0-based positions of the lower and upper bounds among ``samples`` sorted values."""
    lo = int(np.floor((1 - coverage) / 2 * samples))
    hi = min(int(np.floor((1 - (1 - coverage) / 2) * samples)), samples - 1)
    return lo, hi


def _groups(t: pa.Table, keys: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """(first row, end row, key text) of each run of equal ``keys`` in sorted ``t``."""
    n = t.num_rows
    if n == 0:
        return
    cols = [np.asarray(t.column(k).to_numpy(zero_copy_only=False)) for k in keys]
    change = np.zeros(n - 1, dtype=bool)
    for v in cols:
        change |= v[1:] != v[:-1]
    starts = [0, *(np.flatnonzero(change) + 1).tolist()]
    for start, end in zip(starts, [*starts[1:], n], strict=True):
        yield start, end, "|".join(str(c[start]) for c in cols)


def _sorted(rows: pa.Table, order: Sequence[str], columns: Sequence[str]) -> pa.Table:
    """``rows``' ``order`` and ``columns``, sorted by ``order`` ascending (strings byte by byte,
    nulls last: Arrow's ``sort_by``), by DuckDB: three times faster than Arrow's sort on the 9
    million rows of a million works' institutions, and only the columns the draws read."""
    import duckdb

    keep = list(dict.fromkeys([*order, *columns]))
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("bootstrap_rows", rows.select(keep))
        query = "SELECT * FROM bootstrap_rows ORDER BY " + ", ".join(
            f'"{k}" ASC NULLS LAST' for k in order
        )
        return con.sql(query).to_arrow_table()
    finally:
        con.close()


#: Bound columns' values, by column name (``<name>_lb``, ``<name>_ub``).
Bounds = dict[str, list[float | None]]
#: Threads drawing at once: at most one per core, and at most this many (each holds a block of
#: draws, :data:`BLOCK_CELLS`, and its copies: some 100 MB).
MAX_THREADS = 8


def _each(fn: Callable[[_T], Bounds], items: Sequence[_T]) -> list[Bounds]:
    """``fn`` of each of ``items``, in order, on a thread per core: NumPy lets go of the GIL
    while it draws, gathers and sums, so the units draw side by side. Each unit draws from its
    own generator, so the bounds do not depend on how many threads ran."""
    workers = min(len(items), os.cpu_count() or 1, MAX_THREADS)
    if workers <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def _joined(parts: Sequence[Bounds], names: Sequence[str]) -> Bounds:
    """The bound columns of every part, one after the other."""
    return {name: [v for part in parts for v in part.get(name, [])] for name in names}


def _rng(seed: int, key: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(key.encode())])


def _key_columns(t: pa.Table, keys: Sequence[str], firsts: list[int]) -> dict[str, pa.Array]:
    return {k: t.column(k).take(pa.array(firsts, pa.int64())) for k in keys}


def _bounds_table(
    t: pa.Table, keys: Sequence[str], firsts: list[int], bounds: Mapping[str, list[float | None]]
) -> pa.Table:
    columns = _key_columns(t, keys, firsts)
    fields = [t.schema.field(k) for k in keys]
    for name, values in bounds.items():
        kind = pa.int64() if name.startswith("rank_") else pa.float64()
        columns[name] = pa.array(values, kind)
        fields.append(pa.field(name, kind))
    return pa.table(columns, schema=pa.schema(fields))


def unit_intervals(
    rows: pa.Table,
    keys: Sequence[str],
    means: Sequence[Mean],
    samples: int = 1000,
    coverage: float = 0.95,
    seed: int = 0,
) -> pa.Table:
    """Bounds of each of ``means`` per unit (``keys``), drawing within the unit (CWTS's way).

    ``rows``: one row per paper of a unit (``work_key`` and the columns of ``means``), any order.
    Returns ``keys`` and ``<name>_lb``, ``<name>_ub`` for each mean (null where a sample's
    weights sum to 0).
    """
    t = _sorted(rows, [*keys, "work_key"], [c for m in means for c in (m.value, m.weight)])
    cols = {c: np.asarray(t.column(c), dtype=float) for m in means for c in (m.value, m.weight)}
    # Each paper's weight · value, once: a draw then gathers one product per mean and one
    # weight per weight column (the same products, summed in the same order, as gathering both).
    products = {m.name: cols[m.weight] * cols[m.value] for m in means}
    weights = {m.weight for m in means}
    groups = list(_groups(t, keys))

    def bounds(group: tuple[int, int, str]) -> Bounds:
        start, end, key = group
        n = end - start
        rng = _rng(seed, key)
        drawn: dict[str, list[np.ndarray]] = {m.name: [] for m in means}
        block = max(1, BLOCK_CELLS // n)
        for first in range(0, samples, block):
            draws = start + rng.integers(0, n, size=(min(block, samples - first), n))
            total = {w: cols[w][draws].sum(axis=1) for w in weights}
            for m in means:
                with np.errstate(invalid="ignore", divide="ignore"):
                    drawn[m.name].append(products[m.name][draws].sum(axis=1) / total[m.weight])
        part: Bounds = {}
        for m in means:
            _append(part, m.name, (np.concatenate(drawn[m.name]) * m.scale)[:, None], coverage)
        return part

    out = _joined(_each(bounds, groups), [f"{m.name}_{b}" for m in means for b in ("lb", "ub")])
    firsts = [start for start, _, _ in groups]
    return _bounds_table(t, keys, firsts, out)


def population_intervals(
    rows: pa.Table,
    group_keys: Sequence[str],
    unit_key: str,
    *,
    shares: Mapping[str, str] | None = None,
    ranks: Mapping[str, str] | None = None,
    unranked: Sequence[str] = (),
    samples: int = 1000,
    coverage: float = 0.95,
    seed: int = 0,
) -> pa.Table:
    """Bounds of shares and ranks per unit within each population (SciDip's way).

    ``rows``: one row per (population, paper, unit): ``group_keys``, ``work_key``, ``unit_key``
    and the additive amounts named in ``shares`` and ``ranks`` (e.g. the unit's fractional weight
    of the paper). ``shares`` maps an output name to an amount: the unit's sum over the sample,
    in percent of every unit's sum. ``ranks`` maps an output name to an amount the units are
    ranked by; units in ``unranked`` (e.g. ``XXX``, no known country) get none. Returns
    ``group_keys``, ``unit_key`` and ``<name>_lb``, ``<name>_ub`` for each output.
    """
    shares, ranks = dict(shares or {}), dict(ranks or {})
    keys = [*group_keys, unit_key]
    t = _sorted(rows, [*keys, "work_key"], [*shares.values(), *ranks.values()])
    amounts = {a: np.asarray(t.column(a), dtype=float) for a in {*shares.values(), *ranks.values()}}
    works = np.asarray(t.column("work_key"))
    units = np.asarray(t.column(unit_key).to_numpy(zero_copy_only=False))
    groups = list(_groups(t, group_keys))
    # Each population's units: the rows (from its first) where the unit changes.
    unit_starts = [
        np.concatenate([[0], np.flatnonzero(units[a + 1 : b] != units[a : b - 1]) + 1])
        for a, b, _ in groups
    ]

    def bounds(item: tuple[tuple[int, int, str], np.ndarray]) -> Bounds:
        (start, end, key), unit_starts = item
        papers, paper_of = np.unique(works[start:end], return_inverse=True)
        ranked = ~np.isin(units[start + unit_starts], list(unranked))
        drawn = _draw_sums(
            len(papers), paper_of, unit_starts, {a: v[start:end] for a, v in amounts.items()},
            samples, _rng(seed, key),
        )  # fmt: skip
        part: Bounds = {}
        for name, amount in shares.items():
            total = drawn[amount].sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                _append(part, name, 100.0 * drawn[amount] / total, coverage)
        for name, amount in ranks.items():
            _append(part, name, _min_ranks(drawn[amount], ranked).astype(float), coverage, ranked)
        return part

    names = [f"{name}_{b}" for name in [*shares, *ranks] for b in ("lb", "ub")]
    out = _joined(_each(bounds, list(zip(groups, unit_starts, strict=True))), names)
    firsts = [g[0] + int(u) for g, starts in zip(groups, unit_starts, strict=True) for u in starts]
    return _bounds_table(t, keys, firsts, out)


def _draw_sums(
    n: int,
    paper_of: np.ndarray,
    unit_starts: np.ndarray,
    amounts: Mapping[str, np.ndarray],
    samples: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Each unit's sum of each amount in each sample (samples × units): a paper drawn ``k``
    times counts ``k`` times."""
    sums: dict[str, list[np.ndarray]] = {a: [] for a in amounts}
    block = max(1, BLOCK_CELLS // max(n, len(paper_of)))
    for first in range(0, samples, block):
        b = min(block, samples - first)
        draws = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        times = np.bincount(draws.ravel(), minlength=b * n).reshape(b, n)[:, paper_of]
        for a, v in amounts.items():
            sums[a].append(np.add.reduceat(times * v, unit_starts, axis=1))
    return {a: np.concatenate(s) for a, s in sums.items()}


def _min_ranks(sums: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Per sample, each ranked unit's rank by ``sums`` (1 = largest, ties share the best rank,
    values compared rounded to 9 decimals); 0 for units not ranked."""
    values = np.round(sums[:, ranked], 9)
    got = np.zeros(sums.shape, dtype=np.int64)
    for s in range(values.shape[0]):
        ordered = np.sort(values[s])
        got[s, ranked] = len(ordered) - np.searchsorted(ordered, values[s], side="right") + 1
    return got


def _append(
    out: Bounds,
    name: str,
    drawn: np.ndarray,
    coverage: float,
    keep: np.ndarray | None = None,
) -> None:
    """The bounds of each unit (a column of ``drawn``) onto ``out``; null where not ``keep``.

    A value undefined in a sample (NaN: a share of a sample without any top paper, a mean of
    weights summing to 0) is left out, and the positions are taken among the samples where it
    is defined; null when it is defined in none."""
    for u in range(drawn.shape[1]):
        values = np.sort(drawn[:, u][~np.isnan(drawn[:, u])])
        missing = len(values) == 0 or (keep is not None and not keep[u])
        lo, hi = positions(len(values), coverage) if not missing else (0, 0)
        out.setdefault(f"{name}_lb", []).append(None if missing else values[lo].item())
        out.setdefault(f"{name}_ub", []).append(None if missing else values[hi].item())


def with_bounds(
    table: pa.Table, bounds: pa.Table | None, keys: Sequence[str], columns: Sequence[str]
) -> pa.Table:
    """``table`` with the bound ``columns`` of ``bounds`` joined on ``keys``, in ``keys`` order;
    null columns when ``bounds`` is None (no intervals asked for)."""
    if bounds is None:
        for name in columns:
            kind = pa.int64() if name.startswith("rank_") else pa.float64()
            table = table.append_column(pa.field(name, kind), pa.nulls(table.num_rows, kind))
    else:
        table = table.join(bounds.select([*keys, *columns]), list(keys), join_type="left outer")
    return table.sort_by([(k, "ascending") for k in keys])
