"""Render a report's context as Markdown or HTML (Jinja2 templates), and HTML as PDF
(WeasyPrint, no browser and no network: the stylesheet is inline and charts are embedded SVG)."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from scidip.dates import PartialDate, Precision
from scidip.links import link_url
from scidip.reports.fonts import font_warning


class ReportFormat(enum.StrEnum):
    """Formats a report can be written in."""

    md = "md"
    html = "html"
    pdf = "pdf"


def human(value: PartialDate | None, empty: str = "") -> str:
    """A partial date as a reader says it ("June 2022", "no later than 2022")."""
    return value.human() if value is not None else empty


def when(value: PartialDate | None, capital: bool = False) -> str:
    """A partial date after a preposition: "on 28 September 2020", "in March 2019", "no later
    than 2022" (empty for ``None``); ``capital`` starts it with a capital letter."""
    if value is None:
        return ""
    if value.not_after:
        text = value.human()
    else:
        text = f"{'on' if value.precision is Precision.DAY else 'in'} {value.human()}"
    return text[0].upper() + text[1:] if capital else text


def long_date(value: date) -> str:
    """A day as a reader says it: "31 December 2022"."""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def joined(items: Iterable[Any]) -> str:
    """ "A", "A and B", "A, B and C"."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _runs(refs: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted distinct numbers as runs of consecutive ones: 1, 2, 3, 5 -> (1, 3), (5, 5)."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(refs)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def cite(refs: Iterable[int]) -> Markup:
    """Source numbers as ``[1-3, 5]`` (empty when none); markup, which Markdown keeps as is."""
    runs = _runs(refs)
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return Markup(f"[{text}]" if runs else "")


def cite_html(refs: Iterable[int]) -> Markup:
    """Source numbers as superscript links to the list of sources."""
    runs = _runs(refs)
    if not runs:
        return Markup("")
    links = ", ".join(
        f'<a href="#source-{a}">{a}</a>' if a == b else f'<a href="#source-{a}">{a}–{b}</a>'
        for a, b in runs
    )
    return Markup(f'<sup class="cite">[{links}]</sup>')


def ordinal(n: int | None) -> str:
    """1st, 2nd, 3rd, 4th, 11th... (empty for ``None``)."""
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@cache
def environment() -> Environment:
    """The templates of ``scidip/reports/templates`` with the reports' filters; HTML templates
    (``*.html.j2``) are autoescaped."""
    env = Environment(
        loader=PackageLoader("scidip.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        human=human,
        when=when,
        long_date=long_date,
        joined=joined,
        cite=cite,
        cite_html=cite_html,
        ordinal=ordinal,
        link_url=link_url,
        e=escape,
    )
    return env


def marking_line(report: Any) -> str:
    """The classification line of a report, in its header and footer: the highest sensitivity of
    what it states (``report.marking``) and the clearance of the reader it was built for."""
    return (
        f"Classification: {report.marking.value.upper()} (the highest marking of the content)"
        f" · prepared for a reader cleared for {report.clearance.value.upper()}"
    )


def _marking(context: dict[str, Any]) -> str | None:
    """The marking line of the report in ``context`` (the value with a marking and clearance);
    ``None`` for a part of a report rendered alone (its sources, say)."""
    for value in context.values():
        if hasattr(value, "marking") and hasattr(value, "clearance"):
            return marking_line(value)
    return None


_MARKDOWN_ACTIVE = str.maketrans({c: "\\" + c for c in "\\[]<>"})


def markdown_text(value: Any) -> Any:
    """A value written into Markdown, with the characters that make links, autolinks and raw
    HTML (``[ ] < >`` and the backslash) escaped, so that text from a record never becomes a
    link (``[x](javascript:...)``) or markup; markup the templates make is kept."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return value.translate(_MARKDOWN_ACTIVE)


@cache
def markdown_environment() -> Environment:
    """:func:`environment` for Markdown templates: every value escaped by :func:`markdown_text`."""
    return environment().overlay(finalize=markdown_text)


def render_text(name: str, fmt: ReportFormat, **context: Any) -> str:
    """Render template ``<name>.<fmt>.j2`` (Markdown or HTML) with ``context``; the report's
    marking (:func:`marking_line`) heads and ends it (in a PDF, every page's margins too)."""
    if fmt is ReportFormat.pdf:
        raise ValueError("PDF is rendered from HTML: use render_report")
    marking = _marking(context)
    env = markdown_environment() if fmt is ReportFormat.md else environment()
    text = env.get_template(f"{name}.{fmt.value}.j2").render(marking=marking, **context)
    if fmt is ReportFormat.md and marking is not None:
        return f"**{marking}**\n\n{text.rstrip()}\n\n**{marking}**\n"
    return text


def html_to_pdf(html: str) -> bytes:
    """The HTML laid out as a PDF by WeasyPrint (A4; no external resources are fetched)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"reports fetch nothing: {url}")

    warning = font_warning(html)
    if warning is not None:  # on the first page, in Latin letters every font has
        note = f'<p class="font-warning"><strong>Warning:</strong> {escape(warning)}</p>'
        html = html.replace("<body>", f"<body>\n{note}", 1)
    pdf = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def render_report(name: str, fmt: ReportFormat, **context: Any) -> bytes:
    """The report ``name`` in ``fmt``, as bytes (UTF-8 text for Markdown and HTML)."""
    if fmt is ReportFormat.pdf:
        return html_to_pdf(render_text(name, ReportFormat.html, **context))
    return render_text(name, fmt, **context).encode()
