"""Stability intervals of the countries' indicators and ranks (:mod:`scidip.indicators.stability`).

Per period, field (``all`` included) and country:

* drawn within the country (CWTS's way, as for institutions): ``top10_own_share_frac_pct`` and
  ``top1_own_share_frac_pct`` (weighted by the country's fractional weight of each paper: the
  Leiden Ranking's PP(top 10 %) and PP(top 1 %) under fractional counting) and
  ``intl_coauthorship_pct`` (whole counting: each paper weighs 1);
* drawn within the period and field's papers (SciDip's): the world shares
  ``world_share_frac_pct``, ``top10_world_share_frac_pct`` and ``top1_world_share_frac_pct``
  (the country's fractional sum over every country's, ``XXX`` included when works without a
  country are kept), and the ranks ``rank_papers_frac`` and ``rank_top10_frac`` (``XXX`` not
  ranked).

Under NISTEP's 3-year averages the shares, proportions and ranks are those of the sums: the
bounds hold for both.
"""

from __future__ import annotations

import pyarrow as pa

from scidip.indicators.derive import PERIOD_KEYS
from scidip.indicators.normalise import UNKNOWN_COUNTRY
from scidip.indicators.stability import Mean, population_intervals, unit_intervals

KEYS = [*PERIOD_KEYS, "field_id", "country_code"]
MEANS = (
    Mean("top10_own_share_frac_pct", "top10_weight", "paper_weight_frac", 100.0),
    Mean("top1_own_share_frac_pct", "top1_weight", "paper_weight_frac", 100.0),
    Mean("intl_coauthorship_pct", "intl", "one", 100.0),
)
SHARES = {
    "world_share_frac_pct": "paper_weight_frac",
    "top10_world_share_frac_pct": "top10_frac",
    "top1_world_share_frac_pct": "top1_frac",
}
RANKS = {"rank_papers_frac": "paper_weight_frac", "rank_top10_frac": "top10_frac"}
#: The bound columns :func:`country_intervals` adds to ``country_field_period``.
BOUND_COLUMNS = [
    f"{name}_{b}" for name in [*(m.name for m in MEANS), *SHARES, *RANKS] for b in ("lb", "ub")
]


def country_intervals(
    rows: pa.Table, samples: int = 1000, coverage: float = 0.95, seed: int = 0
) -> pa.Table:
    """:data:`KEYS` and :data:`BOUND_COLUMNS`, from the rows of
    :func:`scidip.indicators.pipeline.country_paper_rows`."""
    own = unit_intervals(rows, KEYS, MEANS, samples, coverage, seed)
    drawn = population_intervals(
        rows, KEYS[:-1], "country_code", shares=SHARES, ranks=RANKS,
        unranked=[UNKNOWN_COUNTRY], samples=samples, coverage=coverage, seed=seed,
    )  # fmt: skip
    return own.join(drawn, KEYS)
