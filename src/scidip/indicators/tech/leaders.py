"""Who leads each technology: shares, ranks, the lead over the second, concentration and the
monopoly-risk rating — derived from the tracker's counts (small: one row per technology,
country and window), in plain Python.

* **Share** of a country: its top-10 % papers (or papers) over the technology's world total
  in the window, in per cent (``counting`` ``frac``: fractional counts, shares sum to 100 % with
  works without a country; ``whole``: whole counts, shares may sum to more).
* **Rank**: by the share, descending; equal shares by country code (a stated convention).
  ``XXX`` (no country) is never ranked.
* **Lead** = rank 1; **lead ratio** = the leader's share over the second's (None when there is
  no second or its share is 0).
* **HHI** (Herfindahl–Hirschman index) over countries of the top-10 % papers, fractional
  counting, each country's share of the known countries' total: ``Σ s²`` in [1/n, 1].
* **Monopoly risk** (:data:`RISK_RULES`, switchable): ``lead-ratio`` — SciDip's rule in the
  spirit of ASPI's "technology monopoly risk" (ASPI's own thresholds, which also weigh the lead
  country's share of the top-10 institutions, are not reproduced): high when the leader has at
  least 3× the second's share, medium at 2×, else low; ``hhi`` — the concentration thresholds
  of the US Horizontal Merger Guidelines (2010, §5.3): high above 0.25, medium from 0.15.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from scidip.errors import InvalidData
from scidip.indicators.normalise import UNKNOWN_COUNTRY

WINDOW_KEYS = ("tech_key", "period_years", "period_start", "period_end")


def _by_ratio(row: dict[str, Any]) -> str:
    ratio = row["lead_ratio"]
    if ratio is None:  # no second country with a share: the leader holds it all
        return "high"
    return "high" if ratio >= 3 else "medium" if ratio >= 2 else "low"


def _by_hhi(row: dict[str, Any]) -> str:
    hhi = row["hhi"]
    return "high" if hhi > 0.25 else "medium" if hhi >= 0.15 else "low"


#: Monopoly-risk rules by name: each maps a leader row to ``high``, ``medium`` or ``low``.
RISK_RULES: dict[str, Callable[[dict[str, Any]], str]] = {"lead-ratio": _by_ratio, "hhi": _by_hhi}
COUNTINGS = ("frac", "whole")


def _check(counting: str, rule: str) -> None:
    if counting not in COUNTINGS:
        raise InvalidData(f"counting must be one of {', '.join(COUNTINGS)}, not {counting!r}")
    if rule not in RISK_RULES:
        raise InvalidData(f"risk rule must be one of {', '.join(RISK_RULES)}, not {rule!r}")


def ranked(
    rows: Iterable[dict[str, Any]], counting: str = "frac", measure: str = "top10"
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """The countries of each window (:data:`WINDOW_KEYS`), ranked by share, with
    ``share_pct`` and ``rank`` added (``XXX`` left out)."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    world = "world_top10" if measure == "top10" else "world_papers"
    for r in rows:
        if r["country_code"] == UNKNOWN_COUNTRY:
            continue
        total = r[world]
        share = 100.0 * r[f"{measure}_{counting}"] / total if total else 0.0
        groups[tuple(r[k] for k in WINDOW_KEYS)].append({**r, "share_pct": share})
    for members in groups.values():
        members.sort(key=lambda m: (-round(m["share_pct"], 9), m["country_code"]))
        for i, m in enumerate(members, start=1):
            m["rank"] = i
    return dict(groups)


def hhi(members: list[dict[str, Any]]) -> float:
    """``Σ s²`` over countries of their shares of the known countries' fractional top-10 %."""
    total = sum(m["top10_frac"] for m in members)
    return sum((m["top10_frac"] / total) ** 2 for m in members) if total else 0.0


def leaders(
    rows: Iterable[dict[str, Any]], counting: str = "frac", rule: str = "lead-ratio"
) -> list[dict[str, Any]]:
    """One row per technology and window: ``lead``, ``lead_share_pct``, ``second``,
    ``second_share_pct``, ``lead_ratio``, ``hhi``, ``risk`` (by ``rule``), ``world_top10``."""
    _check(counting, rule)
    out = []
    for key, members in sorted(ranked(rows, counting).items()):
        first = members[0]
        second = members[1] if len(members) > 1 else None
        ratio = first["share_pct"] / second["share_pct"] if second and second["share_pct"] else None
        row = {
            **dict(zip(WINDOW_KEYS, key, strict=True)),
            "lead": first["country_code"],
            "lead_share_pct": first["share_pct"],
            "second": second["country_code"] if second else None,
            "second_share_pct": second["share_pct"] if second else None,
            "lead_ratio": ratio,
            "hhi": hhi(members),
            "world_top10": first["world_top10"],
        }
        row["risk"] = RISK_RULES[rule](row)
        out.append(row)
    return out


def position(
    rows: Iterable[dict[str, Any]], country: str, counting: str = "frac"
) -> list[dict[str, Any]]:
    """``country``'s rank and shares in every technology and window where it has papers, with
    the leader beside it: ``tech_key``, window, ``rank``, ``top10_share_pct``,
    ``papers_share_pct``, ``lead``, ``lead_share_pct``."""
    _check(counting, "lead-ratio")
    rows = list(rows)
    by_top = ranked(rows, counting, "top10")
    by_papers = ranked(rows, counting, "papers")
    out = []
    for key, members in sorted(by_top.items()):
        own = next((m for m in members if m["country_code"] == country), None)
        if own is None:
            continue
        papers = next(m for m in by_papers[key] if m["country_code"] == country)
        out.append(
            {
                **dict(zip(WINDOW_KEYS, key, strict=True)),
                "rank": own["rank"],
                "top10_share_pct": own["share_pct"],
                "papers_share_pct": papers["share_pct"],
                "lead": members[0]["country_code"],
                "lead_share_pct": members[0]["share_pct"],
            }
        )
    return out
