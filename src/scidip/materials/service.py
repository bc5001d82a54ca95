"""The materials services the CLI (and later the web) call: one function per question."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scidip.errors import InvalidData
from scidip.materials import scenario as sc
from scidip.materials.catalog import Catalog
from scidip.materials.economies import CountryIndex, Economy, all_importers, resolve_economy
from scidip.materials.eu import CRMACheck, EUSupplyRisk, crma_check, supply_risk
from scidip.materials.flows import Supply, governance_of, load_supply
from scidip.materials.grid import Mode, compute
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
    """Open the store in ``store_dir`` (:class:`NotFound` when it was never fetched)."""
    store = MaterialsStore(store_dir).require()
    con = store.connect()
    return Context(store, con, Catalog.load(con), CountryIndex.load(con), groups or {})


def parse_years(spec: str) -> list[int]:
    """``"2022"``, ``"2018-2024"`` or ``"2018,2020"`` -> list of years (inclusive ranges)."""
    years: list[int] = []
    try:
        for part in spec.split(","):
            lo, _, hi = part.strip().partition("-")
            years.extend(range(int(lo), int(hi or lo) + 1))
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
    """GeoPolRisk results for every importer × year × material asked (all traded by default).

    The importer ``ALL`` stands for every country that imports anything in the trade data.
    """
    if [i.strip().upper() for i in importers] == ["ALL"]:
        economies = all_importers(ctx.con, ctx.index)
    else:
        economies = [ctx.economy(i) for i in importers]
    names = ctx.catalog.names(materials, traded_only=True)
    return assess(ctx.con, ctx.catalog, economies, years, names, mode)


def supplies(ctx: Context, economy: Economy, materials: Sequence[str], year: int) -> list[Supply]:
    """The supply behind each material's score, with its HHI for the year (default mode)."""
    names = [ctx.catalog.find(m).name for m in materials]
    hhi = {r["material"]: r["hhi"] for r in compute(ctx.con, [economy], [year], names).to_pylist()}
    return [load_supply(ctx.con, ctx.index, economy, n, year, hhi.get(n)) for n in names]


def supply(ctx: Context, economy: Economy, material: str, year: int) -> Supply:
    """The supply behind one score."""
    return supplies(ctx, economy, [material], year)[0]


def suppliers(
    ctx: Context, economy_spec: str, material: str, year: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Import shares by exporter, with governance and weights, and a summary (CRMA check)."""
    economy = ctx.economy(economy_spec)
    sup = supply(ctx, economy, material, year)
    total = sup.imports_t
    base = total + sup.own_t
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
            "note": "inside the economy" if f.internal else (
                "no WGI score: 0.5" if f.governance is None else ""),
        }
        for f in sup.flows
    ]  # fmt: skip
    check = crma_check(sup, economy)
    summary = {
        "material": sup.material,
        "economy": economy.code,
        "year": year,
        "imports_t": total,
        "own_production_t": sup.own_t,
        "score": sc.score(sup),
        "crma": check.__dict__,
        "suppliers": rows,
    }
    return rows, summary


def crma(
    ctx: Context, economy_spec: str, year: int, materials: Iterable[str] | None
) -> list[CRMACheck]:
    """CRMA 65 % check for each material."""
    economy = ctx.economy(economy_spec)
    return [
        crma_check(s, economy) for s in supplies(ctx, economy, ctx.catalog.names(materials), year)
    ]


def eu_risk(
    ctx: Context,
    economy_spec: str,
    year: int,
    materials: Iterable[str] | None = None,
    substitution_index: float = 1.0,
) -> list[EUSupplyRisk]:
    """EU supply risk per material (materials without production data that year are left out
    with no row; the caller lists them)."""
    economy = ctx.economy(economy_spec)
    out = []
    for sup in supplies(ctx, economy, ctx.catalog.names(materials), year):
        rir = ctx.catalog.find(sup.material).eol_rir_frac
        res = supply_risk(ctx.con, sup, rir, substitution_index)
        if res is not None:
            out.append(res)
    return out


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario: ``kind`` is restrict / recycling / substitution / diversify."""

    kind: str
    supplier: str | None = None
    fraction: float = 0.0
    resource: bool = False
    partners: tuple[str, ...] = ()


def scenario(
    ctx: Context,
    economy_spec: str,
    year: int,
    materials: Iterable[str] | None,
    spec: ScenarioSpec,
) -> list[sc.ScenarioResult]:
    """Score before and after ``spec`` for each material."""
    economy = ctx.economy(economy_spec)
    bases = supplies(ctx, economy, ctx.catalog.names(materials), year)
    return [_one_scenario(ctx, base, spec) for base in bases]


def _one_scenario(ctx: Context, base: Supply, spec: ScenarioSpec) -> sc.ScenarioResult:
    label = f"{spec.kind} {spec.fraction:.0%}"
    if spec.kind == "restrict":
        if not spec.supplier:
            raise InvalidData("restrict needs --supplier")
        code = ctx.index.find(spec.supplier).baci_code
        label = f"{spec.supplier} cuts exports by {spec.fraction:.0%}" + (
            ", re-sourced pro rata" if spec.resource else "")  # fmt: skip
        return sc.compare(
            base, sc.restrict_exports(base, code, spec.fraction, spec.resource), label
        )
    if spec.kind == "recycling":
        r0 = ctx.catalog.find(base.material).eol_rir_frac
        note = "" if spec.fraction > r0 else f"recycling input rate already {r0:.0%}"
        label = f"recycling input rate {r0:.0%} -> {spec.fraction:.0%}"
        return sc.compare(base, sc.raise_recycling(base, spec.fraction, r0), label, note)
    if spec.kind == "substitution":
        return sc.compare(
            base, sc.substitute(base, spec.fraction), f"demand cut by {spec.fraction:.0%}"
        )
    if spec.kind == "diversify":
        codes = [ctx.index.find(p).baci_code for p in spec.partners]
        gov = governance_of(ctx.con, codes, base.year)
        labels = {c: ctx.index.label(c) for c in codes}
        after = sc.diversify(base, spec.fraction, codes, gov, labels)
        return sc.compare(base, after, f"{spec.fraction:.0%} moved to {len(codes)} partners")
    raise InvalidData(
        f"unknown scenario {spec.kind!r}: restrict, recycling, substitution, diversify"
    )
