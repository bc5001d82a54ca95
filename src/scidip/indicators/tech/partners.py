"""The home country in each technology: its position and trend, and the partners strong where
it is weak, with their agreement status from the registry.

* **Trend**: the home country's top-10 % share and rank in the latest window beside the window
  ending ``step`` years earlier (5 by default: the previous, non-overlapping 5-year window).
* **Strong where we are weak**: in a window, the technologies where the home country is not the
  leader; in each, the countries whose top-10 % share is above the home country's, strongest
  first, each with its agreement status: ``in force`` (an S&T agreement covers it on ``as_of``,
  :func:`scidip.registry.agreement.coverage.coverage`, the registry's counting rule),
  ``undecided`` (coverage unknown) or ``none recorded``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.indicators.tech.leaders import WINDOW_KEYS, ranked
from scidip.registry.access import EVERYTHING
from scidip.registry.agreement.coverage import coverage

IN_FORCE, UNDECIDED, NONE = "in force", "undecided", "none recorded"


def agreement_status(
    session: Session, home: str, as_of: date, clearance: Sensitivity = EVERYTHING
) -> dict[str, str]:
    """Party code → ``in force`` or ``undecided``, for the states the registry records an S&T
    agreement with ``home`` for, as a reader with ``clearance`` sees them (others: absent)."""
    found = coverage(session, home, as_of, clearance=clearance)
    status = {s.party: UNDECIDED for s in found.undecided}
    status.update({s.party: IN_FORCE for s in found.states})
    return status


def trend(
    rows: list[dict[str, Any]], country: str, counting: str = "frac", step: int = 5
) -> list[dict[str, Any]]:
    """Per technology: ``country``'s share and rank in the latest window and ``step`` years
    before (None where it had no paper), and the latest window's leader."""
    groups = ranked(rows, counting)
    latest: dict[str, tuple[Any, ...]] = {}
    for key in groups:
        if key[0] not in latest or key[3] > latest[key[0]][3]:
            latest[key[0]] = key
    out = []
    for tech, key in sorted(latest.items()):
        earlier = (tech, key[1], key[2] - step, key[3] - step)

        def own(k: tuple[Any, ...]) -> dict[str, Any] | None:
            return next((m for m in groups.get(k, []) if m["country_code"] == country), None)

        now, then = own(key), own(earlier)
        out.append(
            {
                **dict(zip(WINDOW_KEYS, key, strict=True)),
                "share_pct": now["share_pct"] if now else None,
                "rank": now["rank"] if now else None,
                "earlier_share_pct": then["share_pct"] if then else None,
                "earlier_rank": then["rank"] if then else None,
                "lead": groups[key][0]["country_code"],
            }
        )
    return out


def strong_where_weak(
    rows: list[dict[str, Any]],
    home: str,
    status: dict[str, str],
    counting: str = "frac",
    limit: int = 3,
) -> list[dict[str, Any]]:
    """For each technology and window where ``home`` does not lead: up to ``limit`` countries
    ahead of it (by top-10 % share), with ``home_share_pct``, ``share_pct``, ``rank`` and
    ``agreement`` (from ``status``; ``none recorded`` when absent)."""
    out = []
    for key, members in sorted(ranked(rows, counting).items()):
        mine = next((m for m in members if m["country_code"] == home), None)
        home_share = mine["share_pct"] if mine else 0.0
        if mine is not None and mine["rank"] == 1:
            continue
        ahead = [m for m in members if m["country_code"] != home and m["share_pct"] > home_share]
        for m in ahead[:limit]:
            out.append(
                {
                    **dict(zip(WINDOW_KEYS, key, strict=True)),
                    "home_share_pct": home_share,
                    "home_rank": mine["rank"] if mine else None,
                    "partner": m["country_code"],
                    "share_pct": m["share_pct"],
                    "rank": m["rank"],
                    "agreement": status.get(m["country_code"], NONE),
                }
            )
    return out
