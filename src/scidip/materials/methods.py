"""Supply-risk formulas, one function each, on plain numbers.

These are the definitions; :mod:`scidip.materials.grid` evaluates the same formulas for every
material, economy and year at once in DuckDB, and the tests check that both agree.

Sources:
- GeoPolRisk: Gemechu, E. D., Helbig, C., Sonnemann, G., Thorenz, A., Tuma, A. (2016),
  "Import-based indicator for the geopolitical supply risk of raw materials in life cycle
  sustainability assessments", J. Ind. Ecol. 20(1), 154-165 (HHI × import risk);
  Koyamparambath, A., Santillán-Saldivar, J., McLellan, B., Sonnemann, G. (2022), "Supply risk
  evolution of raw materials for batteries and fossil fuels for selected OECD countries
  (2000-2018)", Resources Policy 75, 102465 (regions, price, characterisation factor in
  kg Cu-eq/kg); the reference implementation geopolrisk-py 2.0.1 (``geopolrisk/assessment``).
- Recycling in GeoPolRisk: Santillán-Saldivar, J. et al. (2021), "How recycling mitigates supply
  risks of critical raw materials", Resources, Conservation & Recycling 164, 105108.
- EU supply risk: European Commission (2017), "Methodology for establishing the EU list of
  critical raw materials - Guidelines", ISBN 978-92-79-68051-9.
- EU Critical Raw Materials Act: Regulation (EU) 2024/1252, Art. 5(1)(d).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

PEER_CF_COPPER = 0.409412948  # geopolrisk-py 2.0.1's fixed divisor (core.GeoPolRisk)
CF_COPPER_MIN = 0.1 * PEER_CF_COPPER
"""Smallest copper score × price (USD/kg) that :func:`characterisation_factor` divides by: a
tenth of the OECD 2017–2021 average the peer uses. Below it the divisor, not the material,
drives the CF: an economy that mines its own copper imports little of it, and every CF explodes
(USA 2022: copper 0.0042, cobalt 2,259 kg Cu-eq/kg against Japan's 85)."""
DEFAULT_GOVERNANCE = 0.5  # weight of an exporter without a WGI score (GeoPolRisk method)
CRMA_MAX_SHARE = 0.65  # Regulation (EU) 2024/1252, Art. 5(1)(d)


def hhi(production: Iterable[float]) -> float | None:
    """Herfindahl-Hirschman index of production, on the 0–1 scale.

    HHI = Σ_k P_k² / (Σ_k P_k)² over producing countries k (world totals excluded).
    ``None`` when total production is zero. Source: Gemechu et al. (2016).
    """
    values = [float(p) for p in production]
    total = sum(values)
    if total == 0:
        return None
    return sum(p * p for p in values) / (total * total)


def import_shares(imports_t: Mapping[str, float]) -> dict[str, float]:
    """Share of each exporter in an economy's imports: s_i = f_i / Σ_j f_j (0–1).

    Empty when there are no imports. Source: Gemechu et al. (2016).
    """
    total = sum(imports_t.values())
    if total == 0:
        return {}
    return {k: v / total for k, v in imports_t.items()}


def import_risk(
    imports_t: Mapping[str, float],
    governance: Mapping[str, float | None],
    own_production_t: float,
    members: Iterable[str] = (),
) -> float | None:
    """Governance-weighted import risk (WTA).

    WTA = Σ_i g_i·f_i / (Σ_i f_i + p), with f_i the imports from exporter i (t), p the
    economy's own production (t), g_i the normalised WGI political stability of i (0–1), 0.5
    where none is known and 0 for exporters inside the importing group. ``None`` when there is
    neither import nor production. Source: Gemechu et al. (2016); Koyamparambath et al.
    (2022) for regions.
    """
    inside = set(members)
    total = sum(imports_t.values()) + own_production_t
    if total == 0:
        return None
    weighted = sum(
        f * (0.0 if i in inside else _weight(governance.get(i))) for i, f in imports_t.items()
    )
    return weighted / total


def _weight(g: float | None) -> float:
    return DEFAULT_GOVERNANCE if g is None else g


def geopolrisk_score(hhi_value: float, import_risk_value: float) -> float:
    """GeoPolRisk score = HHI × WTA (dimensionless, 0–1). Source: Gemechu et al. (2016)."""
    return hhi_value * import_risk_value


def import_price(value_kusd: float, quantity_t: float) -> float | None:
    """Import price = Σ value / Σ quantity, thousand USD per tonne (= USD per kg).

    ``None`` without quantity. Only rows that carry a quantity belong in either sum.
    Source: Koyamparambath et al. (2022).
    """
    if quantity_t == 0:
        return None
    return value_kusd / quantity_t


def characterisation_factor(
    score: float, price_usd_per_kg: float, copper_score: float, copper_price_usd_per_kg: float
) -> float | None:
    """Characterisation factor, kg Cu-eq per kg, as the method defines it.

    CF = (Score × Price) / (Score_Cu × Price_Cu), copper's for the same economy and year.
    ``None`` when copper's product is under :data:`CF_COPPER_MIN` (zero included): the CF would
    measure copper's absence more than the material. Source: Koyamparambath et al. (2022).
    """
    divisor = copper_score * copper_price_usd_per_kg
    if divisor < CF_COPPER_MIN:
        return None
    return score * price_usd_per_kg / divisor


def characterisation_factor_peer(score: float, price_usd_per_kg: float) -> float:
    """Characterisation factor as geopolrisk-py 2.0.1 computes it.

    CF = Score × Price / 0.409412948, a fixed "average CF of copper for OECD countries
    2017–2021" (geopolrisk/assessment/core.py, ``GeoPolRisk``).
    """
    return score * price_usd_per_kg / PEER_CF_COPPER


def hhi_wgi(shares: Mapping[str, float], governance_0_10: Mapping[str, float]) -> float:
    """Governance-weighted concentration: HHI_WGI = Σ_c s_c² · WGI_c (shares 0–1, WGI 0–10).

    Source: European Commission (2017).
    """
    return sum(s * s * governance_0_10[c] for c, s in shares.items())


def eu_supply_risk(
    hhi_wgi_global: float,
    hhi_wgi_sourcing: float,
    import_reliance: float,
    eol_rir: float,
    substitution_index: float = 1.0,
) -> float:
    """EU supply risk (SR) of the 2017 methodology.

    SR = [HHI_WGI,GS · IR/2 + HHI_WGI,EU-sourcing · (1 − IR/2)] · (1 − EoL-RIR) · SI_SR,
    IR = import reliance (0–1), EoL-RIR = end-of-life recycling input rate (0–1), SI_SR the
    substitution index for supply risk (0–1; 1 means no substitute).
    Source: European Commission (2017).
    """
    blended = hhi_wgi_global * import_reliance / 2 + hhi_wgi_sourcing * (1 - import_reliance / 2)
    return blended * (1 - eol_rir) * substitution_index


def import_reliance(imports_t: float, exports_t: float, production_t: float) -> float:
    """IR = (imports − exports) / (production + imports − exports), clipped to 0–1.

    Source: European Commission (2017).
    """
    consumption = production_t + imports_t - exports_t
    if consumption <= 0:
        return 0.0
    return min(1.0, max(0.0, (imports_t - exports_t) / consumption))


def crma_largest_share(
    supply_t: Mapping[str, float], members: Iterable[str] = ()
) -> tuple[str | None, float | None]:
    """Largest single third-country share of supply, for the CRMA 65 % benchmark.

    share = max_i f_i / (Σ_j f_j) over third countries i (outside the economy); the denominator
    holds every source, own production included. Returns ``(country, share)``; ``(None, None)``
    without supply. The benchmark is met when share ≤ 0.65. Source: Regulation (EU) 2024/1252,
    Art. 5(1)(d).
    """
    inside = set(members)
    total = sum(supply_t.values())
    outside = {k: v for k, v in supply_t.items() if k not in inside}
    if total == 0 or not outside:
        return None, None
    top = max(sorted(outside), key=lambda k: outside[k])
    return top, outside[top] / total
