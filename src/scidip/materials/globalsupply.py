"""Global supply as the stand-in for an economy's sourcing where trade data cannot identify it.

The EU method uses global supply where EU sourcing is unknown (European Commission 2017,
*Methodology for establishing the EU list of critical raw materials*, Sect. 3.2). SciDip applies
the same rule to the GeoPolRisk score: where the bundled trade data has no usable code for a
material (gallium, indium, rhenium; germanium after 2016: see :mod:`scidip.materials.hs`), the
economy is taken to draw on world production as it is shared between producers, its own
production weighing 0:

    WTA_GS = Σ_k s_k · w_k,   s_k = P_k / Σ_j P_j,   w_k = 0 for the economy's members, else the
    normalised WGI of k (0.5 where none is known);   Score = HHI × WTA_GS.

The result is an estimate, marked as such (status ``estimate``) with the reason beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from scidip.materials.economies import Economy
from scidip.materials.methods import DEFAULT_GOVERNANCE
from scidip.materials.store import temp_table

_SQL = """
WITH prod AS (
  SELECT p.material, p.year, p.baci_code,
         coalesce(c.iso3_harmonised, p.country_name) AS label,
         coalesce(p.production, 0) AS q, coalesce(p.production_t, 0) AS q_t
  FROM production p
  JOIN req_pairs r ON r.material = p.material AND r.year = p.year
  LEFT JOIN countries c ON c.baci_code = p.baci_code
  WHERE NOT p.is_world_total),
gov AS (
  SELECT c.baci_code, g.year, first(g.normalised ORDER BY g.source_row) AS wgi
  FROM governance g JOIN countries c ON c.iso3_harmonised = g.iso3 GROUP BY ALL),
tot AS (
  SELECT material, year, sum(q) AS total, sum(q * q) AS sq FROM prod GROUP BY ALL
  HAVING sum(q) > 0),
shares AS (
  SELECT p.*, p.q / t.total AS s, t.sq / (t.total * t.total) AS hhi, gv.wgi
  FROM prod p JOIN tot t USING (material, year)
  LEFT JOIN gov gv ON gv.baci_code = p.baci_code AND gv.year = p.year),
econ AS (SELECT DISTINCT economy FROM req_econ)
SELECT s.material, e.economy, s.year, any_value(s.hhi) AS hhi,
       sum(s.s * CASE WHEN m.member IS NOT NULL THEN 0.0
                      ELSE coalesce(s.wgi, {g0}) END) AS import_risk,
       coalesce(sum(s.s) FILTER (WHERE m.member IS NOT NULL), 0) AS own_share,
       coalesce(sum(s.q_t) FILTER (WHERE m.member IS NOT NULL), 0) AS own_t,
       list(s.label ORDER BY s.s DESC, s.label) FILTER (WHERE s.s > 0) AS labels,
       list(s.s ORDER BY s.s DESC, s.label) FILTER (WHERE s.s > 0) AS shares
FROM shares s CROSS JOIN econ e
LEFT JOIN req_econ m ON m.economy = e.economy AND m.member = s.baci_code
GROUP BY ALL
"""


@dataclass(frozen=True)
class GlobalSupply:
    """An economy's sourcing estimated from world production (shares 0–1)."""

    material: str
    economy: str
    year: int
    hhi: float
    import_risk: float
    own_share: float
    own_t: float
    producers: list[tuple[str, float]]

    @property
    def score(self) -> float:
        """HHI × WTA_GS."""
        return self.hhi * self.import_risk

    def top(self, n: int = 3) -> str:
        """``CHN 98.2%, RUS 1.1%, JPN 0.4%``: the largest producers' shares."""
        return ", ".join(f"{label} {100 * s:.1f}%" for label, s in self.producers[:n])


def estimate(
    con: duckdb.DuckDBPyConnection,
    pairs: Sequence[tuple[str, int]],
    economies: Sequence[Economy],
) -> dict[tuple[str, str, int], GlobalSupply]:
    """Global-supply estimates for every (material, year) of ``pairs`` × economy, keyed by
    (material, economy code, year); pairs without production are absent."""
    if not pairs or not economies:
        return {}
    temp_table(con, "req_pairs", {
        "material": ("VARCHAR", [m for m, _ in pairs]), "year": ("SMALLINT", [y for _, y in pairs]),
    })  # fmt: skip
    temp_table(con, "req_econ", {
        "economy": ("VARCHAR", [e.code for e in economies for _ in e.members]),
        "member": ("INTEGER", [m for e in economies for m in e.members]),
    })  # fmt: skip
    try:
        rows = con.execute(_SQL.format(g0=DEFAULT_GOVERNANCE)).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS req_pairs; DROP TABLE IF EXISTS req_econ")
    return {
        (m, e, int(y)): GlobalSupply(m, e, int(y), float(h), float(w), float(o), float(t),
                                     list(zip(labels or [], shares or [], strict=True)))
        for m, e, y, h, w, o, t, labels, shares in rows
    }  # fmt: skip
