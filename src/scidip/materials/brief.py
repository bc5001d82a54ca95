"""The country brief's materials section: where a partner is a major supplier to the home
country, and how much a partnership would change the home country's supply risk.

For the home economy H, partner P and the latest production year Y on or before the brief's date,
for each traded material: P's share of H's recorded imports (tonnes, default mode); where that
share is at least ``MAJOR_SHARE_PCT``, the GeoPolRisk score of H now, after moving ``SHIFT_FRAC``
of H's imports from its other external suppliers to P (the *diversify* scenario of
:mod:`scidip.materials.scenario`), with P's share of H's imports before and after, and if P
stopped supplying H (the *restrict* scenario, not re-sourced: the shortfall in tonnes and share
of supply, counted at the worst governance weight). Then the other direction
(:mod:`scidip.materials.leverage`): what P depends on H for, with H's shares of world exports and
production, and the largest shifts of either dependence since the first year of data.

Sourcing more from P always makes H more dependent on P. Where the score nevertheless falls (P's
governance weight is better than that of the suppliers it replaces), the paragraph says that the
score does not count that dependence; it never presents the shift as lowering risk without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scidip.errors import NotFound
from scidip.materials import scenario as sc
from scidip.materials.flows import Supply, governance_of
from scidip.materials.service import Context, open_context, supplies, two_way_ledger

MAJOR_SHARE_PCT = 10.0
"""A partner supplying at least this share of the home country's imports is a major supplier."""

SHIFT_FRAC = 0.10
"""Share of imports from other suppliers moved to the partner in the partnership scenario."""


@dataclass(frozen=True)
class PartnerSupply:
    """One material the partner supplies to the home economy in a year."""

    material: str
    year: int
    share_pct: float  # of the home economy's recorded imports, by tonnes
    score: float | None  # GeoPolRisk score of the home economy now
    score_after: float | None  # after moving SHIFT_FRAC of other imports to the partner
    change_pct: float | None  # relative change of the score
    share_after_pct: float = 0.0  # the partner's share of imports after the shift
    cutoff_t: float = 0.0  # what the home economy would lack if the partner stopped supplying
    cutoff_pct: float | None = None  # that shortfall as a share of its supply (%)
    score_cutoff: float | None = None  # the score with that shortfall at the worst weight


def _share_pct(supply: Supply, partner_code: int) -> float:
    total = supply.imports_t
    partner = sum(f.quantity_t for f in supply.flows if f.exporter_code == partner_code)
    return 100.0 * partner / total if total > 0 else 0.0


def _latest_year(ctx: Context, as_of: date) -> int | None:
    years = [y for y in ctx.catalog.production_years if y <= as_of.year]
    return max(years) if years else None


def partner_supplies(ctx: Context, home: str, partner: str, as_of: date) -> list[PartnerSupply]:
    """Materials of which ``partner`` supplies at least ``MAJOR_SHARE_PCT`` of ``home``'s imports
    in the latest year of data on or before ``as_of``, largest share first.

    Raises :class:`NotFound` when the store does not know the partner (e.g. an organisation).
    """
    year = _latest_year(ctx, as_of)
    if year is None:
        return []
    economy = ctx.economy(home)
    code = ctx.index.find(partner).baci_code
    found: list[PartnerSupply] = []
    for supply in supplies(ctx, economy, ctx.catalog.names(None), year):
        share = _share_pct(supply, code)
        if share < MAJOR_SHARE_PCT or code in economy.members:
            continue
        after = sc.diversify(
            supply, SHIFT_FRAC, [code], governance_of(ctx.con, [code], year), {code: partner}
        )
        result = sc.compare(supply, after, "partnership")
        cut = sc.compare(supply, sc.restrict_exports(supply, code, 1.0), "cut-off")
        found.append(
            PartnerSupply(
                supply.material, year, share, result.score_before, result.score_after,
                result.change_pct, _share_pct(after, code), cut.shortfall_t, cut.shortfall_pct,
                cut.score_after,
            )
        )  # fmt: skip
    return sorted(found, key=lambda p: (-p.share_pct, p.material))


def _paragraph(p: PartnerSupply, partner_name: str, home_name: str) -> str:
    text = f"{p.material}: {p.share_pct:.1f}% of {home_name}'s imports in {p.year}"
    if p.score is None or p.score_after is None or p.change_pct is None:
        return text + " (no supply-risk score: see `scidip materials risk`)."
    change = "no change" if round(p.change_pct, 1) == 0 else f"{p.change_pct:+.1f}%"
    text += (
        f"; supply-risk score (GeoPolRisk) {p.score:.4g}, {p.score_after:.4g} if "
        f"{SHIFT_FRAC:.0%} of imports from other suppliers came from {partner_name} ({change}), "
        f"which would raise {partner_name}'s share of {home_name}'s imports to "
        f"{p.share_after_pct:.1f}%"
    )
    if round(p.change_pct, 1) < 0:
        text += (
            f": the score falls because {partner_name}'s governance weighs better than that of "
            f"the suppliers it would replace, but {home_name} would depend more on a single "
            "supplier, which the score does not count"
        )
    text += "."
    if p.cutoff_pct is not None and p.score_cutoff is not None:
        text += (
            f" If {partner_name} stopped supplying, {home_name} would lack {p.cutoff_t:,.0f} t "
            f"({p.cutoff_pct:.1f}% of its supply); score {p.score_cutoff:.4g} with the shortfall "
            "at the worst governance weight."
        )
    return text


LEVERAGE_SHARE_PCT = 5.0
"""The home economy's share of the partner's imports from which the ledger names a material."""


def ledger_paragraphs(
    ctx: Context, home: str, home_name: str, partner: str, partner_name: str, as_of: date
) -> list[str]:
    """The two-way ledger: what the partner depends on the home economy for (its share of the
    partner's imports, with the home economy's shares of world exports and production), and the
    largest shifts of either dependence since the first year of data; each with source and year."""
    year = _latest_year(ctx, as_of)
    if year is None:
        return []
    lines, moved = two_way_ledger(ctx, home, partner, year)
    theirs = sorted(
        (x for x in lines if (x.home_share_of_partner_imports_pct or 0) >= LEVERAGE_SHARE_PCT),
        key=lambda x: -(x.home_share_of_partner_imports_pct or 0),
    )[:5]
    source = f"BACI HS92 tonnes, {year}"
    if theirs:
        items = "; ".join(
            f"{x.material} {x.home_share_of_partner_imports_pct:.1f}% of {partner_name}'s imports "
            f"({_tonnes(x.partner_imports_from_home_t)}; {home_name} "
            f"{_pct(x.home_share_of_world_exports_pct)} of world exports, "
            f"{_pct(x.home_share_of_world_production_pct)} of world production)"
            for x in theirs
        )  # fmt: skip
        out = [f"What {partner_name} depends on {home_name} for ({source}; production: World "
               f"Mining Data, {year}): {items}."]  # fmt: skip
    else:
        out = [f"{home_name} supplies less than {LEVERAGE_SHARE_PCT:.0f}% of {partner_name}'s "
               f"recorded imports of every traded raw material ({source})."]  # fmt: skip
    out += _stage_paragraph(ctx, partner, partner_name)
    if moved:
        first = min(s.first_year for s in moved)
        items = "; ".join(
            f"{s.material}: " + (
                f"{partner_name}'s share of {home_name}'s imports"
                if s.direction == "we depend on them"
                else f"{home_name}'s share of {partner_name}'s imports"
            ) + f" {s.first_pct:.1f}% in {s.first_year} to {s.last_pct:.1f}% in {s.last_year}"
            for s in moved
        )  # fmt: skip
        out.append(f"Largest shifts since {first} (BACI HS92 tonnes): {items}.")
    return out


def _stage_paragraph(ctx: Context, partner: str, partner_name: str) -> list[str]:
    """Processing stages where the partner holds at least half the modelled capacity (bleecam),
    where the store has stage data."""
    from scidip.materials.stages import STAGES_FILE, VERSION, stage_supply

    if not (ctx.store.path / STAGES_FILE).is_file():
        return []
    code = ctx.index.label(ctx.index.find(partner).baci_code)
    held = []
    for material in ("Rare earth", "Gallium"):
        mine = [
            s
            for s in stage_supply(ctx.store.path, material)
            if s.top_country == code and (s.top_share_pct or 0) >= 50 and s.countries > 1
        ]
        held += [f"{material.lower()} {s.stage} ({s.product}) {s.top_share_pct:.0f}%"
                 for s in mine[:3]]  # fmt: skip
    if not held:
        return []
    return [
        f"Processing stages where {partner_name} holds at least half the capacity (bleecam "
        f"{VERSION} model capacities of the countries it covers, base period, provisional): "
        f"{'; '.join(held)}."
    ]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _tonnes(t: float) -> str:
    return f"{t:,.0f} t" if t >= 10 else f"{t:.3g} t"


def materials_paragraphs(
    store_dir: Path, home: str, home_name: str, partner: str, partner_name: str, as_of: date
) -> list[str] | None:
    """The section's paragraphs, or ``None`` when there is nothing to say (no store, a partner
    the trade data does not know)."""
    try:
        ctx = open_context(store_dir)
    except NotFound:
        return None
    try:
        found = partner_supplies(ctx, home, partner, as_of)
        ledger = ledger_paragraphs(ctx, home, home_name, partner, partner_name, as_of)
    except NotFound:
        return None
    finally:
        ctx.con.close()
    vintage = ctx.store.vintage()
    names = "; ".join(str(src.get("name")) for src in vintage.get("sources", []))
    origin = (
        f"Data: {names} (as shipped by {vintage.get('source_package')} "
        f"{vintage.get('version')}); default mode of `scidip materials`."
    )
    if not found:
        return [
            f"{partner_name} supplies less than {MAJOR_SHARE_PCT:.0f}% of {home_name}'s recorded "
            f"imports of every traded raw material.", *ledger, origin,
        ]  # fmt: skip
    intro = (
        f"Raw materials of which {partner_name} supplies at least {MAJOR_SHARE_PCT:.0f}% of "
        f"{home_name}'s recorded imports, and how the supply risk would change if {home_name} "
        f"sourced more from {partner_name}:"
    )
    return [intro, *(_paragraph(p, partner_name, home_name) for p in found), *ledger, origin]
