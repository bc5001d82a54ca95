"""The renderer's filters."""

from __future__ import annotations

from datetime import date

from scidip.dates import PartialDate
from scidip.reports.render import (
    ReportFormat,
    cite,
    cite_html,
    environment,
    human,
    joined,
    long_date,
    markdown_text,
    ordinal,
    render_text,
)


def test_filters() -> None:
    assert cite([5, 1, 2, 3, 3]) == "[1-3, 5]"
    assert cite([]) == ""
    assert str(cite_html([1, 2])) == '<sup class="cite">[<a href="#source-1">1–2</a>]</sup>'
    assert joined([]) == "" and joined(["A"]) == "A" and joined(["A", "B"]) == "A and B"
    assert joined(["A", "B", "C"]) == "A, B and C"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]  # fmt: skip
    assert ordinal(None) == ""
    assert human(PartialDate.parse("..2022")) == "no later than 2022" and human(None, "-") == "-"
    assert long_date(date(2022, 12, 31)) == "31 December 2022"


SOURCES = [
    {"number": 1, "title": "Safe", "publisher": None, "published": None, "locators": [],
     "url": "https://www.mofa.go.jp/a.html"},
    {"number": 2, "title": "[click](javascript:alert(1)) <b>x</b>", "publisher": None,
     "published": None, "locators": [], "url": "javascript:alert(document.cookie)"},
]  # fmt: skip


def test_only_http_and_mailto_urls_become_links_in_html() -> None:
    html = environment().get_template("_sources.html.j2").render(sources=SOURCES)
    assert '<a href="https://www.mofa.go.jp/a.html">' in html
    assert "<a " not in html.split('id="source-2"')[1]
    assert (
        '<li id="source-2">[click](javascript:alert(1)) &lt;b&gt;x&lt;/b&gt;. '
        "javascript:alert(document.cookie)</li>"
    ) in html


def test_record_text_never_becomes_a_markdown_link() -> None:
    md = render_text("_sources", ReportFormat.md, sources=SOURCES)
    assert "1. Safe. <https://www.mofa.go.jp/a.html>" in md
    assert (
        "2. \\[click\\](javascript:alert(1)) \\<b\\>x\\</b\\>. `javascript:alert(document.cookie)`"
    ) in md
    assert markdown_text(cite([1, 2])) == "[1-2]"  # the templates' own markup is kept
