"""What-if scenarios on an economy's supply, scored with the GeoPolRisk formula.

Each scenario maps a :class:`~scidip.materials.flows.Supply` to a new one; :func:`score` applies
Score = HHI × (Σ_i w_i·f_i + 1·S) / (F + p + R + S) (:func:`scidip.materials.methods.import_risk`):
recycled supply R counts like own production (no import risk), and a shortfall S (demand that no
supplier meets) counts at the worst governance weight, :data:`SHORTFALL_WEIGHT`. The world's
production concentration (HHI) is left unchanged: one importer's choices do not move it.

- export restriction: supplier s cuts its flows to the economy by x. The economy still needs the
  lost tonnes: they stay in its supply as a shortfall, unless they are re-sourced, pro rata from
  its other external suppliers or from chosen partners. Re-sourced tonnes weigh no less than the
  restricting supplier's own weight (:func:`restrict_exports` says why), so a restriction never
  lowers the score;
- recycling: the recycling input rate rises from r0 (EoL-RIR) to r; recycled material replaces
  imports and own primary production pro rata, so both scale by (1 − r)/(1 − r0);
- substitution: demand falls by s; imports absorb the cut first (own production is kept),
  F' = max(0, (1 − s)(F + p) − p), every exporter scaled by F'/F;
- diversification: a share m of the imports from non-partner external suppliers moves to the
  partners, pro rata to their imports (equally where none imports yet, or with ``split="equal"``).

:func:`compare` reports every supplier whose share moved, before and after, and says so where a
scenario lowers the score by making the economy more dependent on one supplier: the GeoPolRisk
score weighs suppliers by their governance only, not by how much rests on any one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from scidip.errors import InvalidData
from scidip.materials.flows import Flow, Supply
from scidip.materials.methods import geopolrisk_score, import_risk

SHORTFALL_WEIGHT = 1.0
"""Governance weight of unmet demand: the worst score on the normalised WGI scale (0–1)."""

OWN, RECYCLED, SHORTFALL = "(own production)", "(recycled)", "(shortfall)"


@dataclass(frozen=True)
class ScenarioResult:
    """Score before and after a scenario, for one material (``None`` where there is none).

    ``supply_t`` is the economy's supply after the scenario (imports + own production + recycled
    + shortfall, t); ``shortfall_t`` the demand no supplier meets, ``shortfall_pct`` its share of
    supply; ``resourced_t`` the lost tonnes that other suppliers take over; ``partners`` the
    economies the scenario moves supply to; ``shares`` one row per source whose share of supply
    changed: ``source``, ``before_t``, ``after_t``, ``before_pct``, ``after_pct``, ``weight``
    (governance weight of the tonnes after; re-sourced tonnes at their floor).
    """

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
    supply_t: float = 0.0
    shortfall_t: float = 0.0
    shortfall_pct: float | None = None
    resourced_t: float = 0.0
    partners: list[str] = field(default_factory=list)
    shares: list[dict[str, Any]] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """A flat dict for :func:`scidip.cli.output.render` and JSON."""
        return dict(self.__dict__)


def supply_t(supply: Supply) -> float:
    """The economy's supply, t: imports + own production + recycled + shortfall."""
    return supply.imports_t + supply.own_t + supply.secondary_t + supply.shortfall_t


def score(supply: Supply) -> float | None:
    """GeoPolRisk score of a supply; ``None`` without HHI or without any imports (or shortfall).

    The shortfall is one more source at :data:`SHORTFALL_WEIGHT`; recycled supply is counted with
    own production (weight 0).
    """
    if supply.hhi is None or supply.imports_t + supply.shortfall_t <= 0:
        return None
    imports = {str(n): f.quantity_t for n, f in enumerate(supply.flows)}
    weights: dict[str, float | None] = {str(n): f.weight for n, f in enumerate(supply.flows)}
    if supply.shortfall_t > 0:
        imports[SHORTFALL] = supply.shortfall_t
        weights[SHORTFALL] = SHORTFALL_WEIGHT
    wta = import_risk(imports, weights, supply.own_t + supply.secondary_t)
    return None if wta is None else geopolrisk_score(supply.hhi, wta)


def risk_weighted_t(supply: Supply) -> float:
    """Σ_i w_i·f_i + 1·S: imports weighted by their exporters' governance, and the shortfall at
    the worst weight (t)."""
    return sum(f.weight * f.quantity_t for f in supply.flows) + SHORTFALL_WEIGHT * (
        supply.shortfall_t
    )


def _check_fraction(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise InvalidData(f"{name} must be between 0 and 1 (got {value})")


def _scaled(flow: Flow, factor: float) -> Flow:
    return replace(flow, quantity_t=flow.quantity_t * factor, value_kusd=flow.value_kusd * factor)


def _split(
    amount: float, targets: Sequence[int], current: Mapping[int, float], equal: bool = False
) -> dict[int, float]:
    """``amount`` shared among ``targets``: pro rata to ``current`` (t), equally where none of
    them has any (or with ``equal``)."""
    base = sum(current.get(c, 0.0) for c in targets)
    if equal or base <= 0:
        return {c: amount / len(targets) for c in targets}
    return {c: amount * current.get(c, 0.0) / base for c in targets}


def restrict_exports(
    supply: Supply,
    supplier: int,
    cut: float,
    resource: bool = False,
    *,
    partners: Sequence[int] = (),
    governance: Mapping[int, float | None] | None = None,
    labels: Mapping[int, str] | None = None,
    split: str = "pro-rata",
) -> Supply:
    """Supplier's flows cut by ``cut`` (0–1); the economy's need for the lost tonnes remains.

    Without re-sourcing the lost tonnes become the supply's shortfall (weight
    :data:`SHORTFALL_WEIGHT`). With ``resource`` they come from the other external suppliers pro
    rata to their imports; with ``partners`` (BACI codes; ``governance`` their WGI, ``labels``
    their display codes) from those, pro rata to their current imports (equally where none
    imports yet, or with ``split="equal"``). Either way the re-sourced tonnes are separate
    flows whose weight is at least the restricting supplier's: that supplier still holds its
    share of world production (the HHI is unchanged) and the extra tonnes are bid away from
    other buyers in a market it has just tightened, so a cut is never scored as making supply
    safer. Where no supplier is left to re-source from, the tonnes stay a shortfall.
    """
    _check_fraction("cut", cut)
    own = [f for f in supply.flows if f.exporter_code == supplier]
    lost = cut * sum(f.quantity_t for f in own)
    if lost <= 0:
        return supply
    floor = max(f.weight for f in own)
    unit_value = sum(f.value_kusd for f in own) / sum(f.quantity_t for f in own)
    flows = [_scaled(f, 1 - cut) if f.exporter_code == supplier else f for f in supply.flows]
    current: dict[int, float] = {}
    for f in supply.flows:
        current[f.exporter_code] = current.get(f.exporter_code, 0.0) + f.quantity_t
    if partners:
        targets = [c for c in dict.fromkeys(partners) if c != supplier]
    elif resource:
        others = (f.exporter_code for f in supply.flows
                  if not f.internal and f.exporter_code != supplier)  # fmt: skip
        targets = list(dict.fromkeys(others))
    else:
        targets = []
    if not targets:
        return replace(supply, flows=flows, shortfall_t=supply.shortfall_t + lost)
    gov = governance or {}
    names = labels or {}
    known = {f.exporter_code: f for f in supply.flows}
    for code, add in _split(lost, targets, current, equal=split == "equal").items():
        if add <= 0:
            continue
        ref = known.get(code) or Flow(
            code, names.get(code, str(code)), 0.0, 0.0, gov.get(code),
            code in supply.economy.members,
        )  # fmt: skip
        flows.append(replace(ref, quantity_t=add, value_kusd=add * unit_value, floor=floor,
                             resourced=True))  # fmt: skip
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
    *,
    split: str = "pro-rata",
) -> Supply:
    """Move ``share`` (0–1) of the imports from non-partner external suppliers to ``partners``.

    ``governance``: WGI (0–1) of each partner; ``labels``: their display codes; ``split``:
    ``pro-rata`` to the partners' current imports (equally where none imports yet) or ``equal``.
    """
    _check_fraction("share", share)
    if split not in {"pro-rata", "equal"}:
        raise InvalidData(f"split {split!r}: use pro-rata or equal")
    chosen = sorted(set(partners) - set(supply.economy.members))
    if not chosen:
        raise InvalidData("no partner outside the importing economy")
    movable = [f for f in supply.flows if f.exporter_code not in chosen and not f.internal]
    moved = share * sum(f.quantity_t for f in movable)
    current = {f.exporter_code: f for f in supply.flows if f.exporter_code in chosen}
    tonnes = {c: f.quantity_t for c, f in current.items()}
    flows = [_scaled(f, 1 - share) if f in movable else f for f in supply.flows]
    flows = [f for f in flows if f.exporter_code not in current]
    for code, add in _split(moved, chosen, tonnes, equal=split == "equal").items():
        f = current.get(code) or Flow(
            code, labels.get(code, str(code)), 0.0, 0.0, governance.get(code), False
        )
        flows.append(replace(f, quantity_t=f.quantity_t + add))
    return replace(supply, flows=flows)


def _sources(supply: Supply) -> dict[str, tuple[float, float]]:
    """Tonnes and risk-weighted tonnes by source label (exporters, own, recycled, shortfall)."""
    out: dict[str, tuple[float, float]] = {}
    for f in supply.flows:
        t, w = out.get(f.exporter, (0.0, 0.0))
        out[f.exporter] = (t + f.quantity_t, w + f.quantity_t * f.weight)
    for label, t, w in ((OWN, supply.own_t, 0.0), (RECYCLED, supply.secondary_t, 0.0),
                        (SHORTFALL, supply.shortfall_t, SHORTFALL_WEIGHT)):  # fmt: skip
        if t > 0:
            out[label] = (t, t * w)
    return out


def share_changes(before: Supply, after: Supply) -> list[dict[str, Any]]:
    """One row per source whose share of supply moved (by more than 0.05 points), largest
    after-share first: ``source``, ``before_t``, ``after_t``, ``before_pct``, ``after_pct``,
    ``weight`` (risk-weighted tonnes / tonnes after; ``None`` where nothing is left)."""
    b, a = _sources(before), _sources(after)
    tb, ta = supply_t(before), supply_t(after)
    rows = []
    for src in dict.fromkeys([*b, *a]):
        bt, at = b.get(src, (0.0, 0.0))[0], a.get(src, (0.0, 0.0))
        bp = 100.0 * bt / tb if tb > 0 else None
        ap = 100.0 * at[0] / ta if ta > 0 else None
        if bp is not None and ap is not None and abs(ap - bp) < 0.05:
            continue
        rows.append({"source": src, "before_t": bt, "after_t": at[0], "before_pct": bp,
                     "after_pct": ap, "weight": at[1] / at[0] if at[0] > 0 else None})  # fmt: skip
    return sorted(rows, key=lambda r: (-(r["after_pct"] or 0.0), r["source"]))


def _top_external(supply: Supply) -> tuple[str | None, float]:
    """The largest single external supplier and its share of supply (%)."""
    total = supply_t(supply)
    by: dict[str, float] = {}
    for f in supply.flows:
        if not f.internal:
            by[f.exporter] = by.get(f.exporter, 0.0) + f.quantity_t
    if not by or total <= 0:
        return None, 0.0
    top = max(sorted(by), key=lambda k: by[k])
    return top, 100.0 * by[top] / total


def concentration_note(before: Supply, after: Supply, change: float | None) -> str:
    """Where the score falls while the largest single supplier's share of supply rises: say that
    the score does not count dependence on one supplier."""
    top_b, pct_b = _top_external(before)
    top_a, pct_a = _top_external(after)
    if change is None or change >= 0 or top_a is None or pct_a <= pct_b + 0.05:
        return ""
    return (
        f"the score falls although {top_a}'s share of supply rises from "
        f"{_pct_of(before, top_a):.1f}% to {pct_a:.1f}% (largest single supplier before: "
        f"{top_b} {pct_b:.1f}%): the GeoPolRisk score weighs each supplier by its governance, "
        "not by how much rests on one supplier"
    )


def _pct_of(supply: Supply, label: str) -> float:
    total = supply_t(supply)
    t = sum(f.quantity_t for f in supply.flows if f.exporter == label)
    return 100.0 * t / total if total > 0 else 0.0


def compare(
    supply: Supply,
    after: Supply,
    scenario: str,
    note: str = "",
    partners: Sequence[str] = (),
) -> ScenarioResult:
    """Scores before and after, the change (absolute and in % of before), the risk-weighted
    tonnes (which move even where the score does not: a pro-rata demand cut), the shortfall,
    the re-sourced tonnes and every share that moved."""
    before_s, after_s = score(supply), score(after)
    change = None if before_s is None or after_s is None else after_s - before_s
    if change is not None and before_s is not None and abs(change) <= 1e-12 * abs(before_s):
        change = 0.0  # rounding noise of an unchanged import mix
    pct = None if change is None or not before_s else 100.0 * change / before_s
    notes = [n for n in (note, concentration_note(supply, after, change)) if n]
    if before_s is None and not note:
        notes.insert(0, "no score before the scenario (no recorded imports or no production data)")
    total = supply_t(after)
    short = after.shortfall_t - supply.shortfall_t
    return ScenarioResult(
        supply.material, supply.economy.code, supply.year, scenario, before_s, after_s, change,
        pct, risk_weighted_t(supply), risk_weighted_t(after), "; ".join(notes), total, short,
        100.0 * short / total if total > 0 else None,
        sum(f.quantity_t for f in after.flows if f.resourced), list(partners),
        share_changes(supply, after),
    )  # fmt: skip
