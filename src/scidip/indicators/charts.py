"""Charts of a country's indicators: share and rank over time, and its network of top partners.

Drawn with matplotlib's Agg canvas (no display, no browser, no network) to ``.svg``, ``.png``, or
``.html`` (a self-contained page with the SVG inline). Charts of synthetic data say so on the
chart itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scidip.charts import FORMATS, figure, save
from scidip.errors import InvalidData
from scidip.indicators.synthetic_label import CHART_LABEL

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save"]

Rows = Sequence[Mapping[str, Any]]


def _figure(width: float = 8.0, height: float = 4.5) -> Figure:
    return figure(width, height)


def _label(fig: Figure, synthetic: bool) -> None:
    if synthetic:
        fig.text(0.5, 0.5, CHART_LABEL, ha="center", va="center", fontsize=16, color="red",
                 alpha=0.25, rotation=20)  # fmt: skip
        fig.suptitle(CHART_LABEL, color="red", fontsize=10)


def _year_axis(ax: Any) -> None:
    """Whole years only on the x axis."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _mark_incomplete(ax: Any, rows: Rows) -> None:
    """Shade the periods that reach past the last complete year, and say so."""
    late = [r["period_end"] for r in rows if r.get("incomplete_period")]
    if late:
        ax.axvspan(min(late) - 0.5, max(late) + 0.5, color="grey", alpha=0.15, lw=0)
        ax.text(min(late) - 0.4, 0.98, "incomplete year", transform=ax.get_xaxis_transform(),
                va="top", fontsize=8, color="dimgrey")  # fmt: skip


def year_series(rows: Rows, column: str) -> tuple[list[int], list[float]]:
    """Every year from the first to the last ``period_end`` of ``rows``, and ``column``'s value
    in it: NaN where there is no row or no value, so that a line is broken there rather than
    drawn across years with no data."""
    if not rows:
        return [], []
    by_year = {int(r["period_end"]): r.get(column) for r in rows}
    years = list(range(min(by_year), max(by_year) + 1))
    values = [by_year.get(y) for y in years]
    return years, [math.nan if v is None else float(v) for v in values]


def _title(country: str, field: str | None) -> str:
    return country if not field else f"{country}, {field}"


def share_chart(
    rows: Rows, country: str, out: Path, *, synthetic: bool = False, field: str | None = None
) -> Path:
    """World share (fractional), share of the world's top 10 % and own top-10 % share by year
    (gaps where there is no data); ``field``: the field's name for the title (None: all)."""
    fig = _figure()
    ax = fig.add_subplot()
    series = [
        ("world_share_frac_pct", "share of world papers (fractional), %"),
        ("top10_world_share_frac_pct", "share of world top-10 % papers, %"),
        ("top10_own_share_frac_pct", "own papers in the top 10 %, %"),
    ]
    for col, label in series:
        ax.plot(*year_series(rows, col), marker="o", label=label)
    _mark_incomplete(ax, rows)
    _year_axis(ax)
    ax.set_xlabel("publication year (end of period)")
    ax.set_ylabel("%")
    ax.set_title(f"{_title(country, field)}: share of world output and of highly cited papers")
    ax.legend(loc="best", fontsize=8)
    _label(fig, synthetic)
    return save(fig, out, f"{country} shares")


def rank_chart(
    rows: Rows, country: str, out: Path, *, synthetic: bool = False, field: str | None = None
) -> Path:
    """Rank among countries by papers and by top-10 % papers (fractional), by year; 1 at top,
    whole ranks only on the axis, gaps where there is no data."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(*year_series(rows, "rank_papers_frac"), marker="o", label="rank by papers")
    ax.plot(*year_series(rows, "rank_top10_frac"), marker="s", label="rank by top-10 %")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.invert_yaxis()
    _mark_incomplete(ax, rows)
    _year_axis(ax)
    ax.set_xlabel("publication year (end of period)")
    ax.set_ylabel("rank (1 = most)")
    ax.set_title(f"{_title(country, field)}: rank among countries (fractional counting)")
    ax.legend(loc="best", fontsize=8)
    _label(fig, synthetic)
    return save(fig, out, f"{country} rank")


def network_chart(partners: Rows, country: str, out: Path, *, synthetic: bool = False) -> Path:
    """The country at the centre, its partners around it; edge width ∝ co-papers."""
    if not partners:
        raise InvalidData(f"{country} has no international partners to draw")
    fig = _figure(7.0, 7.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    top = max(r["copapers_whole"] for r in partners)
    for i, r in enumerate(partners):
        angle = 2 * math.pi * i / len(partners)
        x, y = math.cos(angle), math.sin(angle)
        ax.plot([0, x], [0, y], color="steelblue", linewidth=1 + 9 * r["copapers_whole"] / top,
                alpha=0.6, zorder=1)  # fmt: skip
        ax.scatter([x], [y], s=300 + 1500 * r["copapers_whole"] / top, color="lightsteelblue",
                   zorder=2)  # fmt: skip
        ax.annotate(f"{r['partner_code']}\n{r['copapers_whole']:,}", (x, y), ha="center",
                    va="center", fontsize=8, zorder=3)  # fmt: skip
    ax.scatter([0], [0], s=2200, color="darkorange", zorder=2)
    ax.annotate(country, (0, 0), ha="center", va="center", fontsize=11, weight="bold", zorder=3)
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    start, end = partners[0]["period_start"], partners[0]["period_end"]
    period = str(end) if start == end else f"{start}–{end}"
    n = len(partners)
    ax.set_title(f"{country}: top {n} co-authoring partner{'s' if n > 1 else ''}, {period}")
    _label(fig, synthetic)
    return save(fig, out, f"{country} partners")
