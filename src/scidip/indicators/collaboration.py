"""International collaboration: the country-to-country co-authorship matrix and top partners.

For countries ``a ≠ b`` and a period, ``copapers_whole(a, b)`` is the number of counted papers with
authorships from both (whole counting; the matrix is symmetric and holds both directions). Per
row, with ``P_a`` the papers of ``a`` (whole counting, all fields) and ``I_a`` its internationally
co-authored papers:

* ``salton_index = copapers / √(P_a · P_b)`` — Salton's cosine, the collaboration strength
  independent of the two countries' sizes (Glänzel 2001, "National characteristics in
  international scientific co-authorship relations", Scientometrics 51);
* ``share_of_country_intl_pct = 100 · copapers / I_a`` — the share of ``a``'s international papers
  written with ``b``.

The pseudo-country ``XXX`` (no known country) has no partners.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from scidip.indicators.derive import PERIOD_KEYS
from scidip.indicators.normalise import UNKNOWN_COUNTRY


def pair_counts(rows: ir.Table) -> ir.Table:
    """Annual co-paper counts per ordered pair ``(country_code, partner_code)``, both directions.

    ``rows``: the counted papers' country rows (``country_code``, ``publication_year``,
    ``is_international``, ``partner_codes``, the paper's other countries as ingest lists them):
    one pair per partner listed, so no join of the rows with themselves.
    """
    intl = rows.filter(rows.is_international & (rows.country_code != UNKNOWN_COUNTRY))
    pairs = intl.select(
        "country_code", "publication_year", partner_code=intl.partner_codes.unnest()
    )
    return pairs.group_by(["country_code", "partner_code", "publication_year"]).aggregate(
        copapers_whole=pairs.count()
    )


def collaboration_matrix(pairs: ir.Table, totals: ir.Table) -> ir.Table:
    """Periodised pairs joined to both countries' totals, with Salton's index and partner share.

    ``totals``: per period and country, ``papers_whole`` and ``intl_papers_whole`` (all fields).
    """
    a = totals.select(
        *PERIOD_KEYS,
        "country_code",
        country_papers_whole=totals.papers_whole,
        country_intl_papers_whole=totals.intl_papers_whole,
    )
    b = totals.select(
        *PERIOD_KEYS, partner_code=totals.country_code, partner_papers_whole=totals.papers_whole
    )
    j = pairs.join(a, [*PERIOD_KEYS, "country_code"]).join(b, [*PERIOD_KEYS, "partner_code"])
    den = (j.country_papers_whole * j.partner_papers_whole).cast("float64").sqrt()
    return j.mutate(
        salton_index=j.copapers_whole.cast("float64") / den,
        share_of_country_intl_pct=100.0
        * j.copapers_whole.cast("float64")
        / j.country_intl_papers_whole.cast("float64"),
    )


def top_partners(matrix: ir.Table, country_code: str, limit: int = 10) -> ir.Table:
    """The ``limit`` strongest partners of one country per period, by co-papers (rank 1 first)."""
    own = matrix.filter(matrix.country_code == country_code)
    w = ibis.window(
        group_by=[own[k] for k in PERIOD_KEYS],
        order_by=[ibis.desc(own.copapers_whole), own.partner_code],
    )
    ranked = own.mutate(partner_rank=(ibis.row_number().over(w) + 1).cast("int64"))
    return ranked.filter(ranked.partner_rank <= limit)
