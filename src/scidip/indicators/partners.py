"""Partners in one field: who is strong where a country is weak, and does it already work with
them.

For a home country H, a field F and a period: every other country's strength in F (its papers,
top-10 % papers and RSI in F, from ``country_field_period``) beside the papers in F that it and
H co-authored in the period (whole counting, the same works ``compute`` counted: the population
recorded in ``compute.json``), strongest first by top-10 % papers. Read from the store when asked:
``compute`` keeps the co-authorship matrix for all fields together only.
"""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow.parquet as pq

from scidip.errors import NotFound
from scidip.indicators.counts import Population, counted_works
from scidip.indicators.normalise import UNKNOWN_COUNTRY
from scidip.indicators.store import Store

#: What ``partners --field`` prints: (header, column, format).
FIELD_PARTNER_COLUMNS: list[tuple[str, str, str]] = [
    ("partner", "country_code", "{}"),
    ("papers", "papers_frac", "{:,.1f}"),
    ("top10", "top10_frac", "{:,.2f}"),
    ("top10_%", "top10_own_share_frac_pct", "{:.1f}"),
    ("rsi", "rsi", "{:+.2f}"),
    ("copapers", "copapers_whole", "{:,}"),
]


def _population(store: Store) -> Population:
    recorded = dict(store.read_meta("compute")["population"])
    recorded["counted_types"] = tuple(recorded["counted_types"])
    return Population(**recorded)


def copapers_in_field(
    store: Store, country: str, field: str, first_year: int, last_year: int
) -> dict[str, int]:
    """Papers of ``field`` published in ``first_year`` … ``last_year`` that ``country`` co-authored
    with each other country (whole counting, the works ``compute`` counted)."""
    con = ibis.duckdb.connect()
    wc = counted_works(con.read_parquet(str(store.table_path("work_country"))), _population(store))
    own = wc.filter(
        (wc.country_code == country)
        & (wc.field_id == field)
        & wc.publication_year.between(first_year, last_year)
        & wc.is_international
    )
    pairs = own.select(partner=own.partner_codes.unnest())
    counts = pairs.group_by("partner").aggregate(n=pairs.count())
    return {r["partner"]: int(r["n"]) for r in con.to_pyarrow(counts).to_pylist()}


def field_partners(
    store: Store, country: str, field: str, period_end: int, period_years: int = 1
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """``country``'s own row in ``field`` for the period (None when it has no paper there), and
    every other country's row with ``copapers_whole`` (0 when none), by ``top10_frac`` (then
    code). Raises :class:`NotFound` when the field and period have no rows."""
    home = country.upper()
    path = store.result_path("country_field_period")
    if not path.exists():
        raise NotFound(f"no indicators computed in {store.root}: run `scidip indicators compute`")
    filters = [("period_end", "=", period_end), ("period_years", "=", period_years),
               ("field_id", "=", field)]  # fmt: skip
    rows = pq.read_table(path, filters=filters).to_pylist()
    if not rows:
        raise NotFound(f"no {period_years}-year indicators ending {period_end} in field {field!r}")
    start = period_end - period_years + 1
    copapers = copapers_in_field(store, home, field, start, period_end)
    own = next((r for r in rows if r["country_code"] == home), None)
    others = [r for r in rows if r["country_code"] not in (home, UNKNOWN_COUNTRY)]
    for r in others:
        r["copapers_whole"] = copapers.get(r["country_code"], 0)
    others.sort(key=lambda r: r["country_code"])
    others.sort(key=lambda r: round(r["top10_frac"], 9), reverse=True)
    return own, others
