"""Charts for the reports, drawn with matplotlib as SVG text to embed in HTML (no browser, no
network), saved by :mod:`scidip.charts` like every chart: deterministic (fixed hash salt, no date
or creator in the metadata), text kept as text."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence

from scidip.charts import figure, svg_text
from scidip.dates import PartialDate, Precision

PALETTE = (
    "#12355b",
    "#3f7cac",
    "#95b8d1",
    "#e09f3e",
    "#9e2a2b",
    "#5b8e7d",
    "#7a6c5d",
    "#c9a227",
    "#6a4c93",
)


def _month(d: PartialDate | None, year: int) -> int | None:
    """1-12 for a date known to the month (or day) within ``year``; 0 for one known only to be
    in the year; ``None`` otherwise."""
    if d is None or d.not_after or d.first.year != year:
        return None
    return 0 if d.precision is Precision.YEAR else d.first.month


def engagements_by_month(events: Sequence[tuple[PartialDate | None, str]], year: int) -> str:
    """A stacked bar chart of the year's events by month and category, as SVG text. Events known
    only to the year are drawn in a separate bar at the right ("year only")."""
    from matplotlib import rc_context
    from matplotlib.ticker import MaxNLocator

    counts: Counter[tuple[int, str]] = Counter()
    for when, category in events:
        month = _month(when, year)
        if month is not None:
            counts[(month, category)] += 1
    categories = sorted({c for _, c in counts})
    slots = [*range(1, 13), 0]
    labels = [calendar.month_abbr[m] for m in range(1, 13)] + ["year\nonly"]
    with rc_context({"font.size": 8}):
        fig = figure(7.0, 2.6)
        ax = fig.subplots()
        bottom = [0] * len(slots)
        for i, category in enumerate(categories):
            heights = [counts[(m, category)] for m in slots]
            ax.bar(
                range(len(slots)),
                heights,
                bottom=bottom,
                label=category,
                color=PALETTE[i % len(PALETTE)],
                width=0.7,
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_xticks(range(len(slots)), labels)
        ax.axvline(len(slots) - 1.5, color="#999", linewidth=0.6, linestyle=":")
        ax.set_ylabel("events")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(f"Engagements and meetings in {year}, by month", fontsize=9)
        if categories:  # a year with no dated event draws empty axes, and no legend
            ax.legend(frameon=False, fontsize=7, loc="upper left", ncols=2)
        return svg_text(fig, tight=True)
