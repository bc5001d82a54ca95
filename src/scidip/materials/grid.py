"""The GeoPolRisk method for every material × economy × year at once, in one DuckDB query.

The formulas are those of :mod:`scidip.materials.methods` (HHI, WTA, score, price, CF); this
module evaluates them column-wise. Two modes differ only in the fragments below:

``default``
    the method with the peer's faults corrected: trade rows without quantity leave price and
    quantities; governance by ISO code (Taiwan gets its own score); production in tonnes
    (natural gas converted from million m³); HHI on unrounded production; no imports → no score.
``geopolrisk-py-2.0.1``
    the peer's arithmetic, quirks included (see :mod:`scidip.materials.compat`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

import duckdb

from scidip.materials.economies import Economy
from scidip.materials.methods import CF_COPPER_MIN, DEFAULT_GOVERNANCE, PEER_CF_COPPER
from scidip.materials.store import temp_table

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]


class Mode(StrEnum):
    """Computation mode: corrected method, or the peer's numbers reproduced."""

    default = "default"
    peer = "geopolrisk-py-2.0.1"


COPPER = "Copper"

_FRAGMENTS: dict[Mode, dict[str, str]] = {
    Mode.default: {
        "qty": "t.quantity_t",
        "val": "CASE WHEN t.quantity_t IS NOT NULL THEN t.value_kusd END",
        "gov": """SELECT c.baci_code, g.year, first(g.normalised ORDER BY g.source_row) AS wgi,
                         false AS bad
                  FROM governance g JOIN countries c ON c.iso3_harmonised = g.iso3
                  GROUP BY ALL""",
        "hhi": "hhi_exact",
        "own": "coalesce(f.production_t, 0)",
        "wta": "CASE WHEN a.imports_t > 0 THEN a.weighted_t / (a.imports_t + o.own_t) END",
        "price": "CASE WHEN a.imports_t > 0 THEN a.value_kusd / a.imports_t END",
    },
    Mode.peer: {
        "qty": "coalesce(t.quantity_t, 0)",
        "val": "t.value_kusd",
        "gov": """SELECT baci_code, year,
                    CASE WHEN wgi_text IS NULL OR trim(wgi_text) = 'NA' THEN 0.5
                         WHEN wgi_text = 'nan' THEN 'NaN'::DOUBLE
                         WHEN wgi_text = 'None' THEN NULL
                         ELSE CAST(wgi_text AS DOUBLE) END AS wgi,
                    coalesce(wgi_text = 'None', false) AS bad
                  FROM peer_governance""",
        "hhi": "hhi_trunc",
        "own": "coalesce(f.production, 0) / CASE WHEN u.unit = 'kg' THEN 1000.0 ELSE 1.0 END",
        "wta": """CASE WHEN a.imports_t + o.own_t = 0 THEN 0.0
                       ELSE a.weighted_t / (a.imports_t + o.own_t) END""",
        "price": "CASE WHEN a.imports_t = 0 THEN 0.0 ELSE a.value_kusd / a.imports_t END",
    },
}

_SQL = """
WITH
hs AS (SELECT DISTINCT h.material, h.hs_code FROM material_hs h JOIN req_mat USING (material)),
gov AS ({gov}),
flows AS (
  SELECT hs.material, e.economy, t.year, t.exporter_code,
         sum({qty}) AS qty_t, sum({val}) AS value_kusd,
         count(*) FILTER (WHERE t.quantity_t IS NULL) AS n_noqty,
         coalesce(sum(t.value_kusd) FILTER (WHERE t.quantity_t IS NULL), 0) AS noqty_kusd
  FROM trade t JOIN hs ON t.hs_code = hs.hs_code
  JOIN req_econ e ON t.importer_code = e.member
  WHERE t.year IN (SELECT year FROM req_year)
  GROUP BY ALL),
weighted AS (
  SELECT f.*, i.member IS NOT NULL AS intra, gv.wgi, coalesce(gv.bad, false) AS bad,
         CASE WHEN i.member IS NOT NULL THEN 0.0 ELSE coalesce(gv.wgi, {g0}) END AS g,
         coalesce(cn.iso3_harmonised, cn.name, CAST(f.exporter_code AS VARCHAR)) AS label
  FROM flows f
  LEFT JOIN req_econ i ON i.economy = f.economy AND i.member = f.exporter_code
  LEFT JOIN gov gv ON gv.year = f.year AND gv.baci_code = f.exporter_code
  LEFT JOIN countries cn ON cn.baci_code = f.exporter_code),
agg AS (
  SELECT material, economy, year,
         coalesce(sum(qty_t), 0) AS imports_t, coalesce(sum(value_kusd), 0) AS value_kusd,
         coalesce(sum(g * qty_t), 0) AS weighted_t,
         CAST(sum(n_noqty) AS BIGINT) AS n_noqty, sum(noqty_kusd) AS noqty_kusd,
         list_sort(list(label) FILTER (WHERE NOT intra AND wgi IS NULL AND qty_t > 0)) AS no_gov,
         coalesce(sum(qty_t) FILTER (WHERE NOT intra AND wgi IS NULL), 0) AS no_gov_t,
         coalesce(bool_or(exporter_code = 490 AND NOT intra AND qty_t > 0), false) AS taiwan,
         list_sort(list(label) FILTER (WHERE bad AND NOT intra)) AS bad_gov,
         list_sort(list(label) FILTER (WHERE isnan(wgi) AND NOT intra)) AS nan_gov
  FROM weighted GROUP BY ALL),
world_trade AS (
  SELECT hs.material, t.year, count(*) AS n_rows
  FROM trade t JOIN hs ON t.hs_code = hs.hs_code
  WHERE t.year IN (SELECT year FROM req_year) GROUP BY ALL),
prod AS (
  SELECT p.* FROM production p JOIN req_mat USING (material)
  WHERE p.year IN (SELECT year FROM req_year) AND NOT p.is_world_total),
producers AS (
  SELECT DISTINCT material, year, baci_code FROM prod
  WHERE coalesce(production, 0) > 0 AND baci_code IS NOT NULL),
reexport AS (
  SELECT w.material, w.economy, w.year,
         list(printf('%s %.0f%%', w.label, 100 * w.qty_t / a.imports_t)
              ORDER BY w.qty_t DESC, w.label) AS non_producers
  FROM weighted w JOIN agg a USING (material, economy, year)
  LEFT JOIN producers p
    ON p.material = w.material AND p.year = w.year AND p.baci_code = w.exporter_code
  WHERE NOT w.intra AND a.imports_t > 0 AND w.qty_t >= 0.1 * a.imports_t AND p.baci_code IS NULL
  GROUP BY ALL),
hhi_both AS (
  SELECT material, year,
         CASE WHEN sum(coalesce(p.production, 0)) > 0
              THEN sum(coalesce(p.production, 0) ^ 2) / sum(coalesce(p.production, 0)) ^ 2
              END AS hhi_exact,
         -- the peer's: production truncated to integers (astype(int)), exact integer sums
         CASE WHEN sum(trunc(coalesce(p.production, 0))) > 0
              THEN CAST(sum(CAST(trunc(coalesce(p.production, 0)) AS HUGEINT) ^ 2) AS DOUBLE)
                   / CAST(sum(CAST(trunc(coalesce(p.production, 0)) AS HUGEINT)) AS DOUBLE) ^ 2
              END AS hhi_trunc
  FROM prod p GROUP BY ALL),
hhi AS (SELECT material, year, {hhi} AS hhi, hhi_exact, hhi_trunc FROM hhi_both),
units AS (
  SELECT material, first(unit ORDER BY row_index) AS unit
  FROM production WHERE NOT is_world_total GROUP BY ALL),
first_rows AS (
  SELECT material, year, baci_code, arg_min_null(production, row_index) AS production,
         arg_min_null(production_t, row_index) AS production_t
  FROM prod WHERE baci_code IS NOT NULL GROUP BY ALL),
own AS (
  SELECT e.economy, f.material, f.year, sum({own}) AS own_t
  FROM req_econ e JOIN first_rows f ON f.baci_code = e.member
  JOIN units u ON u.material = f.material GROUP BY ALL),
grid AS (
  SELECT m.material, e.economy, y.year
  FROM req_mat m, (SELECT DISTINCT economy FROM req_econ) e, req_year y),
joined AS (
  SELECT g.material, g.economy, g.year, h.hhi, h.hhi_exact, h.hhi_trunc, u.unit,
         coalesce(o.own_t, 0) AS own_t, coalesce(a.imports_t, 0) AS imports_t,
         coalesce(a.value_kusd, 0) AS value_kusd, coalesce(a.weighted_t, 0) AS weighted_t,
         coalesce(a.n_noqty, 0)::BIGINT AS n_noqty, coalesce(a.noqty_kusd, 0) AS noqty_kusd,
         a.no_gov, coalesce(a.no_gov_t, 0) AS no_gov_t, coalesce(a.taiwan, false) AS taiwan,
         a.bad_gov, a.nan_gov, coalesce(w.n_rows, 0) AS world_trade_rows, r.non_producers
  FROM grid g
  LEFT JOIN hhi h ON h.material = g.material AND h.year = g.year
  LEFT JOIN units u ON u.material = g.material
  LEFT JOIN own o ON o.economy = g.economy AND o.material = g.material AND o.year = g.year
  LEFT JOIN agg a ON a.economy = g.economy AND a.material = g.material AND a.year = g.year
  LEFT JOIN world_trade w ON w.material = g.material AND w.year = g.year
  LEFT JOIN reexport r ON r.economy = g.economy AND r.material = g.material AND r.year = g.year),
scored AS (
  SELECT j.*, {wta_j} AS import_risk, {price_j} AS price_usd_per_kg FROM joined j),
final AS (
  SELECT s.*, s.hhi * s.import_risk AS score FROM scored s),
copper AS (
  SELECT f.*, max(f.score * f.price_usd_per_kg) FILTER (WHERE f.material = '{copper}')
                OVER (PARTITION BY f.economy, f.year) AS copper_score_price
  FROM final f)
SELECT c.*,
       c.score * c.price_usd_per_kg / {cf_cu} AS cf_peer,
       CASE WHEN c.copper_score_price >= {cf_cu_min}
            THEN c.score * c.price_usd_per_kg / c.copper_score_price END AS cf_kg_cu_eq
FROM copper c
"""

# The default mode with the peer's score beside it, in one query: the peer's score is null
# where the peer would stop its batch (no HHI, governance text 'None') or lacks the material.
_WITH_PEER = """
WITH d AS ({default}), p AS ({peer})
SELECT d.*,
       CASE WHEN p.hhi IS NULL OR p.bad_gov IS NOT NULL OR NOT m.peer_supported THEN NULL
            ELSE p.score END AS score_peer,
       CASE WHEN p.hhi IS NULL OR p.bad_gov IS NOT NULL OR NOT m.peer_supported THEN NULL
            ELSE p.cf_peer END AS cf_peer_of_peer
FROM d
LEFT JOIN p ON p.material = d.material AND p.economy = d.economy AND p.year = d.year
LEFT JOIN materials m ON m.material = d.material
"""


def _query(mode: Mode) -> str:
    frag = _FRAGMENTS[mode]
    wta = frag["wta"].replace("a.", "j.").replace("o.own_t", "j.own_t")
    price = frag["price"].replace("a.", "j.")
    return _SQL.format(
        gov=frag["gov"],
        qty=frag["qty"],
        val=frag["val"],
        g0=DEFAULT_GOVERNANCE,
        hhi=frag["hhi"],
        own=frag["own"],
        wta_j=wta,
        price_j=price,
        cf_cu=repr(PEER_CF_COPPER),
        cf_cu_min=repr(CF_COPPER_MIN),
        copper=COPPER,
    )


def compute_into(
    con: duckdb.DuckDBPyConnection,
    name: str,
    economies: Sequence[Economy],
    years: Sequence[int],
    materials: Sequence[str],
    mode: Mode = Mode.default,
    *,
    with_peer: bool = False,
) -> None:
    """:func:`compute` into the temporary table ``name`` of ``con`` (no Arrow on the way)."""
    mats = list(dict.fromkeys([*materials, COPPER]))
    temp_table(con, "req_econ", {
        "economy": ("VARCHAR", [e.code for e in economies for _ in e.members]),
        "member": ("INTEGER", [m for e in economies for m in e.members]),
    })  # fmt: skip
    temp_table(con, "req_mat", {"material": ("VARCHAR", mats)})
    temp_table(con, "req_year", {"year": ("SMALLINT", list(years))})
    sql = _query(mode)
    if with_peer and mode is Mode.default:
        sql = _WITH_PEER.format(default=sql, peer=_query(Mode.peer))
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    finally:
        con.execute("DROP TABLE IF EXISTS req_econ; DROP TABLE IF EXISTS req_mat; "
                    "DROP TABLE IF EXISTS req_year")  # fmt: skip


def compute(
    con: duckdb.DuckDBPyConnection,
    economies: Sequence[Economy],
    years: Sequence[int],
    materials: Sequence[str],
    mode: Mode = Mode.default,
    *,
    with_peer: bool = False,
) -> pa.Table:
    """One row per (material, economy, year); copper is always computed (it is the CF divisor).

    Columns: ``material, economy, year, hhi, hhi_exact, hhi_trunc, unit, own_t, imports_t,
    value_kusd, weighted_t, n_noqty, noqty_kusd, no_gov, no_gov_t, taiwan, bad_gov, nan_gov``
    (exporters as ISO3 labels), ``world_trade_rows, non_producers`` (external suppliers of at
    least 10 % of imports that World Mining Data records no production of the material for,
    ``CHE 90%``), ``import_risk, price_usd_per_kg, score,
    copper_score_price, cf_peer, cf_kg_cu_eq`` (null where copper's score × price is missing or
    under :data:`~scidip.materials.methods.CF_COPPER_MIN`), and ``score_peer`` and
    ``cf_peer_of_peer`` (the peer's own score and CF) with ``with_peer`` (default mode only).
    The numbers only: :mod:`scidip.materials.risk` decides which are scores and why not.
    """
    compute_into(con, "grid_result", economies, years, materials, mode, with_peer=with_peer)
    try:
        return con.sql("SELECT * FROM grid_result").to_arrow_table()
    finally:
        con.execute("DROP TABLE IF EXISTS grid_result")
