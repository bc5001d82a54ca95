"""Charts of supply risk as SVG, PNG or self-contained HTML, drawn offline with matplotlib (Agg).

Nothing is fetched: the HTML embeds the SVG inline, with no script and no external file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scidip.charts import FORMATS, figure, save
from scidip.errors import InvalidData
from scidip.materials.risk import RiskResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "save"]


def _figure(height: float) -> Figure:
    return figure(8.0, max(2.5, height))


def risk_by_material(results: Sequence[RiskResult], path: Path) -> Path:
    """Horizontal bars: GeoPolRisk score per material (materials without a score are listed)."""
    scored = sorted((r for r in results if r.score is not None), key=lambda r: r.score or 0.0)
    if not scored:
        raise InvalidData("no scores to chart")
    first = scored[0]
    fig = _figure(0.28 * len(scored) + 1.2)
    ax = fig.subplots()
    ax.barh([r.material for r in scored], [r.score or 0.0 for r in scored], color="#4c72b0")
    title = f"GeoPolRisk score, {first.economy} {first.year}"
    missing = [r.material for r in results if r.score is None]
    ax.set_title(title)
    ax.set_xlabel("score (HHI × import risk)")
    if missing:
        ax.text(0, -0.08, "no score: " + ", ".join(missing[:12]), transform=ax.transAxes,
                fontsize=7, va="top")  # fmt: skip
    return save(fig, path, title)


def supplier_shares(rows: Sequence[Mapping[str, Any]], path: Path, title: str) -> Path:
    """Horizontal bars: share of imports per exporter (largest at the top)."""
    if not rows:
        raise InvalidData("no imports to chart")
    top = list(rows)[:15][::-1]
    fig = _figure(0.3 * len(top) + 1.2)
    ax = fig.subplots()
    ax.barh(
        [str(r["exporter"]) for r in top], [r["share_pct"] or 0.0 for r in top], color="#dd8452"
    )
    ax.set_xlabel("share of imports (%)")
    ax.set_title(title)
    return save(fig, path, title)


def time_series(results: Sequence[RiskResult], path: Path) -> Path:
    """Lines: score per year for each material (gaps where there is no score)."""
    several = len({r.economy for r in results}) > 1
    by_material: dict[str, list[RiskResult]] = {}
    for r in results:
        key = f"{r.material} ({r.economy})" if several else r.material
        by_material.setdefault(key, []).append(r)
    if not any(r.score is not None for r in results):
        raise InvalidData("no scores to chart")
    fig = _figure(4.0)
    ax = fig.subplots()
    for material, series in sorted(by_material.items()):
        series.sort(key=lambda r: r.year)
        ys = [float("nan") if r.score is None else r.score for r in series]
        ax.plot([r.year for r in series], ys, marker="o", label=material)
    economies = ", ".join(dict.fromkeys(r.economy for r in results))
    title = f"GeoPolRisk score over time, {economies}"
    ax.set_title(title)
    ax.set_xlabel("year")
    ax.set_ylabel("score")
    ax.legend(fontsize=7, ncols=2)
    return save(fig, path, title)
