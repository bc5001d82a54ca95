"""One economy's supply of one material in one year: imports by exporter, own production.

The detail behind a score, in the default (corrected) mode: quantities only from trade rows that
carry one, governance by ISO code (Taiwan included), exporters inside the economy weighted 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from scidip.materials.economies import CountryIndex, Economy
from scidip.materials.methods import DEFAULT_GOVERNANCE

_FLOWS_SQL = """
WITH hs AS (SELECT hs_code FROM material_hs WHERE material = $material),
gov AS (
  SELECT c.baci_code, first(g.normalised ORDER BY g.source_row) AS wgi
  FROM governance g JOIN countries c ON c.iso3_harmonised = g.iso3
  WHERE g.year = $year GROUP BY ALL)
SELECT t.exporter_code, sum(t.quantity_t) AS quantity_t,
       sum(t.value_kusd) FILTER (WHERE t.quantity_t IS NOT NULL) AS value_kusd,
       any_value(gov.wgi) AS wgi
FROM trade t JOIN hs USING (hs_code)
LEFT JOIN gov ON gov.baci_code = t.exporter_code
WHERE t.year = $year AND list_contains($members, t.importer_code)
GROUP BY ALL HAVING sum(t.quantity_t) > 0
ORDER BY quantity_t DESC, t.exporter_code
"""

_OWN_SQL = """
SELECT baci_code, first(production_t ORDER BY row_index) AS production_t
FROM production
WHERE material = $material AND year = $year AND NOT is_world_total
  AND list_contains($members, baci_code)
GROUP BY ALL
"""

_GOV_SQL = """
SELECT c.baci_code, first(g.normalised ORDER BY g.source_row)
FROM governance g JOIN countries c ON c.iso3_harmonised = g.iso3
WHERE g.year = $year AND list_contains($codes, c.baci_code) GROUP BY ALL
"""


@dataclass(frozen=True)
class Flow:
    """Imports from one exporter: tonnes, thousand USD, WGI (0–1, ``None`` if unknown)."""

    exporter_code: int
    exporter: str
    quantity_t: float
    value_kusd: float
    governance: float | None
    internal: bool

    @property
    def weight(self) -> float:
        """g_i: 0 inside the economy, the WGI score, or 0.5 where none is known."""
        if self.internal:
            return 0.0
        return DEFAULT_GOVERNANCE if self.governance is None else self.governance


@dataclass
class Supply:
    """What an economy draws on: imports by exporter, own production, the material's HHI.

    ``secondary_t`` is supply that carries no import risk besides own production (recycled
    material in a scenario).
    """

    material: str
    economy: Economy
    year: int
    hhi: float | None
    own_t: float
    flows: list[Flow] = field(default_factory=list)
    secondary_t: float = 0.0

    @property
    def imports_t(self) -> float:
        """F = Σ_i f_i."""
        return sum(f.quantity_t for f in self.flows)


def load_supply(
    con: duckdb.DuckDBPyConnection,
    index: CountryIndex,
    economy: Economy,
    material: str,
    year: int,
    hhi: float | None,
) -> Supply:
    """The economy's imports by exporter and own production (t) of ``material`` in ``year``."""
    members = list(economy.members)
    params = {"material": material, "year": year, "members": members}
    rows = con.execute(_FLOWS_SQL, params).fetchall()
    flows = [
        Flow(int(c), index.label(int(c)), float(q), float(v or 0), w, int(c) in members)
        for c, q, v, w in rows
    ]
    own = con.execute(_OWN_SQL, params).fetchall()
    own_t = sum(float(r[1] or 0) for r in own)
    return Supply(material, economy, year, hhi, own_t, flows)


def governance_of(
    con: duckdb.DuckDBPyConnection, codes: Iterable[int], year: int
) -> dict[int, float | None]:
    """Normalised WGI (0–1) of each BACI code in ``year``; ``None`` where none is known."""
    wanted = sorted(set(codes))
    found = dict(con.execute(_GOV_SQL, {"year": year, "codes": wanted}).fetchall())
    return {c: (None if found.get(c) is None else float(found[c])) for c in wanted}
