"""What the reports say about technologies: the country brief's "technologies where the partner
leads or complements us" and the annual chapter's evidence annex (the home country's positions).

Every paragraph set starts with the evidence's provenance: the synthetic label where it
applies, the definitions (list, edition, mapping version), the method and the window.
Plain text, like :mod:`scidip.indicators.brief`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from scidip.errors import NotFound
from scidip.indicators.brief import SYNTHETIC_NOTE
from scidip.indicators.method import MethodName
from scidip.indicators.store import Store
from scidip.indicators.tech import service
from scidip.indicators.tech.leaders import ranked

#: Technologies named per list in a paragraph.
LISTED = 8


def _latest(store: Store, as_of: date) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The tracker's metadata and its 5-year rows (scidip method, all citations) of the latest
    window ending before ``as_of``'s year, or None when there is none."""
    try:
        meta = service.read_meta(store)
        rows = service.read_rows(store, MethodName.scidip, False, 5)
    except NotFound:
        return None
    ends = [r["period_end"] for r in rows if r["period_end"] < as_of.year]
    if not ends:
        return None
    end = max(ends)
    return meta, [r for r in rows if r["period_end"] == end]


def provenance(meta: dict[str, Any], start: int, end: int) -> list[str]:
    """The paragraphs that say where the figures come from."""
    labels = "; ".join(d["label"] for d in meta["definitions"])
    lines = [SYNTHETIC_NOTE] if meta.get("synthetic") else []
    kind = "a synthetic snapshot" if meta.get("synthetic") else "ingested OpenAlex records"
    lines.append(
        f"Source: SciDip's technology tracker on {kind}; technology definitions {labels}. "
        "Method: share of each technology's top 10 % most cited papers (reference set: "
        "technology and publication year, ties split), "
        f"fractional counting, {start}-{end}; the lead is rank 1 by that share."
    )
    return lines


def _name(meta: dict[str, Any], key: str) -> str:
    return str(meta["technologies"].get(key, key))


def tech_paragraphs(
    store_dir: Path, home: str, home_name: str, partner: str, partner_name: str, as_of: date
) -> list[str] | None:
    """The brief's paragraphs on technologies (None when the tracker has nothing)."""
    found = _latest(Store(store_dir).snapshot(), as_of)
    if found is None:
        return None
    meta, rows = found
    leads, complements = [], []
    for (tech, *_), members in sorted(ranked(rows).items()):
        shares = {m["country_code"]: m for m in members}
        theirs, ours = shares.get(partner), shares.get(home)
        if theirs is None or theirs["share_pct"] == 0:
            continue
        mine = ours["share_pct"] if ours else 0.0
        text = (f"{_name(meta, tech)}: {partner_name} {theirs['share_pct']:.1f}% (rank "
                f"{theirs['rank']}), {home_name} {mine:.1f}%")  # fmt: skip
        if theirs["rank"] == 1:
            leads.append(text)
        elif theirs["share_pct"] > mine:
            complements.append(text)
    lines = provenance(meta, rows[0]["period_start"], rows[0]["period_end"])
    if leads:
        lines.append(_listing(f"{partner_name} leads in", leads))
    if complements:
        lines.append(_listing(f"{partner_name} is ahead of {home_name} in", complements))
    if not leads and not complements:
        lines.append(
            f"{partner_name} neither leads nor is ahead of {home_name} in a tracked technology."
        )
    return lines


def _listing(head: str, items: list[str]) -> str:
    more = f" ({len(items) - LISTED} more.)" if len(items) > LISTED else ""
    return f"{head}: " + "; ".join(items[:LISTED]) + "." + more


def annex_paragraphs(store_dir: Path, home: str, home_name: str, year: int) -> list[str] | None:
    """The annual annex's paragraphs on the home country's technology positions in the latest
    window ending by ``year`` (None when the tracker has nothing)."""
    found = _latest(Store(store_dir).snapshot(), date(year + 1, 1, 1))
    if found is None:
        return None
    meta, rows = found
    positions = []
    for (tech, *_), members in sorted(ranked(rows).items()):
        own = next((m for m in members if m["country_code"] == home), None)
        lead = members[0]
        if own is not None:
            positions.append(
                (own["rank"], tech, own["share_pct"], lead["country_code"], lead["share_pct"])
            )
    lines = provenance(meta, rows[0]["period_start"], rows[0]["period_end"])
    if not positions:
        lines.append(f"{home_name} has no paper in any tracked technology.")
        return lines
    led = sum(1 for p in positions if p[0] == 1)
    lines.append(
        f"{home_name} leads in {led} of the {len(positions)} tracked technologies where it "
        "publishes."
    )
    best = [
        f"{_name(meta, t)}: rank {r}, {s:.1f}% (lead {lc}, {ls:.1f}%)"
        for r, t, s, lc, ls in sorted(positions)
    ]
    lines.append(_listing("Best positions", best))
    return lines
