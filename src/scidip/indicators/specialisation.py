"""Relative specialisation by field: the activity index (RCA) and its symmetric form, the RSI.

With fractional counts ``P`` for country ``c`` and field ``f`` in a period:

    RCA(c, f) = (P_cf / P_c) / (P_wf / P_w)        (1 = the world's own field mix)
    RSI(c, f) = (RCA − 1) / (RCA + 1)              (in [−1, 1]; 0 = no specialisation)

``P_c`` is the country's all-field count, ``P_wf`` the world's count in the field and ``P_w`` the
world's all-field count. The RSI is the relative specialisation index, Glänzel's symmetric form of
the activity index. All-field rows get null.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from scidip.indicators.counts import ALL_FIELDS_ID
from scidip.indicators.derive import PERIOD_KEYS


def with_specialisation(ind: ir.Table) -> ir.Table:
    """Add ``rca`` and ``rsi`` to indicator rows (those of ``field_id = "all"`` get null)."""
    totals = ind.filter(ind.field_id == ALL_FIELDS_ID).select(
        *PERIOD_KEYS, "country_code", _country_all=ind.papers_frac, _world_all=ind.world_papers
    )
    j = ind.left_join(totals, [*PERIOD_KEYS, "country_code"])
    j = j.drop(*[f"{k}_right" for k in [*PERIOD_KEYS, "country_code"]])
    rca = (j.papers_frac / j._country_all) / (j.world_papers.cast("float64") / j._world_all)
    is_all = j.field_id == ALL_FIELDS_ID
    null = ibis.null("float64")
    return j.mutate(
        rca=ibis.ifelse(is_all, null, rca),
        rsi=ibis.ifelse(is_all, null, (rca - 1.0) / (rca + 1.0)),
    ).drop("_country_all", "_world_all")
