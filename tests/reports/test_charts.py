"""The engagements chart: SVG text, the same bytes every time, months and the year-only bar."""

from __future__ import annotations

from scidip.dates import PartialDate
from scidip.reports.charts import _month, engagements_by_month


def test_month_slot_of_a_partial_date() -> None:
    slots = [_month(PartialDate.parse(d), 2022) for d in ["2022-06", "2022-06-15", "2022", "2021"]]
    assert slots == [6, 6, 0, None]
    assert _month(PartialDate.parse("..2022"), 2022) is None
    assert _month(None, 2022) is None


def test_chart_is_deterministic_svg_with_text() -> None:
    events = [
        (PartialDate.parse("2022-03"), "board meeting"),
        (PartialDate.parse("2022-08"), "board meeting"),
        (PartialDate.parse("2022"), "seminar"),
    ]
    svg = engagements_by_month(events, 2022)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg == engagements_by_month(events, 2022)
    for label in ["Engagements and meetings in 2022, by month", "board meeting", "seminar", "Mar"]:
        assert label in svg


def test_a_year_without_dated_events_draws_empty_axes_without_a_legend() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of a legend with nothing to show
        svg = engagements_by_month([(PartialDate.parse("2021-05"), "visit")], 2022)
    assert "Engagements and meetings in 2022, by month" in svg
    assert "visit" not in svg
