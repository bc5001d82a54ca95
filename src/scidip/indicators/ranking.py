"""A country's rank among countries, per field and period.

``rank_papers_frac`` ranks countries by ``papers_frac`` (descending), ``rank_top10_frac`` by
``top10_frac``; rank 1 is the largest, tied countries share the best rank ("min" rank). Values are
compared rounded to 9 decimals, so that fractional counts equal in exact arithmetic tie whatever
order an engine summed them in. The pseudo-country ``XXX`` (no known country) is not ranked.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from scidip.indicators.derive import PERIOD_KEYS
from scidip.indicators.normalise import UNKNOWN_COUNTRY

RANKED = {"rank_papers_frac": "papers_frac", "rank_top10_frac": "top10_frac"}


def with_ranks(ind: ir.Table) -> ir.Table:
    """Add one 1-based rank column per entry of :data:`RANKED`."""
    known = ind.filter(ind.country_code != UNKNOWN_COUNTRY)
    group = [known[k] for k in [*PERIOD_KEYS, "field_id"]]
    ranks = {
        name: (
            ibis.rank().over(ibis.window(group_by=group, order_by=ibis.desc(known[col].round(9))))
            + 1
        )
        for name, col in RANKED.items()
    }
    ranked = known.mutate(**{k: v.cast("int64") for k, v in ranks.items()})
    unknown = ind.filter(ind.country_code == UNKNOWN_COUNTRY).mutate(
        **{k: ibis.null("int64") for k in RANKED}
    )
    return ranked.union(unknown.select(*ranked.columns))
