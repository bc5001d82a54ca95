"""What the reports say about researcher flows: the country brief's "researcher flows with the
partner" and the annual annex's net scholar migration of the home country — from the MPIDR
reference series and, where computed, SciDip's own figures, each with its source and method.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scidip.errors import NotFound
from scidip.indicators.brief import SYNTHETIC_NOTE
from scidip.indicators.mobility import service
from scidip.indicators.mobility.reference import reference_meta, reference_rows
from scidip.indicators.store import Store

#: Years summed for the flows with a partner (the latest five the source has).
YEARS = 5
METHOD = (
    "Method (MPIDR): a scholar's country in a year is the modal country of their affiliations "
    "in that year's publications; a migration is a change of that country between publication "
    "years."
)


def _span(years: list[int], as_of: date) -> tuple[int, int] | None:
    before = [y for y in years if y < as_of.year]
    if not before:
        return None
    last = max(before)
    return last - YEARS + 1, last


def _scholars(n: int) -> str:
    return f"{n:,} scholar{'' if n == 1 else 's'}"


def _years(store: Store, source: str) -> list[int]:
    rows = (
        reference_rows(store, "mpidr_flows") if source == "mpidr" else service.read(store, "flows")
    )
    return sorted({int(r["year"]) for r in rows})


def flow_paragraphs(
    store_dir: Path, home: str, home_name: str, partner: str, partner_name: str, as_of: date
) -> list[str] | None:
    """The brief's paragraphs on flows between ``home`` and ``partner`` (None: nothing)."""
    store = Store(store_dir).snapshot()
    try:
        meta = reference_meta(store)
    except NotFound:
        return None
    lines = []
    for source, label in (("mpidr", f"MPIDR Scopus flows: {meta['citation']}"), ("scidip", "")):
        try:
            span = _span(_years(store, source), as_of)
        except NotFound:
            continue
        if span is None:
            continue
        rows = service.partner_flows(store, home, span[0], span[1], source)
        row = next((r for r in rows if r["partner"] == partner), None)
        if source == "scidip":
            synthetic = service.read_meta(store).get("synthetic")
            label = "SciDip's own computation from the ingested OpenAlex authorships"
            if synthetic:
                label += f". {SYNTHETIC_NOTE.rstrip('.')}"
        if row is None:
            lines.append(
                f"{span[0]}-{span[1]}: no scholar moved between {home_name} and "
                f"{partner_name}. Source: {label}."
            )
            continue
        lines.append(
            f"{span[0]}-{span[1]}: {_scholars(row['to_partner'])} moved from {home_name} to "
            f"{partner_name} and {row['from_partner']:,} the other way (net {row['net']:+,} for "
            f"{home_name}). Source: {label}."
        )
    if not lines:
        return None
    return [*lines, METHOD]


def annex_paragraphs(store_dir: Path, home: str, home_name: str, year: int) -> list[str] | None:
    """The annual annex's paragraph on the home country's net scholar migration: the latest
    years of the MPIDR series up to ``year`` (None when no reference is loaded)."""
    store = Store(store_dir).snapshot()
    try:
        meta = reference_meta(store)
        rows = service.beside(store, home, "scopus")
    except NotFound:
        return None
    kept = [r for r in rows if r["year"] <= year and r["mpidr_padded_population"] is not None]
    kept = kept[-YEARS:]
    if not kept:
        return None
    figures = "; ".join(
        f"{r['year']}: {r['mpidr_inmigrations'] - r['mpidr_outmigrations']:+,} "
        f"({1000 * r['mpidr_netmigrationrate']:+.2f} per 1,000 of {r['mpidr_padded_population']:,})"
        for r in kept
    )
    return [f"Net migration of scholars to {home_name} (in minus out), Scopus series: {figures}.",
            f"Source: {meta['citation']}. {METHOD}"]  # fmt: skip
