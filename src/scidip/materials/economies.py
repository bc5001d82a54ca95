"""Importing economies: a country, the EU-27, or a user-defined group of countries.

An economy is a named set of BACI country codes. Trade between two members of the same economy
is internal: it counts in the economy's imports but carries no risk (weight 0), as the GeoPolRisk
method prescribes for regions (Koyamparambath et al. 2024, Sect. 2.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from scidip.errors import InvalidData, NotFound

# Member states of the European Union since 1 February 2020 (ISO 3166-1 alpha-3).
EU27: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
)  # fmt: skip
EU_ALIASES = {"EU", "EU27", "EU-27"}


@dataclass(frozen=True)
class Economy:
    """An importing economy: ``code`` (``JPN``, ``EU27`` or a group's name), its BACI members."""

    code: str
    name: str
    members: tuple[int, ...]

    @property
    def is_group(self) -> bool:
        """Whether the economy has more than one member (trade inside it carries no risk)."""
        return len(self.members) > 1


@dataclass(frozen=True)
class Country:
    """One BACI country: numeric code, BACI's name, ISO alpha-3 (harmonised)."""

    baci_code: int
    name: str
    iso3: str | None

    @property
    def until(self) -> int | None:
        """The last year of a historical entity (BACI's ``(...1990)``), else ``None``."""
        found = _UNTIL.search(self.name)
        return int(found.group(1)) if found else None


_UNTIL = re.compile(r"\(\.\.\.(\d{4})\)")


def repair_text(text: str) -> str:
    """UTF-8 read as Latin-1 (``TÃ¼rkiye``) decoded again (``Türkiye``); other text as is."""
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return fixed


class CountryIndex:
    """Look countries up by ISO alpha-3, BACI numeric code or BACI name (case-insensitive)."""

    def __init__(self, countries: Iterable[Country]) -> None:
        self.by_code: dict[int, Country] = {}
        self._keys: dict[str, Country] = {}
        for c in countries:
            self.by_code[c.baci_code] = c
            for key in (str(c.baci_code), c.name, c.iso3):
                # Current countries win over historical ones that share an ISO code (BEL/58).
                if key and key.upper() not in self._keys:
                    self._keys[key.upper()] = c

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> CountryIndex:
        """Read the store's ``countries`` table (historical entities last)."""
        rows = con.execute(
            "SELECT baci_code, name, iso3_harmonised FROM countries "
            "ORDER BY name LIKE '%(...%' , baci_code"
        ).fetchall()
        return cls(Country(int(r[0]), repair_text(str(r[1])), r[2]) for r in rows)

    def find(self, spec: str) -> Country:
        """The country ``spec`` names; :class:`NotFound` otherwise."""
        hit = self._keys.get(spec.strip().upper())
        if hit is None:
            raise NotFound(f"unknown country {spec!r} (use ISO alpha-3, BACI code or BACI name)")
        return hit

    def knows(self, spec: str) -> bool:
        """Whether ``spec`` names a country in the index."""
        return spec.strip().upper() in self._keys

    def successor(self, country: Country) -> Country | None:
        """The current country that shares a historical entity's ISO code (FRG → Germany)."""
        hit = self._keys.get((country.iso3 or "").upper())
        return hit if hit is not None and hit.until is None else None

    def label(self, baci_code: int) -> str:
        """ISO alpha-3 where known, else BACI's name."""
        c = self.by_code.get(baci_code)
        if c is None:
            return str(baci_code)
        return c.iso3 or c.name


def parse_groups(specs: Iterable[str]) -> dict[str, list[str]]:
    """``["ASEAN5=IDN,MYS,PHL,SGP,THA"]`` -> ``{"ASEAN5": ["IDN", ...]}``."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, members = spec.partition("=")
        items = [m.strip() for m in members.split(",") if m.strip()]
        if not sep or not name.strip() or not items:
            raise InvalidData(f"group {spec!r}: write NAME=AAA,BBB,...")
        groups[name.strip()] = items
    return groups


def resolve_economy(
    spec: str, index: CountryIndex, groups: Mapping[str, Iterable[str]] | None = None
) -> Economy:
    """The economy ``spec`` names: a user group, the EU-27 (``EU``, ``EU27``) or one country."""
    groups = groups or {}
    if spec in groups:
        members = [index.find(m) for m in groups[spec]]
        return Economy(spec, spec, tuple(sorted({m.baci_code for m in members})))
    if spec.strip().upper() in EU_ALIASES:
        # Members absent from the store (a user's own tables) simply have no data.
        members = [index.find(m) for m in EU27 if index.knows(m)]
        if not members:
            raise NotFound("no EU member state in the store's country table")
        return Economy("EU27", "European Union (27)", tuple(sorted(m.baci_code for m in members)))
    country = index.find(spec)
    if country.until is not None:
        now = index.successor(country)
        instead = f": use {now.iso3} ({now.name}, BACI {now.baci_code})" if now else ""
        raise InvalidData(
            f"{spec!r} is BACI {country.baci_code}, {country.name.split(' (...')[0]}, which "
            f"existed until {country.until}; the store's production data start later{instead}"
        )
    return Economy(country.iso3 or str(country.baci_code), country.name, (country.baci_code,))


def all_importers(con: duckdb.DuckDBPyConnection, index: CountryIndex) -> list[Economy]:
    """Every country that imports anything in the store's trade table, one economy each."""
    sql = "SELECT DISTINCT importer_code FROM trade ORDER BY 1"
    codes = [r[0] for r in con.execute(sql).fetchall()]
    out, used = [], set()
    for code in codes:
        c = index.by_code.get(int(code))
        label = index.label(int(code))
        # Historical entities can share an ISO code with their successor (58 and 56 are BEL).
        label = label if label not in used else str(code)
        used.add(label)
        out.append(Economy(label, c.name if c else str(code), (int(code),)))
    return out
