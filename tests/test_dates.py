"""Partial dates: parsing, printing, ordering, the interval rule (examples and properties)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scidip.dates import PartialDate, Precision, Tri, active_during, active_on, last_day

pd = PartialDate.parse


@pytest.mark.parametrize(
    ("text", "first", "precision", "not_after", "last"),
    [
        ("2022", date(2022, 1, 1), Precision.YEAR, False, date(2022, 12, 31)),
        ("2022-06", date(2022, 6, 1), Precision.MONTH, False, date(2022, 6, 30)),
        ("2024-02", date(2024, 2, 1), Precision.MONTH, False, date(2024, 2, 29)),
        ("2022-06-15", date(2022, 6, 15), Precision.DAY, False, date(2022, 6, 15)),
        ("..2022", date(2022, 1, 1), Precision.YEAR, True, date(2022, 12, 31)),
    ],
)
def test_parse(text: str, first: date, precision: Precision, not_after: bool, last: date) -> None:
    value = pd(text)
    assert (value.first, value.precision, value.not_after, value.last) == (
        first,
        precision,
        not_after,
        last,
    )
    assert str(value) == text


@pytest.mark.parametrize("text", ["22", "2022-13", "2022-02-30", "June 2022", "2022/06", ""])
def test_parse_refuses_what_is_not_a_partial_date(text: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        pd(text)


def test_human_forms() -> None:
    assert [pd(t).human() for t in ["2022", "2022-06", "2022-06-05", "..2022"]] == [
        "2022",
        "June 2022",
        "5 June 2022",
        "no later than 2022",
    ]


def test_month_boundaries_of_the_interval_rule() -> None:
    start, end = pd("2021-06"), pd("2022-06")
    assert active_on(start, end, date(2021, 5, 31)) is Tri.NO
    assert active_on(start, end, date(2021, 6, 15)) is Tri.UNKNOWN
    assert active_on(start, end, date(2021, 6, 30)) is Tri.YES
    assert active_on(start, end, date(2022, 5, 31)) is Tri.YES
    assert active_on(start, end, date(2022, 6, 1)) is Tri.UNKNOWN
    assert active_on(start, end, date(2022, 7, 1)) is Tri.NO


def test_day_boundaries_start_inclusive_end_exclusive() -> None:
    start, end = pd("2020-04-01"), pd("2020-05-01")
    assert active_on(start, end, date(2020, 3, 31)) is Tri.NO
    assert active_on(start, end, date(2020, 4, 1)) is Tri.YES
    assert active_on(start, end, date(2020, 4, 30)) is Tri.YES
    assert active_on(start, end, date(2020, 5, 1)) is Tri.NO
    assert active_on(None, None, date(1900, 1, 1)) is Tri.YES


def test_no_later_than_is_known_only_after_its_period() -> None:
    value = pd("..2022")
    assert value.on_or_before(date(2022, 12, 31)) is Tri.YES
    assert value.on_or_before(date(2022, 12, 30)) is Tri.UNKNOWN
    assert value.on_or_before(date(1900, 1, 1)) is Tri.UNKNOWN


def test_tri_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(Tri.UNKNOWN)


def test_plus_months_keeps_precision_and_clamps_the_day() -> None:
    assert str(pd("2022-06").plus_months(24)) == "2024-06"
    assert str(pd("2024-01-31").plus_months(1)) == "2024-02-29"
    assert str(pd("2022").plus_months(12)) == "2023"


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(days)
    precision = draw(st.sampled_from(list(Precision)))
    first = {
        Precision.YEAR: day.replace(month=1, day=1),
        Precision.MONTH: day.replace(day=1),
        Precision.DAY: day,
    }[precision]
    return PartialDate(first, precision, draw(st.booleans()))


@given(partial_dates())
def test_text_round_trip(value: PartialDate) -> None:
    assert pd(str(value)) == value


@given(partial_dates(), days)
def test_answers_agree_with_the_range_of_possible_days(value: PartialDate, day: date) -> None:
    answer = value.on_or_before(day)
    if answer is Tri.YES:
        assert value.latest <= day
    elif answer is Tri.NO:
        assert value.earliest > day
    else:
        assert value.earliest <= day < value.latest


@given(partial_dates(), partial_dates(), days)
def test_interval_rule_is_never_yes_when_an_endpoint_could_exclude(
    start: PartialDate, end: PartialDate, day: date
) -> None:
    answer = active_on(start, end, day)
    if answer is Tri.YES:
        assert start.latest <= day < end.earliest
    if answer is Tri.NO:
        assert day < start.earliest or end.latest <= day


@given(st.lists(partial_dates(), min_size=2, max_size=8))
def test_ordering_is_total_and_consistent(values: list[PartialDate]) -> None:
    ordered = sorted(values)
    for a, b in itertools.pairwise(ordered):
        assert a <= b
        assert a.earliest <= b.earliest


def test_a_year_moves_only_by_whole_years() -> None:
    with pytest.raises(ValueError, match="not a calendar year"):
        pd("2022").plus_months(18)
    assert pd("2022").bounds_plus_months(18) == (date(2023, 7, 1), date(2024, 6, 30))
    assert pd("..2022").bounds_plus_months(12) == (date.min, date(2023, 12, 31))


@given(partial_dates(), st.integers(min_value=-240, max_value=240))
def test_plus_months_moves_the_first_day_by_whole_months(value: PartialDate, months: int) -> None:
    if value.precision is Precision.YEAR:
        months -= months % 12
    moved = value.plus_months(months)
    assert moved.precision is value.precision
    assert (moved.first.year * 12 + moved.first.month) - (
        value.first.year * 12 + value.first.month
    ) == months
    earliest, latest = value.bounds_plus_months(months)
    assert earliest <= moved.earliest and moved.latest <= latest + timedelta(days=3)


def test_a_year_holds_a_term_ending_on_its_next_new_year_not_one_starting_then() -> None:
    first, until = date(2022, 1, 1), date(2023, 1, 1)
    assert active_during(None, pd("2023-01-01"), first, until) is Tri.YES
    assert active_during(pd("2023-01-01"), None, first, until) is Tri.NO
    assert active_during(pd("2021-03-01"), pd("2022-01-01"), first, until) is Tri.NO
    assert active_during(pd("2022-12-31"), None, first, until) is Tri.YES
    assert active_during(pd("2023"), None, first, until) is Tri.NO
    assert active_during(pd("..2023"), None, first, until) is Tri.UNKNOWN
    assert active_during(pd("2020-09"), pd("..2022-04-01"), first, until) is Tri.UNKNOWN
    with pytest.raises(ValueError, match="empty period"):
        active_during(None, None, until, first)


def test_an_exclusive_end_is_said_as_the_day_before() -> None:
    assert last_day(pd("2020-04-01")).human() == "31 March 2020"
    assert last_day(pd("2021-01-01")) == pd("2020-12-31")
    assert last_day(pd("..2022-04-01")) == pd("..2022-03-31")
    assert last_day(pd("2020-04")) == pd("2020-04")  # the day before is not known to the month


@given(st.one_of(st.none(), partial_dates()), st.one_of(st.none(), partial_dates()), days)
def test_a_one_day_period_is_the_interval_rule_on_that_day(
    start: PartialDate | None, end: PartialDate | None, day: date
) -> None:
    assert active_during(start, end, day, day + timedelta(days=1)) is active_on(start, end, day)


@given(partial_dates(), partial_dates(), days, st.integers(min_value=1, max_value=800))
def test_a_period_is_yes_only_when_some_day_surely_is_and_no_when_none_can_be(
    start: PartialDate, end: PartialDate, first: date, length: int
) -> None:
    until = first + timedelta(days=length)
    answer = active_during(start, end, first, until)
    if answer is Tri.YES:  # surely started by the last day and surely not ended by the first
        assert start.latest < until and end.earliest > first
    if answer is Tri.NO:  # surely started after the last day, or surely ended by the first
        assert start.earliest >= until or end.latest <= first
