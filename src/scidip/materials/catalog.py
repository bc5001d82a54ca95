"""The commodities in the store: names, HS codes, units, stages, recycling rates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from scidip.errors import NotFound

# Where World Mining Data's production (mine output) and BACI's traded forms are different
# stages of the supply chain; shown next to every score of these materials.
STAGE_CAVEATS = {
    "Cobalt": "production is mine output, trade is cobalt oxides, mattes and unwrought metal; "
    "refiners and re-exporters appear as origins",
    "Rare earth": "production is mined rare-earth oxide, trade is rare-earth compounds and "
    "metals; processors appear as origins",
    "Lithium": "production is mine output (Li2O), trade is lithium oxide, hydroxide and "
    "carbonate; converters appear as origins",
}
SHARED_HS = {
    "Coking Coal": "HS 270112 (bituminous coal) is counted in both Coking Coal and Steam Coal",
    "Steam Coal": "HS 270112 (bituminous coal) is counted in both Coking Coal and Steam Coal",
}

ORE_CAVEAT = (
    "ores and concentrates (HS chapter 26) trade in gross weight, World Mining Data gives mine "
    "production mostly as metal or oxide content: imported and produced tonnes are not "
    "comparable (import risk, CRMA shares and import reliance mix the two)"
)
FOB_CAVEAT = "BACI's values are FOB (exporter's border): the import price excludes freight"


@dataclass(frozen=True)
class Material:
    """One commodity: its name, HS 1992 codes, production unit, stage, EoL-RIR (0–1)."""

    name: str
    hs_codes: tuple[int, ...]
    unit: str
    stage: str | None
    eol_rir_frac: float
    peer_supported: bool

    @property
    def traded(self) -> bool:
        """Whether the material has HS codes (and so trade data)."""
        return bool(self.hs_codes)


class Catalog:
    """The store's materials, looked up by name case-insensitively."""

    def __init__(self, materials: Iterable[Material], years: Iterable[int]) -> None:
        self.materials = {m.name: m for m in materials}
        self._keys = {m.lower(): m for m in self.materials}
        self.production_years = tuple(sorted(years))

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Catalog:
        """Read ``materials``, ``material_hs`` and the production years from the store."""
        rows = con.execute(
            """SELECT m.material, list(h.hs_code ORDER BY h.role DESC, h.hs_code)
                        FILTER (WHERE h.hs_code IS NOT NULL),
                      (SELECT first(p.unit ORDER BY p.row_index) FROM production p
                        WHERE p.material = m.material),
                      m.stage, coalesce(m.eol_rir_frac, 0), m.peer_supported
               FROM materials m LEFT JOIN material_hs h USING (material)
               GROUP BY ALL ORDER BY m.material"""
        ).fetchall()
        years = [r[0] for r in con.execute("SELECT DISTINCT year FROM production").fetchall()]
        mats = (
            Material(str(r[0]), tuple(r[1] or ()), str(r[2]), r[3], float(r[4]), bool(r[5]))
            for r in rows
        )
        return cls(mats, years)

    def find(self, name: str) -> Material:
        """The material called ``name`` (case-insensitive); :class:`NotFound` otherwise."""
        hit = self._keys.get(name.strip().lower())
        if hit is None:
            raise NotFound(f"unknown material {name!r}; known: {', '.join(sorted(self.materials))}")
        return self.materials[hit]

    def names(self, specs: Iterable[str] | None = None, *, traded_only: bool = True) -> list[str]:
        """The names ``specs`` give, or every (traded) material when ``specs`` is empty."""
        specs = [s for s in (specs or []) if s.strip()]
        if specs:
            return [self.find(s).name for s in specs]
        return [m.name for m in self.materials.values() if m.traded or not traded_only]


def caveats(material: Material) -> list[str]:
    """What to print next to every number of ``material``: stage mismatch, shared HS codes,
    ores traded by gross weight."""
    found = [STAGE_CAVEATS.get(material.name), SHARED_HS.get(material.name)]
    if any(str(code).startswith("26") for code in material.hs_codes):
        found.append(ORE_CAVEAT)
    return [c for c in found if c]
