"""Bootstrap stability intervals on the tracker's shares and ranks.

As the Leiden Ranking's stability intervals (:mod:`scidip.indicators.institutions`): the
window's ``n`` papers of the technology are drawn ``n`` times with replacement, ``samples``
times; each paper keeps its top-10 % weight and its countries' fractional weights (the top 10 %
is not re-decided within a sample). In each sample a country's share is its fractional top-10 %
over the sample's total, and its rank is by that share (equal shares by country code, ``XXX``
not ranked). The bounds are the sorted values at positions ``⌊0.025·samples⌋`` and
``⌊0.975·samples⌋`` (a 95 % interval). Seeded: the same seed, the same intervals.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from scidip.indicators.normalise import UNKNOWN_COUNTRY


def intervals(rows: pa.Table, samples: int = 1000, seed: int = 0) -> list[dict[str, Any]]:
    """Per country: ``share_pct`` (the data's own), ``share_lb``/``share_ub`` and ``rank``,
    ``rank_lb``/``rank_ub`` (best and worst bound), from paper × country ``rows``
    (``work_key``, ``country_code``, ``paper_weight_frac``, ``top10_weight``)."""
    works = np.asarray(rows.column("work_key"))
    papers, paper_of = np.unique(works, return_inverse=True)
    codes = np.asarray(rows.column("country_code").to_pylist(), dtype=object)
    countries, country_of = np.unique(codes, return_inverse=True)
    value = np.asarray(rows.column("paper_weight_frac")) * np.asarray(rows.column("top10_weight"))
    n, k = len(papers), len(countries)
    if n == 0:
        return []
    known = countries != UNKNOWN_COUNTRY
    # Ties are broken by code: a tiny decreasing offset by alphabetical position.
    tiebreak = -np.arange(k) * 1e-12

    def shares_ranks(draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        top = np.bincount(country_of, weights=value * draws[paper_of], minlength=k)
        total = top.sum()
        share = 100.0 * top / total if total else np.zeros(k)
        order = np.argsort(-(np.where(known, share, -1.0) + tiebreak), kind="stable")
        rank = np.empty(k, dtype=np.int64)
        rank[order] = np.arange(1, k + 1)
        return share, rank

    share0, rank0 = shares_ranks(np.ones(n))
    rng = np.random.default_rng(seed)
    shares = np.empty((samples, k))
    ranks = np.empty((samples, k), dtype=np.int64)
    for s in range(samples):
        draws = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        shares[s], ranks[s] = shares_ranks(draws)
    lo, hi = int(0.025 * samples), min(int(0.975 * samples), samples - 1)
    shares.sort(axis=0)
    ranks.sort(axis=0)
    out = [
        {
            "country_code": str(countries[c]),
            "share_pct": float(share0[c]),
            "share_lb": float(shares[lo, c]),
            "share_ub": float(shares[hi, c]),
            "rank": int(rank0[c]),
            "rank_lb": int(ranks[lo, c]),
            "rank_ub": int(ranks[hi, c]),
        }
        for c in range(k)
        if known[c]
    ]
    return sorted(out, key=lambda r: r["rank"])
