"""One economy's supply of one material in one year: imports by exporter, own production.

The detail behind a score, in the default (corrected) mode: quantities only from trade rows that
carry one, governance by ISO code (Taiwan included), exporters inside the economy weighted 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb

from scidip.materials.economies import CountryIndex, Economy
from scidip.materials.methods import DEFAULT_GOVERNANCE

_FLOWS_SQL = """
WITH hs AS (SELECT material, hs_code FROM material_hs WHERE list_contains($materials, material)),
gov AS (
  SELECT c.baci_code, first(g.normalised ORDER BY g.source_row) AS wgi
  FROM governance g JOIN countries c ON c.iso3_harmonised = g.iso3
  WHERE g.year = $year GROUP BY ALL)
SELECT hs.material, t.exporter_code, sum(t.quantity_t) AS quantity_t,
       sum(t.value_kusd) FILTER (WHERE t.quantity_t IS NOT NULL) AS value_kusd,
       any_value(gov.wgi) AS wgi
FROM trade t JOIN hs USING (hs_code)
LEFT JOIN gov ON gov.baci_code = t.exporter_code
WHERE t.year = $year AND list_contains($members, t.importer_code)
GROUP BY ALL HAVING sum(t.quantity_t) > 0
ORDER BY hs.material, quantity_t DESC, t.exporter_code
"""

_OWN_SQL = """
SELECT material, baci_code, first(production_t ORDER BY row_index) AS production_t
FROM production
WHERE list_contains($materials, material) AND year = $year AND NOT is_world_total
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
    """Imports from one exporter: tonnes, thousand USD, WGI (0–1, ``None`` if unknown).

    ``floor`` and ``resourced`` mark tonnes a scenario re-sourced after an export restriction:
    they weigh no less than ``floor`` (see :func:`scidip.materials.scenario.restrict_exports`).
    """

    exporter_code: int
    exporter: str
    quantity_t: float
    value_kusd: float
    governance: float | None
    internal: bool
    floor: float = 0.0
    resourced: bool = False

    @property
    def weight(self) -> float:
        """g_i: 0 inside the economy, the WGI score, or 0.5 where none is known; at least
        ``floor``."""
        if self.internal:
            return self.floor
        return max(self.floor, DEFAULT_GOVERNANCE if self.governance is None else self.governance)


@dataclass
class Supply:
    """What an economy draws on: imports by exporter, own production, the material's HHI.

    ``secondary_t`` is supply that carries no import risk besides own production (recycled
    material in a scenario); ``shortfall_t`` is demand that no supplier meets (after an export
    restriction), counted at the worst governance weight.
    """

    material: str
    economy: Economy
    year: int
    hhi: float | None
    own_t: float
    flows: list[Flow] = field(default_factory=list)
    secondary_t: float = 0.0
    shortfall_t: float = 0.0

    @property
    def imports_t(self) -> float:
        """F = Σ_i f_i."""
        return sum(f.quantity_t for f in self.flows)


def load_supplies(
    con: duckdb.DuckDBPyConnection,
    index: CountryIndex,
    economy: Economy,
    materials: Sequence[str],
    year: int,
    hhi: Mapping[str, float | None],
) -> list[Supply]:
    """The economy's imports by exporter and own production (t) of each of ``materials`` in
    ``year`` (in that order), in two queries; ``hhi`` gives each material's HHI."""
    members = list(economy.members)
    params = {"materials": list(materials), "year": year, "members": members}
    flows: dict[str, list[Flow]] = {m: [] for m in materials}
    for m, c, q, v, w in con.execute(_FLOWS_SQL, params).fetchall():
        flows[m].append(Flow(int(c), index.label(int(c)), float(q), float(v or 0), w,
                             int(c) in members))  # fmt: skip
    own: dict[str, float] = {}
    for m, _, t in con.execute(_OWN_SQL, params).fetchall():
        own[m] = own.get(m, 0.0) + float(t or 0)
    return [Supply(m, economy, year, hhi.get(m), own.get(m, 0.0), flows[m]) for m in materials]


def load_supply(
    con: duckdb.DuckDBPyConnection,
    index: CountryIndex,
    economy: Economy,
    material: str,
    year: int,
    hhi: float | None,
) -> Supply:
    """The economy's imports by exporter and own production (t) of ``material`` in ``year``."""
    return load_supplies(con, index, economy, [material], year, {material: hhi})[0]


def governance_of(
    con: duckdb.DuckDBPyConnection, codes: Iterable[int], year: int
) -> dict[int, float | None]:
    """Normalised WGI (0–1) of each BACI code in ``year``; ``None`` where none is known."""
    wanted = sorted(set(codes))
    found = dict(con.execute(_GOV_SQL, {"year": year, "codes": wanted}).fetchall())
    return {c: (None if found.get(c) is None else float(found[c])) for c in wanted}
