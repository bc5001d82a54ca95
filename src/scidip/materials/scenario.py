"""What-if scenarios on an economy's supply, scored with the GeoPolRisk formula.

Each scenario maps a :class:`~scidip.materials.flows.Supply` to a new one; :func:`score` applies
Score = HHI × Σ_i g_i·f_i / (F + p + R) (:func:`scidip.materials.methods.import_risk`, with
recycled supply R counted like own production: it carries no import risk). The world's
production concentration (HHI) is left unchanged: one importer's choices do not move it.

- export restriction: supplier s cuts its flows to the economy by x; optionally the lost tonnes
  are re-sourced from the other external suppliers pro rata to their imports;
- recycling: the recycling input rate rises from r0 (EoL-RIR) to r; recycled material replaces
  imports and own primary production pro rata, so both scale by (1 − r)/(1 − r0);
- substitution: demand falls by s; imports absorb the cut first (own production is kept),
  F' = max(0, (1 − s)(F + p) − p), every exporter scaled by F'/F;
- diversification: a share m of the imports from non-partner external suppliers moves to the
  partners, pro rata to their imports (equally where none imports yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from scidip.errors import InvalidData
from scidip.materials.flows import Flow, Supply
from scidip.materials.methods import geopolrisk_score, import_risk


@dataclass(frozen=True)
class ScenarioResult:
    """Score before and after a scenario, for one material (``None`` where there is none)."""

    material: str
    economy: str
    year: int
    scenario: str
    score_before: float | None
    score_after: float | None
    change: float | None
    change_pct: float | None
    risk_weighted_t_before: float
    risk_weighted_t_after: float
    note: str = ""


def score(supply: Supply) -> float | None:
    """GeoPolRisk score of a supply; ``None`` without HHI or without any imports."""
    if supply.hhi is None or supply.imports_t <= 0:
        return None
    imports = {str(f.exporter_code): f.quantity_t for f in supply.flows}
    weights: dict[str, float | None] = {str(f.exporter_code): f.weight for f in supply.flows}
    wta = import_risk(imports, weights, supply.own_t + supply.secondary_t)
    return None if wta is None else geopolrisk_score(supply.hhi, wta)


def risk_weighted_t(supply: Supply) -> float:
    """Σ_i g_i·f_i: imports weighted by their exporters' governance (t)."""
    return sum(f.weight * f.quantity_t for f in supply.flows)


def _check_fraction(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidData(f"{name} must be between 0 and 1 (got {value})")


def _scaled(flow: Flow, factor: float) -> Flow:
    return replace(flow, quantity_t=flow.quantity_t * factor, value_kusd=flow.value_kusd * factor)


def restrict_exports(supply: Supply, supplier: int, cut: float, resource: bool) -> Supply:
    """Supplier's flows cut by ``cut`` (0–1); with ``resource`` the lost tonnes come from the
    other external suppliers pro rata."""
    _check_fraction("cut", cut)
    lost = sum(f.quantity_t * cut for f in supply.flows if f.exporter_code == supplier)
    others = [f for f in supply.flows if f.exporter_code != supplier and not f.internal]
    base = sum(f.quantity_t for f in others)
    flows = []
    for f in supply.flows:
        if f.exporter_code == supplier:
            flows.append(_scaled(f, 1 - cut))
        elif resource and base > 0 and f in others:
            flows.append(_scaled(f, 1 + lost / base))
        else:
            flows.append(f)
    return replace(supply, flows=flows)


def raise_recycling(supply: Supply, rate: float, baseline: float) -> Supply:
    """Recycling input rate raised from ``baseline`` to ``rate`` (both 0–1)."""
    _check_fraction("recycling rate", rate)
    _check_fraction("baseline recycling rate", baseline)
    if rate <= baseline or baseline >= 1:
        return supply
    k = (1 - rate) / (1 - baseline)
    total = supply.imports_t + supply.own_t + supply.secondary_t
    flows = [_scaled(f, k) for f in supply.flows]
    own = supply.own_t * k
    secondary = total - sum(f.quantity_t for f in flows) - own
    return replace(supply, flows=flows, own_t=own, secondary_t=secondary)


def substitute(supply: Supply, cut: float) -> Supply:
    """Demand cut by ``cut`` (0–1), taken from imports first."""
    _check_fraction("substitution", cut)
    imports = supply.imports_t
    if imports <= 0:
        return supply
    demand = (1 - cut) * (imports + supply.own_t + supply.secondary_t)
    new_imports = max(0.0, demand - supply.own_t - supply.secondary_t)
    return replace(supply, flows=[_scaled(f, new_imports / imports) for f in supply.flows])


def diversify(
    supply: Supply,
    share: float,
    partners: Iterable[int],
    governance: Mapping[int, float | None],
    labels: Mapping[int, str],
) -> Supply:
    """Move ``share`` (0–1) of the imports from non-partner external suppliers to ``partners``.

    ``governance``: WGI (0–1) of each partner; ``labels``: their display codes.
    """
    _check_fraction("share", share)
    chosen = sorted(set(partners) - set(supply.economy.members))
    if not chosen:
        raise InvalidData("no partner outside the importing economy")
    movable = [f for f in supply.flows if f.exporter_code not in chosen and not f.internal]
    moved = share * sum(f.quantity_t for f in movable)
    current = {f.exporter_code: f for f in supply.flows if f.exporter_code in chosen}
    base = sum(f.quantity_t for f in current.values())
    flows = [_scaled(f, 1 - share) if f in movable else f for f in supply.flows]
    flows = [f for f in flows if f.exporter_code not in current]
    for code in chosen:
        f = current.get(code) or Flow(
            code, labels.get(code, str(code)), 0.0, 0.0, governance.get(code), False
        )
        add = moved * (f.quantity_t / base if base > 0 else 1 / len(chosen))
        flows.append(replace(f, quantity_t=f.quantity_t + add))
    return replace(supply, flows=flows)


def compare(supply: Supply, after: Supply, scenario: str, note: str = "") -> ScenarioResult:
    """Scores before and after, the change (absolute and in % of before), and the
    risk-weighted tonnes, which move even where the score does not (a pro-rata demand cut)."""
    before_s, after_s = score(supply), score(after)
    change = None if before_s is None or after_s is None else after_s - before_s
    if change is not None and before_s is not None and abs(change) <= 1e-12 * abs(before_s):
        change = 0.0  # rounding noise of an unchanged import mix
    pct = None if change is None or not before_s else 100.0 * change / before_s
    if before_s is None and not note:
        note = "no score before the scenario (no recorded imports or no production data)"
    return ScenarioResult(
        supply.material, supply.economy.code, supply.year, scenario, before_s, after_s, change,
        pct, risk_weighted_t(supply), risk_weighted_t(after), note,
    )  # fmt: skip
