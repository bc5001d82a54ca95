"""EU methods: the 2017 supply-risk indicator and the Critical Raw Materials Act 65 % check.

Supply risk (European Commission 2017):
SR = [HHI_WGI,GS · IR/2 + HHI_WGI,sourcing · (1 − IR/2)] · (1 − EoL-RIR) · SI_SR, where
HHI_WGI = Σ_c s_c² · WGI_c with shares s (0–1) and WGI rescaled to 0–10 (10 × the normalised
political stability, 5 where none is known); GS = global supply (World Mining Data production);
sourcing = the economy's own production (each member with its own WGI) plus its imports from
outside it; IR = import reliance from imports and exports across the economy's border.
The EC uses all six WGI dimensions; the store holds political stability only, so the figure is
an approximation on that dimension (said in every result).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scidip.materials.economies import Economy
from scidip.materials.flows import Supply, governance_of
from scidip.materials.methods import (
    CRMA_MAX_SHARE,
    crma_largest_share,
    eu_supply_risk,
    hhi_wgi,
    import_reliance,
)

_WORLD_SQL = """
SELECT baci_code, sum(coalesce(production, 0)) FROM production
WHERE material = $material AND year = $year AND NOT is_world_total AND baci_code IS NOT NULL
GROUP BY ALL HAVING sum(coalesce(production, 0)) > 0
"""
_EXPORTS_SQL = """
SELECT coalesce(sum(t.quantity_t), 0) FROM trade t
WHERE t.year = $year AND list_contains($members, t.exporter_code)
  AND NOT list_contains($members, t.importer_code)
  AND t.hs_code IN (SELECT hs_code FROM material_hs WHERE material = $material)
"""
_OWN_SQL = """
SELECT baci_code, first(production_t ORDER BY row_index) FROM production
WHERE material = $material AND year = $year AND NOT is_world_total
  AND list_contains($members, baci_code) GROUP BY ALL
"""


@dataclass(frozen=True)
class EUSupplyRisk:
    """EU supply risk of one material for one economy and year, with its parts."""

    material: str
    economy: str
    year: int
    hhi_wgi_global: float
    hhi_wgi_sourcing: float
    import_reliance: float
    eol_rir: float
    substitution_index: float
    supply_risk: float
    note: str


def _wgi10(gov: dict[int, float | None]) -> dict[str, float]:
    return {str(c): 10.0 * (0.5 if g is None else g) for c, g in gov.items()}


def _shares(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: v / total for k, v in values.items()} if total > 0 else {}


def supply_risk(
    con: duckdb.DuckDBPyConnection,
    supply: Supply,
    eol_rir: float,
    substitution_index: float = 1.0,
) -> EUSupplyRisk | None:
    """The EU SR of ``supply``'s material; ``None`` without production data for the year."""
    p = {"material": supply.material, "year": supply.year}
    world = {int(c): float(v) for c, v in con.execute(_WORLD_SQL, p).fetchall()}
    if not world:
        return None
    members = list(supply.economy.members)
    own = {
        int(c): float(v or 0)
        for c, v in con.execute(_OWN_SQL, {**p, "members": members}).fetchall()
    }
    external = {f.exporter_code: f.quantity_t for f in supply.flows if not f.internal}
    sourcing = {c: v for c, v in own.items() if v > 0}
    for code, q in external.items():
        sourcing[code] = sourcing.get(code, 0.0) + q
    gov = _wgi10(governance_of(con, [*world, *sourcing], supply.year))
    gs = hhi_wgi(_shares({str(c): v for c, v in world.items()}), gov)
    src = hhi_wgi(_shares({str(c): v for c, v in sourcing.items()}), gov)
    exports = float(con.execute(_EXPORTS_SQL, {**p, "members": members}).fetchone()[0])  # type: ignore[index]
    ir = import_reliance(sum(external.values()), exports, sum(own.values()))
    sr = eu_supply_risk(gs, src, ir, eol_rir, substitution_index)
    note = "WGI political stability only (the EC combines six WGI dimensions)"
    return EUSupplyRisk(
        supply.material, supply.economy.code, supply.year, gs, src, ir, eol_rir,
        substitution_index, sr, note,
    )  # fmt: skip


@dataclass(frozen=True)
class CRMACheck:
    """CRMA benchmark: the largest single third-country share of supply against 65 %."""

    material: str
    economy: str
    year: int
    top_supplier: str | None
    share_pct: float | None
    threshold_pct: float
    exceeds: bool | None


def crma_check(supply: Supply, economy: Economy) -> CRMACheck:
    """Regulation (EU) 2024/1252 Art. 5(1)(d) on ``supply``.

    The base approximates the economy's consumption: its own production plus its imports from
    outside it; trade between its members moves material inside it and is left out.
    """
    flows: dict[str, float] = {f.exporter: f.quantity_t for f in supply.flows if not f.internal}
    flows["(own production)"] = supply.own_t
    top, share = crma_largest_share(flows, ["(own production)"])
    return CRMACheck(
        supply.material, economy.code, supply.year, top,
        None if share is None else 100.0 * share, 100.0 * CRMA_MAX_SHARE,
        None if share is None else share > CRMA_MAX_SHARE,
    )  # fmt: skip
