"""EU methods: the 2017 supply-risk indicator and the Critical Raw Materials Act 65 % check.

Supply risk (European Commission 2017):
SR = [HHI_WGI,GS · IR/2 + HHI_WGI,sourcing · (1 − IR/2)] · (1 − EoL-RIR) · SI_SR, where
HHI_WGI = Σ_c s_c² · WGI_c with shares s (0–1) and WGI rescaled to 0–10 (10 × the normalised
political stability, 5 where none is known); GS = global supply (World Mining Data production);
sourcing = the economy's own production (each member with its own WGI) plus its imports from
outside it; IR = import reliance from imports and exports across the economy's border.
Where the economy's sourcing is unknown (the trade data cannot identify the material, or records
no sourcing at all) the method uses global supply alone: SR = HHI_WGI,GS · (1 − EoL-RIR) · SI_SR,
and the result says so (``sourcing_basis``).
The EC uses all six WGI dimensions; the store holds political stability only, so the figure is
an approximation on that dimension (said in every result).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scidip.materials.catalog import Material
from scidip.materials.economies import Economy
from scidip.materials.flows import Supply, governance_of
from scidip.materials.hs import untraced_reason
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
_WORLD_TRADE_SQL = """
SELECT count(*) FROM trade
WHERE year = $year AND hs_code IN (SELECT hs_code FROM material_hs WHERE material = $material)
"""
WGI_NOTE = "WGI political stability only (the EC combines six WGI dimensions)"


@dataclass(frozen=True)
class EUSupplyRisk:
    """EU supply risk of one material for one economy and year, with its parts.

    ``import_reliance`` is ``None`` where sourcing is unknown; ``sourcing_basis`` is
    ``sourcing`` (own production and imports) or ``global supply`` (the method's fallback, with
    ``reason``); ``global_supply`` and ``sourcing`` name the largest shares (``CHN 98.7%, ...``).
    ``supply_risk`` is ``None`` only without production data (``reason`` says so).
    """

    material: str
    economy: str
    year: int
    hhi_wgi_global: float | None
    hhi_wgi_sourcing: float | None
    import_reliance: float | None
    eol_rir: float
    substitution_index: float
    supply_risk: float | None
    note: str
    sourcing_basis: str = "sourcing"
    global_supply: str = ""
    sourcing: str = ""
    reason: str = ""


def _wgi10(gov: dict[int, float | None]) -> dict[str, float]:
    return {str(c): 10.0 * (0.5 if g is None else g) for c, g in gov.items()}


def _shares(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    return {k: v / total for k, v in values.items()} if total > 0 else {}


def _top(shares: dict[str, float], label: dict[int, str], n: int = 3) -> str:
    best = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return ", ".join(f"{label.get(int(c), c)} {100 * s:.1f}%" for c, s in best)


def _sourcing_gap(
    con: duckdb.DuckDBPyConnection, material: Material, supply: Supply, sourcing: dict[int, float]
) -> str:
    """Why the economy's sourcing is unknown (empty when it is known)."""
    p = {"material": supply.material, "year": supply.year}
    if not material.traded or not con.execute(_WORLD_TRADE_SQL, p).fetchall()[0][0]:
        return untraced_reason(material.name, material.hs_codes, supply.year)
    if not sourcing:
        return (f"{supply.economy.code} has no recorded imports of {material.name} and no "
                f"production in {supply.year}")  # fmt: skip
    return ""


def supply_risk(
    con: duckdb.DuckDBPyConnection,
    supply: Supply,
    material: Material,
    substitution_index: float = 1.0,
    labels: dict[int, str] | None = None,
) -> EUSupplyRisk:
    """The EU SR of ``supply``'s material (``material`` gives its EoL-RIR and HS codes);
    ``labels`` names countries by BACI code."""
    p = {"material": supply.material, "year": supply.year}
    label = labels or {}
    rir = material.eol_rir_frac
    world = {int(c): float(v) for c, v in con.execute(_WORLD_SQL, p).fetchall()}
    if not world:
        return EUSupplyRisk(
            supply.material, supply.economy.code, supply.year, None, None, None, rir,
            substitution_index, None, WGI_NOTE, "", "", "",
            f"World Mining Data records no production of {supply.material} in {supply.year}",
        )  # fmt: skip
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
    world_shares = _shares({str(c): v for c, v in world.items()})
    gs = hhi_wgi(world_shares, gov)
    gap = _sourcing_gap(con, material, supply, sourcing)
    if gap:
        sr = gs * (1 - rir) * substitution_index
        return EUSupplyRisk(
            supply.material, supply.economy.code, supply.year, gs, gs, None, rir,
            substitution_index, sr, WGI_NOTE, "global supply", _top(world_shares, label), "",
            f"{gap}: sourcing unknown, so global supply stands for it (the EU method's rule); "
            "SR = HHI_WGI,GS × (1 − EoL-RIR) × SI_SR",
        )  # fmt: skip
    src_shares = _shares({str(c): v for c, v in sourcing.items()})
    src = hhi_wgi(src_shares, gov)
    exports = float(con.execute(_EXPORTS_SQL, {**p, "members": members}).fetchall()[0][0])
    ir = import_reliance(sum(external.values()), exports, sum(own.values()))
    sr = eu_supply_risk(gs, src, ir, rir, substitution_index)
    return EUSupplyRisk(
        supply.material, supply.economy.code, supply.year, gs, src, ir, rir,
        substitution_index, sr, WGI_NOTE, "sourcing", _top(world_shares, label),
        _top(src_shares, label),
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
    reason: str = ""


def crma_check(supply: Supply, economy: Economy, why_no_imports: str = "") -> CRMACheck:
    """Regulation (EU) 2024/1252 Art. 5(1)(d) on ``supply``.

    The base approximates the economy's consumption: its own production plus its imports from
    outside it; trade between its members moves material inside it and is left out. Where there
    is no third-country supply, ``reason`` says why (``why_no_imports``, the caller's words for
    an empty import record).
    """
    flows: dict[str, float] = {f.exporter: f.quantity_t for f in supply.flows if not f.internal}
    flows["(own production)"] = supply.own_t
    top, share = crma_largest_share(flows, ["(own production)"])
    reason = ""
    if share is None:
        reason = why_no_imports or f"no imports of {supply.material} from outside {economy.code}"
        if supply.own_t > 0:
            reason += f"; own production {supply.own_t:.6g} t"
    return CRMACheck(
        supply.material, economy.code, supply.year, top,
        None if share is None else 100.0 * share, 100.0 * CRMA_MAX_SHARE,
        None if share is None else share > CRMA_MAX_SHARE, reason,
    )  # fmt: skip


@dataclass(frozen=True)
class PublishedSR:
    """The EU's published supply risk of a material (2023 assessment) and how to compare it."""

    material: str
    eu_material: str
    sr: float
    ei: float
    compared: bool
    note: str


PUBLISHED_SR_FILE = "data/eu_sr_2023.csv"
"""The EU's 2023 SR per material, with its source in the file's header."""


def published_sr() -> list[PublishedSR]:
    """The rows of :data:`PUBLISHED_SR_FILE` (European Commission 2023, doi:10.2873/725585)."""
    import csv
    from importlib import resources

    text = resources.files("scidip.materials").joinpath(PUBLISHED_SR_FILE).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [
        PublishedSR(r["material"], r["eu_material"], float(r["sr_2023"]), float(r["ei_2023"]),
                    r["compared"] == "yes", r["note"])
        for r in csv.DictReader(lines)
    ]  # fmt: skip
