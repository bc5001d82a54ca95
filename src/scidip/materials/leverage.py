"""The two-way ledger between the home economy and a partner: what each depends on the other for.

For every traded material and year (tonnes from BACI, production from World Mining Data):

- ``partner_share_of_home_imports_pct``: the partner's share of the home economy's imports from
  outside it (what we depend on them for);
- ``home_share_of_partner_imports_pct``: the home economy's share of the partner's imports from
  outside it (what they depend on us for);
- ``home_share_of_world_exports_pct``: the home economy's exports to outside it, as a share of all
  recorded trade in the material (its weight as a supplier to the world);
- ``home_share_of_world_production_pct``: its share of world production (World Mining Data).

Each figure is a share of tonnes in one year; ``None`` where the denominator is empty. Trade is
gross weight of what crosses a border (a re-exporter counts as the origin: see
:mod:`scidip.materials.risk`), so a large share can be a transit share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from scidip.materials.economies import Economy

_SQL = """
WITH hs AS (SELECT material, hs_code FROM material_hs WHERE list_contains($materials, material)),
t AS (
  SELECT hs.material, t.year, t.exporter_code AS e, t.importer_code AS i, t.quantity_t AS q
  FROM trade t JOIN hs USING (hs_code)
  WHERE t.year BETWEEN $first AND $last AND t.quantity_t > 0),
flows AS (
  SELECT material, year,
    sum(q) FILTER (WHERE list_contains($home, i) AND list_contains($partner, e)) AS from_partner,
    sum(q) FILTER (WHERE list_contains($home, i) AND NOT list_contains($home, e)) AS home_in,
    sum(q) FILTER (WHERE list_contains($partner, i) AND list_contains($home, e)) AS to_partner,
    sum(q) FILTER (WHERE list_contains($partner, i) AND NOT list_contains($partner, e))
      AS partner_in,
    sum(q) FILTER (WHERE list_contains($home, e) AND NOT list_contains($home, i)) AS home_out,
    sum(q) AS world
  FROM t GROUP BY ALL),
prod AS (
  SELECT material, year,
    sum(coalesce(production, 0)) FILTER (WHERE list_contains($home, baci_code)) AS home_p,
    sum(coalesce(production, 0)) AS world_p
  FROM production
  WHERE list_contains($materials, material) AND year BETWEEN $first AND $last
    AND NOT is_world_total
  GROUP BY ALL)
SELECT f.material, f.year,
  100 * coalesce(f.from_partner, 0) / nullif(f.home_in, 0),
  100 * coalesce(f.to_partner, 0) / nullif(f.partner_in, 0),
  100 * coalesce(f.home_out, 0) / nullif(f.world, 0),
  100 * coalesce(p.home_p, 0) / nullif(p.world_p, 0),
  coalesce(f.from_partner, 0), coalesce(f.to_partner, 0)
FROM flows f LEFT JOIN prod p USING (material, year)
ORDER BY f.material, f.year
"""


@dataclass(frozen=True)
class LedgerLine:
    """One material in one year, both ways (shares in %, tonnes in t)."""

    material: str
    year: int
    partner_share_of_home_imports_pct: float | None
    home_share_of_partner_imports_pct: float | None
    home_share_of_world_exports_pct: float | None
    home_share_of_world_production_pct: float | None
    home_imports_from_partner_t: float
    partner_imports_from_home_t: float


@dataclass(frozen=True)
class Shift:
    """The change of a share between two years, in percentage points."""

    material: str
    direction: str  # "we depend on them" or "they depend on us"
    first_year: int
    last_year: int
    first_pct: float
    last_pct: float

    @property
    def change_pp(self) -> float:
        """last − first, percentage points."""
        return self.last_pct - self.first_pct


def ledger(
    con: duckdb.DuckDBPyConnection,
    home: Economy,
    partner: Economy,
    materials: Sequence[str],
    first: int,
    last: int,
) -> list[LedgerLine]:
    """Every (material, year) from ``first`` to ``last`` with any recorded trade in it."""
    params = {
        "materials": list(materials), "home": list(home.members),
        "partner": list(partner.members), "first": first, "last": last,
    }  # fmt: skip
    return [
        LedgerLine(str(m), int(y), _num(s1), _num(s2), _num(s3), _num(s4), float(a), float(b))
        for m, y, s1, s2, s3, s4, a, b in con.execute(_SQL, params).fetchall()
    ]


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def shifts(lines: Sequence[LedgerLine], n: int = 5) -> list[Shift]:
    """The ``n`` largest changes (either way, either direction) between each material's first and
    last year in ``lines``, largest first; changes under one percentage point are left out."""
    by: dict[str, list[LedgerLine]] = {}
    for line in lines:
        by.setdefault(line.material, []).append(line)
    found = []
    for material, series in by.items():
        series.sort(key=lambda x: x.year)
        a, b = series[0], series[-1]
        for direction, first, last in (
            ("we depend on them", a.partner_share_of_home_imports_pct,
             b.partner_share_of_home_imports_pct),
            ("they depend on us", a.home_share_of_partner_imports_pct,
             b.home_share_of_partner_imports_pct),
        ):  # fmt: skip
            if first is not None and last is not None and abs(last - first) >= 1.0:
                found.append(Shift(material, direction, a.year, b.year, first, last))
    return sorted(found, key=lambda s: (-abs(s.change_pp), s.material))[:n]
