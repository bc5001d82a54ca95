"""The materials services the CLI (and later the web) call: one function per question."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from scidip.errors import InvalidData
from scidip.materials import scenario as sc
from scidip.materials.catalog import Catalog
from scidip.materials.economies import (
    EU_ALIASES,
    CountryIndex,
    Economy,
    all_importers,
    resolve_economy,
)
from scidip.materials.eu import CRMACheck, EUSupplyRisk, crma_check, supply_risk
from scidip.materials.flows import Supply, governance_of, load_supplies
from scidip.materials.globalsupply import estimate
from scidip.materials.grid import Mode, compute_into
from scidip.materials.hs import untraced_reason
from scidip.materials.leverage import LedgerLine, Shift, ledger, shifts
from scidip.materials.methods import CRMA_MAX_SHARE
from scidip.materials.risk import RiskResult, assess
from scidip.materials.store import MaterialsStore


@dataclass
class Context:
    """An open store: its DuckDB connection, the catalogue of materials, the country index."""

    store: MaterialsStore
    con: duckdb.DuckDBPyConnection
    catalog: Catalog
    index: CountryIndex
    groups: Mapping[str, list[str]]

    def economy(self, spec: str) -> Economy:
        """Resolve an economy name (country, EU27 or one of ``groups``)."""
        return resolve_economy(spec, self.index, self.groups)


def open_context(store_dir: Path, groups: Mapping[str, list[str]] | None = None) -> Context:
    """Open the store in ``store_dir`` (:class:`NotFound` when it was never fetched).

    A group may not take the name of a country or of the EU: it would hide it.
    """
    store = MaterialsStore(store_dir).require()
    con = store.connect()
    index = CountryIndex.load(con)
    for name in groups or {}:
        if name.strip().upper() in EU_ALIASES or index.knows(name):
            con.close()
            raise InvalidData(
                f"group name {name!r} is already "
                + ("the EU-27" if name.strip().upper() in EU_ALIASES else
                   f"a country ({index.find(name).name})")
                + ": choose another name"
            )  # fmt: skip
    return Context(store, con, Catalog.load(con), index, groups or {})


def parse_years(spec: str) -> list[int]:
    """``"2022"``, ``"2018-2024"`` or ``"2018,2020"`` -> list of years (inclusive ranges, oldest
    first within a range); a reversed range is refused."""
    years: list[int] = []
    try:
        for part in spec.split(","):
            lo, _, hi = part.strip().partition("-")
            first, last = int(lo), int(hi or lo)
            if last < first:
                raise InvalidData(f"years {part.strip()!r}: write the earlier year first")
            years.extend(range(first, last + 1))
    except ValueError as exc:
        raise InvalidData(f"years {spec!r}: write 2022, 2018-2024 or 2018,2020") from exc
    return years


def risk(
    ctx: Context,
    importers: Sequence[str],
    years: Sequence[int],
    materials: Iterable[str] | None = None,
    mode: Mode = Mode.default,
) -> list[RiskResult]:
    """GeoPolRisk results for every importer × year × material asked (by default every material
    in the default mode, every traded one in the peer's).

    The importer ``ALL`` stands for every country that imports anything in the trade data.
    """
    if [i.strip().upper() for i in importers] == ["ALL"]:
        economies = all_importers(ctx.con, ctx.index)
    else:
        economies = [ctx.economy(i) for i in importers]
    names = ctx.catalog.names(materials, traded_only=mode is Mode.peer)
    return assess(ctx.con, ctx.catalog, economies, years, names, mode)


def supplies(ctx: Context, economy: Economy, materials: Sequence[str], year: int) -> list[Supply]:
    """The supply behind each material's score, with its HHI for the year (default mode)."""
    names = [ctx.catalog.find(m).name for m in materials]
    compute_into(ctx.con, "supply_hhi", [economy], [year], names)
    try:
        hhi = dict(ctx.con.execute("SELECT material, hhi FROM supply_hhi").fetchall())
    finally:
        ctx.con.execute("DROP TABLE IF EXISTS supply_hhi")
    return load_supplies(ctx.con, ctx.index, economy, names, year, hhi)


def supply(ctx: Context, economy: Economy, material: str, year: int) -> Supply:
    """The supply behind one score."""
    return supplies(ctx, economy, [material], year)[0]


def suppliers(
    ctx: Context, economy_spec: str, material: str, year: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Import shares by exporter, with governance and weights, and a summary (CRMA check)."""
    check_year(ctx, year)
    economy = ctx.economy(economy_spec)
    sup = supply(ctx, economy, material, year)
    total = sup.imports_t
    base = total + sup.own_t
    producing = {c for (c,) in ctx.con.execute(
        "SELECT DISTINCT baci_code FROM production WHERE material = $m AND year = $y "
        "AND coalesce(production, 0) > 0 AND baci_code IS NOT NULL",
        {"m": sup.material, "y": year},
    ).fetchall()}  # fmt: skip
    rows = [
        {
            "exporter": f.exporter,
            "name": ctx.index.by_code[f.exporter_code].name,
            "quantity_t": f.quantity_t,
            "value_kusd": f.value_kusd,
            "share_pct": 100.0 * f.quantity_t / total if total else None,
            "supply_share_pct": 100.0 * f.quantity_t / base if base else None,
            "wgi_normalised": f.governance,
            "weight": f.weight,
            "note": "; ".join(n for n in (
                "inside the economy" if f.internal else "",
                "no WGI score: 0.5" if f.governance is None and not f.internal else "",
                "no production recorded: re-exporter or processor"
                if f.exporter_code not in producing else "",
            ) if n),
        }
        for f in sup.flows
    ]  # fmt: skip
    why = why_no_imports(ctx, sup)
    check = crma_check(sup, economy, why)
    summary = {
        "material": sup.material,
        "economy": economy.code,
        "year": year,
        "imports_t": total,
        "own_production_t": sup.own_t,
        "score": sc.score(sup),
        "reason": why,
        "world_producers": "",
        "crma": check.__dict__,
        "suppliers": rows,
    }
    if not rows:
        est = estimate(ctx.con, [(sup.material, year)], [economy]).get(
            (sup.material, economy.code, year)
        )
        if est is not None:
            summary["world_producers"] = est.top(5)
    return rows, summary


def why_no_imports(ctx: Context, sup: Supply) -> str:
    """Why ``sup`` has no recorded imports (empty when it has some)."""
    if sup.flows:
        return ""
    mat = ctx.catalog.find(sup.material)
    if not mat.traded:
        return untraced_reason(mat.name, mat.hs_codes)
    world = ctx.con.execute(
        "SELECT count(*) FROM trade WHERE year = $year AND hs_code IN "
        "(SELECT hs_code FROM material_hs WHERE material = $material)",
        {"year": sup.year, "material": mat.name},
    ).fetchall()[0][0]
    if not world:
        return untraced_reason(mat.name, mat.hs_codes, sup.year)
    return f"no recorded imports of {mat.name} into {sup.economy.code} in {sup.year}"


def crma(
    ctx: Context, economy_spec: str, year: int, materials: Iterable[str] | None
) -> list[CRMACheck]:
    """CRMA 65 % check for each material."""
    check_year(ctx, year)
    economy = ctx.economy(economy_spec)
    out = []
    for sup in supplies(ctx, economy, ctx.catalog.names(materials, traded_only=False), year):
        why = why_no_imports(ctx, sup)
        check = crma_check(sup, economy, why)
        world = estimate(ctx.con, [(sup.material, year)], [economy]) if why else {}
        est = world.get((sup.material, economy.code, year))
        if est is not None and est.producers:
            label, share = est.producers[0]
            verdict = "above" if share > CRMA_MAX_SHARE else "within"
            check = replace(check, reason=(
                f"{check.reason}; world production: {est.top()} (sourced as the world produces, "
                f"{label}'s share would be {verdict} the 65 % benchmark)"))  # fmt: skip
        out.append(check)
    return out


def eu_risk(
    ctx: Context,
    economy_spec: str,
    year: int,
    materials: Iterable[str] | None = None,
    substitution_index: float = 1.0,
) -> list[EUSupplyRisk]:
    """EU supply risk per material (every material by default; where the trade data cannot
    identify one, on global supply, and said so)."""
    check_year(ctx, year)
    if not 0 <= substitution_index <= 1:
        raise InvalidData(f"substitution index {substitution_index:g}: give 0 to 1")
    economy = ctx.economy(economy_spec)
    names = ctx.catalog.names(materials, traded_only=False)
    labels = {c: ctx.index.label(c) for c in ctx.index.by_code}
    return [
        supply_risk(ctx.con, sup, ctx.catalog.find(sup.material), substitution_index, labels)
        for sup in supplies(ctx, economy, names, year)
    ]


def check_year(ctx: Context, year: int) -> None:
    """:class:`InvalidData` unless the store has production data for ``year``."""
    years = ctx.catalog.production_years
    if year not in years:
        span = f"{years[0]}–{years[-1]}" if years else "none"
        raise InvalidData(f"no production data for {year} (World Mining Data in the store: {span})")


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario: ``kind`` is restrict / recycling / substitution / diversify.

    ``fraction`` (0–1) is the export cut, recycling input rate, demand cut or share moved;
    ``resource`` re-sources a restriction pro rata from the other suppliers; ``partners``
    (country codes) are where diversification moves supply, or where a restriction is re-sourced
    from; ``split`` is ``pro-rata`` or ``equal``; partners whose WGI political-stability estimate
    is below ``min_stability`` (−2.5 to 2.5; higher is more stable), or that have none, and those
    in ``exclude`` are left out, and said so.
    """

    kind: str
    supplier: str | None = None
    fraction: float = 0.0
    resource: bool = False
    partners: tuple[str, ...] = ()
    split: str = "pro-rata"
    min_stability: float | None = None
    exclude: tuple[str, ...] = ()


def scenario(
    ctx: Context,
    economy_spec: str,
    year: int,
    materials: Iterable[str] | None,
    spec: ScenarioSpec,
) -> list[sc.ScenarioResult]:
    """Score before and after ``spec`` for each material."""
    if spec.kind not in SCENARIOS:
        raise InvalidData(f"unknown scenario {spec.kind!r}: {', '.join(SCENARIOS)}")
    check_year(ctx, year)
    economy = ctx.economy(economy_spec)
    bases = supplies(ctx, economy, ctx.catalog.names(materials), year)
    partners = _partners(ctx, spec, economy, year)
    return [_one_scenario(ctx, base, spec, partners) for base in bases]


SCENARIOS = ("restrict", "recycling", "substitution", "diversify")


@dataclass(frozen=True)
class Partners:
    """The partners a scenario uses (BACI codes, labels, WGI) and those it left out, why."""

    codes: list[int]
    labels: dict[int, str]
    governance: dict[int, float | None]
    dropped: list[str]

    def note(self) -> str:
        """Which partners were used, and which were left out and why."""
        used = ", ".join(self.labels[c] for c in self.codes) or "none"
        text = f"partners: {used}"
        return text + (f"; left out: {'; '.join(self.dropped)}" if self.dropped else "")


def _partners(ctx: Context, spec: ScenarioSpec, economy: Economy, year: int) -> Partners:
    """Resolve ``spec.partners`` and apply its filters (exclusions, minimum stability)."""
    found = {ctx.index.find(p).baci_code for p in spec.partners}
    excluded = {ctx.index.find(p).baci_code for p in spec.exclude}
    gov = governance_of(ctx.con, found, year)
    labels = {c: ctx.index.label(c) for c in found | excluded}
    dropped, codes = [], []
    limit = None if spec.min_stability is None else (2.5 - spec.min_stability) / 5
    for code in sorted(found, key=lambda c: labels[c]):
        g = gov.get(code)
        if code in economy.members:
            dropped.append(f"{labels[code]} (inside {economy.code})")
        elif code in excluded:
            dropped.append(f"{labels[code]} (excluded)")
        elif limit is not None and g is None:
            dropped.append(f"{labels[code]} (no WGI score for {year})")
        elif limit is not None and g is not None and g > limit + 1e-12:
            dropped.append(f"{labels[code]} (stability {2.5 - 5 * g:+.2f} < "
                           f"{spec.min_stability:+.2f})")  # fmt: skip
        else:
            codes.append(code)
    return Partners(codes, labels, gov, dropped)


def _restrict(
    ctx: Context, base: Supply, spec: ScenarioSpec, partners: Partners
) -> sc.ScenarioResult:
    if not spec.supplier:
        raise InvalidData("restrict needs --supplier")
    code = ctx.index.find(spec.supplier).baci_code
    name = ctx.index.label(code)
    if spec.partners and not partners.codes:
        raise InvalidData(f"no partner to re-source from ({partners.note()})")
    how = (f", re-sourced from {', '.join(partners.labels[c] for c in partners.codes)}"
           if partners.codes else ", re-sourced pro rata" if spec.resource else "")  # fmt: skip
    label = f"{name} cuts exports by {spec.fraction:.0%}{how}"
    after = sc.restrict_exports(
        base, code, spec.fraction, spec.resource, partners=partners.codes,
        governance=partners.governance, labels=partners.labels, split=spec.split,
    )  # fmt: skip
    lost = spec.fraction * sum(f.quantity_t for f in base.flows if f.exporter_code == code)
    notes = []
    if lost <= 0:
        notes.append(f"{name} supplies none of {base.economy.code}'s recorded imports of "
                     f"{base.material} in {base.year}")  # fmt: skip
    if after.shortfall_t > 0:
        notes.append(f"shortfall {_tonnes(after.shortfall_t)} counted at the worst governance "
                     f"weight ({sc.SHORTFALL_WEIGHT:g})")  # fmt: skip
    resourced = [f for f in after.flows if f.resourced]
    if resourced:
        floor = resourced[0].floor
        before = {f.exporter_code: 0.0 for f in base.flows}
        for f in base.flows:
            before[f.exporter_code] += f.quantity_t
        parts = ", ".join(
            f"{f.exporter} +{_tonnes(f.quantity_t)}"
            + (f" (x{1 + f.quantity_t / before[f.exporter_code]:.3g} its imports)"
               if before.get(f.exporter_code) else " (none before)")
            for f in resourced
        )  # fmt: skip
        notes.append(f"re-sourced {_tonnes(sum(f.quantity_t for f in resourced))}: {parts}; "
                     f"weighted no better than {name} ({floor:.3g})")  # fmt: skip
    used = [partners.labels[c] for c in partners.codes] or [f.exporter for f in resourced]
    if partners.dropped:
        notes.append(partners.note())
    return sc.compare(base, after, label, "; ".join(notes), used)


def _tonnes(t: float) -> str:
    return f"{t:,.0f} t" if t >= 10 else f"{t:.3g} t"


def _one_scenario(
    ctx: Context, base: Supply, spec: ScenarioSpec, partners: Partners
) -> sc.ScenarioResult:
    if spec.kind == "restrict":
        return _restrict(ctx, base, spec, partners)
    if spec.kind == "recycling":
        r0 = ctx.catalog.find(base.material).eol_rir_frac
        note = "" if spec.fraction > r0 else f"recycling input rate already {r0:.0%}"
        label = f"recycling input rate {r0:.0%} -> {spec.fraction:.0%}"
        return sc.compare(base, sc.raise_recycling(base, spec.fraction, r0), label, note)
    if spec.kind == "substitution":
        return sc.compare(
            base, sc.substitute(base, spec.fraction), f"demand cut by {spec.fraction:.0%}"
        )
    if not partners.codes:
        raise InvalidData(f"diversify: no partner left ({partners.note()})")
    after = sc.diversify(base, spec.fraction, partners.codes, partners.governance,
                         partners.labels, split=spec.split)  # fmt: skip
    names = [partners.labels[c] for c in partners.codes]
    label = f"{spec.fraction:.0%} moved to {len(names)} partners ({spec.split})"
    return sc.compare(base, after, label, partners.note(), names)


def two_way_ledger(
    ctx: Context, home_spec: str, partner_spec: str, year: int
) -> tuple[list[LedgerLine], list[Shift]]:
    """The ledger of ``year`` between home and partner for every traded material, and the
    largest shifts of either dependence from the first production year to ``year``."""
    check_year(ctx, year)
    home, partner = ctx.economy(home_spec), ctx.economy(partner_spec)
    if set(home.members) & set(partner.members):
        raise InvalidData(f"{partner.code} overlaps {home.code}: choose a partner outside it")
    first = min(ctx.catalog.production_years)
    lines = ledger(ctx.con, home, partner, ctx.catalog.names(None), first, year)
    return [line for line in lines if line.year == year], shifts(lines)
