"""The country brief's indicators section: a partner's research strengths and its co-authorship
with the home country, read from computed indicators.

For partner P, home country H and the latest complete single publication year Y on or before the
brief's date (a year the data do not yet hold in full is never used): P's papers (fractional)
and world share in all fields; its ``STRENGTHS`` fields with the highest relative specialisation
index (RSI > 0 only: fields where P is specialised), each with its RSI and P's top-10 % share of
its own papers; the papers P and H co-authored, P's rank among H's
partners and P's share of H's internationally co-authored papers. Results of a synthetic snapshot
open with a line that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scidip.errors import NotFound
from scidip.indicators.counts import ALL_FIELDS_ID
from scidip.indicators.show import country_indicators, top_partners
from scidip.indicators.store import Store

STRENGTHS = 3
"""How many specialised fields the brief names."""

SYNTHETIC_NOTE = "SYNTHETIC DATA: these indicators come from a generated snapshot, not real papers."


@dataclass(frozen=True)
class Strength:
    """A field where the partner is specialised."""

    field: str
    rsi: float
    top10_own_share_pct: float | None


@dataclass(frozen=True)
class PartnerProfile:
    """What the indicators say about one partner in one year."""

    year: int
    synthetic: bool
    papers_frac: float
    world_share_pct: float
    strengths: list[Strength]
    copapers_with_home: int
    rank_among_home_partners: int | None
    share_of_home_intl_pct: float | None


def _latest_year(rows: list[dict[str, object]], as_of: date) -> int | None:
    """The latest complete year on or before ``as_of`` (an incomplete year is never used)."""
    years = [
        int(str(r["period_end"]))
        for r in rows
        if int(str(r["period_end"])) <= as_of.year and not r.get("incomplete_period")
    ]
    return max(years) if years else None


def partner_profile(store: Store, home: str, partner: str, as_of: date) -> PartnerProfile | None:
    """The partner's profile in the latest year on or before ``as_of`` (``None`` if no year)."""
    overall = country_indicators(store, partner, ALL_FIELDS_ID)
    year = _latest_year(overall, as_of)
    if year is None:
        return None
    total = next(r for r in overall if r["period_end"] == year)
    by_field = [
        r
        for r in country_indicators(store, partner, None)
        if r["period_end"] == year and r["field_id"] != ALL_FIELDS_ID and (r["rsi"] or 0) > 0
    ]
    by_field.sort(key=lambda r: (-float(r["rsi"]), str(r["field_id"])))
    strengths = [
        Strength(str(r["field_name"]), float(r["rsi"]), r["top10_own_share_frac_pct"])
        for r in by_field[:STRENGTHS]
    ]
    partners = [p for p in top_partners(store, home, limit=1000) if p["period_end"] == year]
    mine = next((p for p in partners if p["partner_code"] == partner.upper()), None)
    return PartnerProfile(
        year=year,
        synthetic=bool(total.get("synthetic_data")),
        papers_frac=float(total["papers_frac"]),
        world_share_pct=float(total["world_share_frac_pct"]),
        strengths=strengths,
        copapers_with_home=int(mine["copapers_whole"]) if mine else 0,
        rank_among_home_partners=int(mine["partner_rank"]) if mine else None,
        share_of_home_intl_pct=float(mine["share_of_country_intl_pct"]) if mine else None,
    )


def indicators_paragraphs(
    store_dir: Path, home: str, home_name: str, partner: str, partner_name: str, as_of: date
) -> list[str] | None:
    """The section's paragraphs, or ``None`` when no indicators are computed for the partner."""
    try:
        profile = partner_profile(Store(store_dir).snapshot(), home, partner, as_of)
    except NotFound:
        return None
    if profile is None:
        return None
    y = profile.year
    lines = [SYNTHETIC_NOTE] if profile.synthetic else []
    lines.append(
        f"In {y}, {partner_name} published {profile.papers_frac:,.1f} papers (fractional count), "
        f"{profile.world_share_pct:.2f}% of the world's."
    )
    if profile.strengths:
        fields = "; ".join(
            f"{s.field} (RSI {s.rsi:+.2f}"
            + (f", top 10% share {s.top10_own_share_pct:.1f}%)" if s.top10_own_share_pct
               is not None else ")")
            for s in profile.strengths
        )  # fmt: skip
        lines.append(f"Fields where it is most specialised in {y}: {fields}.")
    if profile.rank_among_home_partners is None:
        lines.append(f"No paper co-authored with {home_name} is recorded for {y}.")
    else:
        lines.append(
            f"{profile.copapers_with_home:,} paper{'' if profile.copapers_with_home == 1 else 's'} "
            f"co-authored with {home_name} in {y}: "
            f"{home_name}'s partner no. {profile.rank_among_home_partners}, "
            f"{profile.share_of_home_intl_pct:.1f}% of {home_name}'s internationally "
            "co-authored papers."
        )
    return lines
