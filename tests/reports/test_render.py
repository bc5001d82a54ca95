"""The renderer's filters."""

from __future__ import annotations

from datetime import date

from scidip.dates import PartialDate
from scidip.reports.render import cite, cite_html, human, joined, long_date, ordinal


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
