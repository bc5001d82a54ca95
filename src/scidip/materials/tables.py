"""How materials results are laid out as tables for people: human headers, the columns that fit
the reader's width, the reasons and corrections as numbered notes, rows sorted by score.

Pure functions over result rows (dicts); the CLI prints what they return, and JSON and CSV keep
every field. Nothing here computes a number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A column: the row key, its header, and its rank when the width runs out (0 kept first)."""

    key: str
    header: str
    rank: int


RISK = (
    Column("material", "material", 0), Column("economy", "economy", 1), Column("year", "year", 1),
    Column("status", "status", 2), Column("score", "score", 0), Column("score_peer", "peer", 5),
    Column("hhi", "HHI", 4), Column("import_risk", "import risk", 3),
    Column("price_usd_per_kg", "USD/kg", 6), Column("cf_kg_cu_eq", "kg Cu-eq/kg", 6),
    Column("cf_peer", "peer kg Cu-eq/kg", 7), Column("notes", "notes", 1),
)  # fmt: skip
SCENARIO = (
    Column("material", "material", 0), Column("economy", "economy", 1), Column("year", "year", 1),
    Column("score_before", "score before", 0), Column("score_after", "score after", 0),
    Column("change_pct", "change %", 2), Column("shortfall_t", "shortfall t", 3),
    Column("shortfall_pct", "shortfall %", 2), Column("resourced_t", "re-sourced t", 4),
    Column("notes", "notes", 1),
)  # fmt: skip
EU_RISK = (
    Column("material", "material", 0), Column("economy", "economy", 1), Column("year", "year", 1),
    Column("supply_risk", "SR", 0), Column("hhi_wgi_global", "HHI-WGI global", 3),
    Column("hhi_wgi_sourcing", "HHI-WGI sourcing", 3), Column("import_reliance", "IR", 4),
    Column("eol_rir", "EoL-RIR", 5), Column("substitution_index", "SI", 6),
    Column("sourcing_basis", "basis", 2), Column("notes", "notes", 1),
)  # fmt: skip
CRMA = (
    Column("material", "material", 0), Column("economy", "economy", 1), Column("year", "year", 1),
    Column("top_supplier", "largest third country", 0), Column("share_pct", "share %", 0),
    Column("exceeds", "above 65 %", 1), Column("notes", "notes", 1),
)  # fmt: skip
SUPPLIERS = (
    Column("exporter", "exporter", 0), Column("name", "name", 4), Column("quantity_t", "t", 1),
    Column("value_kusd", "kUSD", 5), Column("share_pct", "% of imports", 0),
    Column("supply_share_pct", "% of supply", 2), Column("wgi_normalised", "WGI 0-1", 3),
    Column("weight", "weight", 3), Column("note", "note", 1),
)  # fmt: skip
LEDGER = (
    Column("material", "material", 0), Column("year", "year", 1),
    Column("partner_share_of_home_imports_pct", "their % of our imports", 0),
    Column("home_share_of_partner_imports_pct", "our % of their imports", 0),
    Column("home_share_of_world_exports_pct", "our % of world exports", 1),
    Column("home_share_of_world_production_pct", "our % of world production", 2),
    Column("home_imports_from_partner_t", "t from them", 3),
    Column("partner_imports_from_home_t", "t to them", 3),
)  # fmt: skip
STAGES = (
    Column("stage", "stage (product)", 0), Column("capacity_t", "t/y", 3),
    Column("countries", "countries", 4),
    Column("hhi", "HHI", 0), Column("top_country", "largest", 1),
    Column("top_share_pct", "%", 1), Column("third_country_above_65", "above 65 %", 2),
    Column("shares", "shares", 5), Column("notes", "notes", 1),
)  # fmt: skip
MATERIALS = (
    Column("material", "material", 0), Column("hs_codes", "HS 1992 codes", 0),
    Column("unit", "unit", 2), Column("stage", "stage", 3), Column("eol_rir_frac", "EoL-RIR", 2),
    Column("peer_supported", "peer", 4),
)  # fmt: skip


def text(value: Any) -> str:
    """A cell as printed: six significant digits, lists joined, nothing for ``None``."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(text(v) for v in value)
    return str(value)


def number_notes(rows: Sequence[Row], texts: Callable[[Row], Iterable[str]]) -> list[str]:
    """Each row's ``texts`` as numbered notes, shared between rows: ``row["notes"]`` gets the
    numbers (``1,3``); returns the notes in order."""
    notes: list[str] = []
    for row in rows:
        refs = []
        for note in texts(row):
            if not note:
                continue
            if note not in notes:
                notes.append(note)
            refs.append(str(notes.index(note) + 1))
        row["notes"] = ",".join(refs)
    return notes


def by_score(rows: Sequence[Row], key: str) -> list[Row]:
    """Rows grouped by economy and year as they come, highest ``key`` first, blanks last."""
    groups: dict[tuple[Any, Any], int] = {}
    for row in rows:
        groups.setdefault((row.get("economy"), row.get("year")), len(groups))

    def order(row: Row) -> tuple[int, int, float]:
        value = row.get(key)
        number = float(value) if isinstance(value, (int, float)) else math.nan
        blank = math.isnan(number)
        return (groups[(row.get("economy"), row.get("year"))], blank, 0.0 if blank else -number)

    return sorted(rows, key=order)


def fit(
    rows: Sequence[Row], columns: Sequence[Column], width: int
) -> tuple[list[Column], dict[str, str], list[str]]:
    """The columns to print within ``width`` characters; the columns whose value is the same in
    every row (``{header: value}``, for a title line instead); the headers left out."""
    shared = {}
    varying = []
    for col in columns:
        values = {text(r.get(col.key)) for r in rows}
        if len(rows) > 1 and len(values) == 1 and col.key in {"economy", "year"}:
            shared[col.header] = values.pop()
        elif any(col.key in r for r in rows):
            varying.append(col)
    widths = {
        c.key: max([len(c.header), *(min(len(text(r.get(c.key))), 40) for r in rows)]) + 3
        for c in varying
    }
    kept: set[str] = set()
    total = 4
    for col in sorted(varying, key=lambda c: c.rank):
        if not kept or total + widths[col.key] <= width:
            kept.add(col.key)
            total += widths[col.key]
    return (
        [c for c in varying if c.key in kept],
        shared,
        [c.header for c in varying if c.key not in kept],
    )


def display(rows: Sequence[Row], columns: Sequence[Column]) -> list[dict[str, str]]:
    """Rows keyed by header, cells as text."""
    return [{c.header: text(r.get(c.key)) for c in columns} for r in rows]


def title(shared: Mapping[str, str], left_out: Sequence[str], prefix: str = "") -> str:
    """``JPN 2024; columns left out for width: USD/kg (use --format csv)``."""
    parts = [prefix] if prefix else []
    if shared:
        parts.append(" ".join(shared.values()))
    if left_out:
        parts.append(f"left out for width: {', '.join(left_out)} (--format csv has every field)")
    return "; ".join(parts)
