"""Every report in Markdown and HTML against its golden file (generation date injected; the
annual chart, tested in test_charts.py, is left out of the golden HTML so that it does not depend
on matplotlib's version), and the PDF rendered from the same HTML."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pypdfium2 as pdfium
import pytest
from sqlalchemy.orm import Session

from scidip.reports.context.annual import build_annual
from scidip.reports.context.country import build_country
from scidip.reports.reconcile import reconcile
from scidip.reports.render import ReportFormat, render_report

END_2022 = date(2022, 12, 31)
Golden = Callable[[str, str], None]


@pytest.mark.parametrize("fmt", [ReportFormat.md, ReportFormat.html])
def test_annual_2022(mofa: Session, fmt: ReportFormat, golden: Golden, generated_on: date) -> None:
    report = build_annual(mofa, "JPN", 2022, generated_on, chart=False)
    golden(f"annual-2022.{fmt.value}", render_report("annual", fmt, a=report).decode())


@pytest.mark.parametrize("fmt", [ReportFormat.md, ReportFormat.html])
def test_reconcile(mofa: Session, fmt: ReportFormat, golden: Golden, generated_on: date) -> None:
    result = reconcile(mofa, generated_on)
    golden(f"reconcile.{fmt.value}", render_report("reconcile", fmt, r=result).decode())


@pytest.mark.parametrize("code", ["KAZ", "ZAF"])
@pytest.mark.parametrize("fmt", [ReportFormat.md, ReportFormat.html])
def test_country(
    mofa: Session, code: str, fmt: ReportFormat, golden: Golden, generated_on: date
) -> None:
    brief = build_country(mofa, "JPN", code, END_2022, generated_on)
    golden(f"country-{code}-2022.{fmt.value}", render_report("country", fmt, c=brief).decode())


def _pdf_text(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in document]


def test_annual_pdf_renders_every_section(mofa: Session, generated_on: date) -> None:
    report = build_annual(mofa, "JPN", 2022, generated_on)
    pdf = render_report("annual", ReportFormat.pdf, a=report)
    assert pdf.startswith(b"%PDF-")
    pages = _pdf_text(pdf)
    assert len(pages) >= 3
    assert "Science and Technology Diplomacy in 2022" in pages[0]
    # Lines are broken and hyphenated by the layout: compare words only.
    words = " ".join(" ".join(pages).replace("-\r\n", "").split())
    for heading in [
        "Posts and holders",
        "Advisory network and board",
        "Recommendations",
        "Exchanges with foreign science advisors and networks",
        "Visits",
        "Seminars and online meetings",
        "Science and technology cooperation agreements",
        "Joint committees",
        "Multilateral cooperation",
        "Sources",
    ]:
        assert heading in words
    assert "32 agreements, in force with 46 countries and the EU" in words


def test_pdf_is_deterministic(mofa: Session, generated_on: date) -> None:
    brief = build_country(mofa, "JPN", "KAZ", END_2022, generated_on)
    first = render_report("country", ReportFormat.pdf, c=brief)
    assert render_report("country", ReportFormat.pdf, c=brief) == first
