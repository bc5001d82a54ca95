"""Saving a chart, in one place for every area: SVG, PNG or a self-contained HTML page, drawn
offline with matplotlib (Agg), the same data giving the same file.

Text stays text in SVG (searchable, smaller); SVG ids are salted with a constant and no date or
creator is written, so that a chart is reproducible byte for byte. Nothing is fetched: the HTML
page holds the SVG inline, with no script and no external file. matplotlib is imported when a
chart is drawn, never at import.
"""

from __future__ import annotations

import io
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scidip.errors import InvalidData

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = (".svg", ".png", ".html")
STYLE: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "scidip"}


def figure(width: float, height: float) -> Figure:
    """A new figure (constrained layout) on the Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def svg_text(fig: Figure, *, tight: bool = False) -> str:
    """The figure as an ``<svg>`` element, for embedding (``tight``: cropped to its drawing)."""
    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context(STYLE):
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None},
            bbox_inches="tight" if tight else None,
        )
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def inline_svg(svg: str) -> str:
    """``svg`` fit to embed in a page under a Content-Security-Policy without inline style
    sheets: matplotlib's one ``<style>`` rule (``*{stroke-linejoin: round; stroke-linecap:
    butt}``) becomes the same presentation attributes on the root element, which its children
    inherit."""
    rules = _STYLE_ELEMENT.search(svg)
    if rules is None:
        return svg
    declarations = re.findall(r"([a-z-]+)\s*:\s*([^;}]+)", rules.group(1))
    attributes = "".join(f' {name}="{value.strip()}"' for name, value in declarations)
    svg = _STYLE_ELEMENT.sub("", svg, count=1)
    return svg.replace("<svg", "<svg" + attributes, 1)


def save(fig: Figure, path: Path, title: str) -> Path:
    """Write ``fig`` to ``path``, its suffix (.svg, .png, .html) choosing the format; a folder
    that does not exist yet is made."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidData(f"chart file {path.name}: use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        from matplotlib import rc_context

        with rc_context(STYLE):
            fig.savefig(path, format="png", dpi=120, metadata={"Software": None})
    elif suffix == ".svg":
        path.write_text(svg_text(fig), "utf-8")
    else:
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body>\n{svg_text(fig)}\n</body></html>\n"
        )
        path.write_text(page, "utf-8")
    return path
