"""Ratios from the additive counts: world shares, own top shares, international co-authorship.

For a country ``c``, field ``f`` and period ``T`` (one year or a moving window), with world
totals ``N`` (papers), ``N₁₀ = Σ t₁₀ = 0.1·N`` and ``N₁ = 0.01·N`` over the same field and period:

* ``world_share_frac_pct  = 100 · papers_frac / N`` (shares of all countries sum to 100 %)
* ``world_share_whole_pct = 100 · papers_whole / N`` (co-authored papers count for each country)
* ``top10_world_share_frac_pct = 100 · top10_frac / N₁₀``; likewise ``top1_…`` with ``N₁``
* ``top10_own_share_frac_pct  = 100 · top10_frac / papers_frac`` — the Leiden Ranking's
  PP(top 10%) under fractional counting; ``…_whole_pct`` uses whole counts; likewise ``top1_…``
  (10 % means "as often highly cited as the world average")
* ``intl_coauthorship_pct = 100 · intl_papers_whole / papers_whole``
"""

from __future__ import annotations

import ibis.expr.types as ir

PERIOD_KEYS = ["period_years", "period_start", "period_end"]


def _pct(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    return 100.0 * num.cast("float64") / den.nullif(0).cast("float64")


def with_ratios(counts: ir.Table, world: ir.Table) -> ir.Table:
    """Country counts joined to world totals of the same field and period, plus the ratios."""
    j = counts.join(world, [*PERIOD_KEYS, "field_id"])
    return j.mutate(
        world_share_frac_pct=_pct(j.papers_frac, j.world_papers),
        world_share_whole_pct=_pct(j.papers_whole, j.world_papers),
        top10_world_share_frac_pct=_pct(j.top10_frac, j.world_top10),
        top1_world_share_frac_pct=_pct(j.top1_frac, j.world_top1),
        top10_own_share_frac_pct=_pct(j.top10_frac, j.papers_frac),
        top10_own_share_whole_pct=_pct(j.top10_whole, j.papers_whole),
        top1_own_share_frac_pct=_pct(j.top1_frac, j.papers_frac),
        top1_own_share_whole_pct=_pct(j.top1_whole, j.papers_whole),
        intl_coauthorship_pct=_pct(j.intl_papers_whole, j.papers_whole),
    )
