"""GeoPolRisk scores with their reasons: every requested combination answered or refused.

:func:`assess` runs :func:`scidip.materials.grid.compute` and explains each row in one more
DuckDB query: ``status`` is ``ok``, ``estimate`` (the trade data cannot identify the material:
the score stands on global supply, :mod:`scidip.materials.globalsupply`, and the reason says
why), ``no score`` (the data cannot give one; the reason says why) or ``refused`` (the request is
outside what the data or the mode covers). In the default mode every departure from
geopolrisk-py 2.0.1 is listed in ``corrections`` and the peer's own score and CF are shown
beside ours (``score_peer``, ``cf_peer``); ``cf_reason`` says why a scored row has no CF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import duckdb

from scidip.materials.catalog import Catalog, Material, caveats
from scidip.materials.compat import PEER_NOTES, PEER_REASON, PEER_STATUS
from scidip.materials.economies import Economy
from scidip.materials.globalsupply import GlobalSupply, estimate
from scidip.materials.grid import Mode, compute_into
from scidip.materials.hs import untraced_reason
from scidip.materials.methods import CF_COPPER_MIN, PEER_CF_COPPER
from scidip.materials.store import temp_table

OK, ESTIMATE, NO_SCORE, REFUSED = "ok", "estimate", "no score", "refused"


@dataclass
class RiskResult:
    """The GeoPolRisk result for one material, importing economy and year.

    ``score`` (0–1) is ``None`` unless ``status`` is ``ok`` or ``estimate``; ``price_usd_per_kg``
    is thousand USD per tonne; ``cf_kg_cu_eq`` divides by copper's score × price for the same
    economy and year (the method; ``cf_reason`` says why it is missing where there is a score),
    ``cf_peer`` is the peer's CF (its score × price / 0.409412948).
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
    cf_reason: str = ""
    reason: str = ""
    corrections: list[str] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        """A flat dict for :func:`scidip.cli.output.render`."""
        return dict(self.__dict__)


_FIELDS = [f.name for f in fields(RiskResult)]
_DEFAULT_STATUS = """CASE WHEN g.hhi IS NULL OR g.world_trade_rows = 0 OR g.imports_t <= 0
  THEN 'no score' ELSE 'ok' END"""
_DEFAULT_REASON = """CASE
  WHEN g.hhi IS NULL THEN format('no production of {} recorded in {}: no HHI', g.material, g.year)
  WHEN g.world_trade_rows = 0
    THEN format('BACI records no trade at all in HS {} in {}', n.hs_text, g.year)
  WHEN g.imports_t <= 0
    THEN format('no recorded imports of {} into {} in {}{} (peer reports 0)', g.material,
                g.economy, g.year,
                CASE WHEN g.own_t > 0 THEN printf('; own production %.6g t', g.own_t) ELSE '' END)
  ELSE '' END"""
_DEFAULT_NOTES = """CASE WHEN g.hhi IS NULL OR g.world_trade_rows = 0 THEN []::VARCHAR[]
  ELSE list_filter([
  CASE WHEN g.unit = 'Mio m3' AND g.own_t > 0
       THEN 'own production converted from million m³ to t at 0.8 kg/m³ '
            || '(peer adds million m³ to tonnes)' END,
  CASE WHEN g.n_noqty > 0
       THEN printf('%d trade rows without quantity (value %.6g kUSD) left out of price and '
                   || 'quantities (peer keeps their value: higher price)', g.n_noqty,
                   g.noqty_kusd) END,
  CASE WHEN g.taiwan
       THEN 'Taiwan (BACI ''Other Asia, nes'') weighted by its own WGI score (peer: 0.5)' END,
  CASE WHEN g.no_gov IS NOT NULL
       THEN printf('exporters without a WGI score weighted 0.5: %s (%.1f%% of imports)',
                   array_to_string(g.no_gov, ', '),
                   CASE WHEN g.imports_t > 0 THEN 100 * g.no_gov_t / g.imports_t ELSE 0 END) END,
  CASE WHEN abs(g.hhi_trunc - g.hhi_exact) > 1e-12 * abs(g.hhi_exact)
       THEN 'HHI from unrounded production (peer truncates to whole units)' END,
  'CF divided by copper''s score × price for this economy and year (peer: constant)',
  CASE WHEN g.score_peer IS NULL AND m.peer_supported
       THEN 'the peer gives no score here (it would stop its batch: no HHI or governance '
            || 'text ''None'')'
       WHEN isnan(g.score_peer) THEN 'the peer''s score is NaN (governance text ''nan''): '
            || 'shown as null' END,
  CASE WHEN g.non_producers IS NOT NULL
       THEN 'suppliers World Mining Data records no production of ' || g.material || ' for: '
            || array_to_string(g.non_producers, ', ')
            || ' of imports (re-exporters or processors, not the origin)' END
  ] || n.caveats, lambda x: x IS NOT NULL) END"""
_DEFAULT_CF_REASON = """CASE
  WHEN s.status <> 'ok' THEN ''
  WHEN g.copper_score_price IS NULL
    THEN format('no CF: copper has no score for {} in {} (no recorded imports of copper ore)',
                g.economy, g.year)
  WHEN g.copper_score_price < {cf_min}
    THEN printf('no CF: copper''s score × price for %s in %d is %.3g, under a tenth of the '
                || 'OECD 2017–2021 average (%.3g): the divisor, not the material, would drive '
                || 'the CF (see cf_peer)', g.economy, g.year, g.copper_score_price, {cf_avg})
  ELSE '' END"""
_PEER_CF_REASON = """CASE WHEN s.status = 'ok' AND g.cf_peer IS NULL
  THEN 'no CF: no import price' ELSE '' END"""

_EXPLAIN = """
SELECT g.material, g.economy, g.year, s.status,
       CASE WHEN s.status = 'ok' THEN g.score END AS score, {score_peer} AS score_peer, g.hhi,
       CASE WHEN s.status = 'ok' THEN g.import_risk END AS import_risk,
       g.imports_t, g.own_t AS production_t, g.price_usd_per_kg,
       CASE WHEN s.status = 'ok' THEN {cf} END AS cf_kg_cu_eq,
       CASE WHEN s.status = 'ok' OR {cf_peer} IS NOT NULL THEN {cf_peer} END AS cf_peer,
       {cf_reason} AS cf_reason,
       {reason} AS reason,
       CASE WHEN s.status = 'ok' OR s.status = 'no score' THEN {notes} ELSE []::VARCHAR[] END
         AS corrections
FROM grid_rows g
JOIN (SELECT material, economy, year, {status} AS status FROM grid_rows g) s
  ON s.material = g.material AND s.economy = g.economy AND s.year = g.year
JOIN notes n ON n.material = g.material
JOIN materials m ON m.material = g.material
JOIN economy_order e ON e.economy = g.economy
JOIN year_order y ON y.year = g.year
ORDER BY n.position, e.position, y.position
"""


def _explain_sql(mode: Mode) -> str:
    if mode is Mode.peer:
        return _EXPLAIN.format(
            score_peer="NULL::DOUBLE", cf="NULL::DOUBLE", cf_peer="g.cf_peer",
            cf_reason=_PEER_CF_REASON, reason=PEER_REASON, notes=PEER_NOTES, status=PEER_STATUS,
        )  # fmt: skip
    cf_reason = _DEFAULT_CF_REASON.replace("{cf_min}", repr(CF_COPPER_MIN)).replace(
        "{cf_avg}", repr(PEER_CF_COPPER)
    )
    return _EXPLAIN.format(
        score_peer="CASE WHEN isnan(g.score_peer) THEN NULL ELSE g.score_peer END",
        cf="g.cf_kg_cu_eq", cf_peer="CASE WHEN isnan(g.cf_peer_of_peer) THEN NULL "
        "ELSE g.cf_peer_of_peer END", cf_reason=cf_reason, reason=_DEFAULT_REASON,
        notes=_DEFAULT_NOTES, status=_DEFAULT_STATUS,
    )  # fmt: skip


def _request_tables(
    con: duckdb.DuckDBPyConnection,
    mats: Sequence[Material],
    economies: Sequence[Economy],
    years: Sequence[int],
) -> None:
    """The explain query's inputs: each material's notes, and the order of the request."""
    temp_table(con, "notes", {
        "position": ("INTEGER", list(range(len(mats)))),
        "material": ("VARCHAR", [m.name for m in mats]),
        "hs_text": ("VARCHAR", [", ".join(str(c) for c in m.hs_codes) for m in mats]),
        "caveats": ("VARCHAR[]", [caveats(m) for m in mats]),
    })  # fmt: skip
    temp_table(con, "economy_order", {
        "economy": ("VARCHAR", [e.code for e in economies]),
        "position": ("INTEGER", list(range(len(economies)))),
    })  # fmt: skip
    temp_table(con, "year_order", {
        "year": ("SMALLINT", list(years)), "position": ("INTEGER", list(range(len(years)))),
    })  # fmt: skip


def _explained(
    con: duckdb.DuckDBPyConnection,
    mats: Sequence[Material],
    economies: Sequence[Economy],
    years: Sequence[int],
    mode: Mode,
) -> list[RiskResult]:
    """The rows of the temporary table ``grid_rows`` for ``mats`` × ``economies`` × ``years``,
    explained, in that order."""
    _request_tables(con, mats, economies, years)
    try:
        cur = con.execute(_explain_sql(mode))
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS notes; DROP TABLE IF EXISTS economy_order; "
                    "DROP TABLE IF EXISTS year_order")  # fmt: skip
    # The query's columns are RiskResult's fields, in order: build positionally (fast).
    if names != _FIELDS:
        raise RuntimeError(f"explain query columns {names} differ from {_FIELDS}")
    return [RiskResult(*row) for row in rows]


def _material_refusal(mat: Material, mode: Mode) -> str | None:
    if mode is Mode.peer and not mat.peer_supported:
        return f"geopolrisk-py 2.0.1 does not cover {mat.name} (no HS code in its map)"
    if mode is Mode.peer and not mat.traded:
        return f"{mat.name} has no HS code: no trade data"
    return None


def _year_refusal(year: int, years: Sequence[int]) -> str | None:
    if year in years:
        return None
    span = f"{years[0]}–{years[-1]}" if years else "none"
    return f"no production data for {year} (World Mining Data in the store: {span})"


def _estimated(est: GlobalSupply, mat: Material, economy: str) -> RiskResult:
    """A result on global supply, with the reason the trade data could not give one."""
    why = untraced_reason(mat.name, mat.hs_codes, est.year)
    own = f"; own production {est.own_t:.6g} t weighs 0" if est.own_share > 0 else ""
    reason = (
        f"{why}; estimated from global supply (the EU method's rule where sourcing is unknown): "
        f"as if {economy} drew on world production as shared ({est.top()}){own}"
    )
    return RiskResult(
        mat.name, economy, est.year, ESTIMATE, score=est.score, hhi=est.hhi,
        import_risk=est.import_risk, production_t=est.own_t,
        cf_reason="no CF: no import price without trade data", reason=reason,
        corrections=caveats(mat),
    )  # fmt: skip


def assess(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    economies: Sequence[Economy],
    years: Sequence[int],
    materials: Sequence[str],
    mode: Mode = Mode.default,
) -> list[RiskResult]:
    """Results for every (material, economy, year) asked, in that order; none silently missing.

    A combination asked twice is answered once. In the default mode, materials the trade data
    cannot identify (no HS code; no trade at all in their code that year) are estimated on
    global supply where there is production.
    """
    mats = list({m.name: m for m in (catalog.find(x) for x in materials)}.values())
    econs = list({e.code: e for e in economies}.values())
    years = list(dict.fromkeys(years))
    ok_years = [y for y in years if y in catalog.production_years]
    ok_mats = [m for m in mats if ok_years and _material_refusal(m, mode) is None]
    traded = [m for m in ok_mats if m.traded]
    computed: list[RiskResult] = []
    untraced: list[tuple[str, int]] = []
    if traded:
        names = [m.name for m in traded]
        compute_into(con, "grid_rows", econs, ok_years, names, mode, with_peer=mode is Mode.default)
        try:
            computed = _explained(con, traded, econs, ok_years, mode)
            if mode is Mode.default:
                untraced = _no_world_trade(con, names)
        finally:
            con.execute("DROP TABLE IF EXISTS grid_rows")
    if mode is Mode.default:
        untraced += [(m.name, y) for m in ok_mats if not m.traded for y in ok_years]
    if untraced:
        computed = _with_estimates(con, computed, untraced, econs, catalog)
    complete = len(computed) == len(mats) * len(econs) * len(years) and not untraced
    return computed if complete else _merge(mats, econs, years, mode, catalog, computed)


def _no_world_trade(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> list[tuple[str, int]]:
    """(material, year) pairs of ``names`` in ``grid_rows`` with no trade at all in their HS
    codes."""
    rows = con.execute(
        "SELECT DISTINCT material, year FROM grid_rows WHERE world_trade_rows = 0 "
        "AND list_contains($names, material) ORDER BY ALL",
        {"names": list(names)},
    ).fetchall()
    return [(str(m), int(y)) for m, y in rows]


def _with_estimates(
    con: duckdb.DuckDBPyConnection,
    computed: list[RiskResult],
    pairs: list[tuple[str, int]],
    econs: Sequence[Economy],
    catalog: Catalog,
) -> list[RiskResult]:
    """``computed`` with global-supply estimates in place of (or beside) untraceable rows."""
    found = estimate(con, pairs, econs)
    wanted = set(pairs)
    out = [
        replace(_estimated(found[key], catalog.find(r.material), r.economy),
                score_peer=r.score_peer, cf_peer=r.cf_peer)
        if (r.material, r.year) in wanted and (key := (r.material, r.economy, r.year)) in found
        else r
        for r in computed
    ]  # fmt: skip
    seen = {(r.material, r.economy, r.year) for r in out}
    for (material, economy, year), est in found.items():
        if (material, economy, year) not in seen:
            out.append(_estimated(est, catalog.find(material), economy))
    return out


def _merge(
    mats: Sequence[Material],
    econs: Sequence[Economy],
    years: Sequence[int],
    mode: Mode,
    catalog: Catalog,
    computed: list[RiskResult],
) -> list[RiskResult]:
    """Computed results in request order, with a refusal for every combination not computed."""
    by_key = {(r.material, r.economy, r.year): r for r in computed}
    out = []
    for mat in mats:
        refusal = _material_refusal(mat, mode)
        for econ in econs:
            for year in years:
                res = by_key.get((mat.name, econ.code, year))
                if res is not None:
                    out.append(res)
                    continue
                why = _year_refusal(year, catalog.production_years) or refusal
                if why is None and not mat.traded:
                    why = (f"{untraced_reason(mat.name, mat.hs_codes)}, and World Mining Data "
                           f"records no production of {mat.name} in {year}")  # fmt: skip
                out.append(RiskResult(mat.name, econ.code, year, REFUSED,
                                      reason=why or "not computed"))  # fmt: skip
    return out
