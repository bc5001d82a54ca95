"""Partial dates: parsing, printing, ordering, the interval rule (examples and properties)."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scidip.dates import (
    PartialDate,
    Precision,
    Tri,
    active_during,
    active_on,
    add_months,
    last_day,
)

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


# Two-sided bounds: "not before A, no later than B" -----------------------------------------------


def _plain(day: date, precision: Precision) -> PartialDate:
    first = {
        Precision.YEAR: day.replace(month=1, day=1),
        Precision.MONTH: day.replace(day=1),
        Precision.DAY: day,
    }[precision]
    return PartialDate(first, precision)


@st.composite
def bounded_dates(
    draw: st.DrawFn, lo: date = date(1900, 1, 1), hi: date = date(2100, 12, 31)
) -> PartialDate:
    """``A..B``: an upper bound ``B`` and a lower bound ``A`` that does not start after ``B``
    ends, each at its own precision, both from ``lo .. hi``."""
    precisions = st.sampled_from(list(Precision))
    upper = _plain(draw(st.dates(min_value=lo, max_value=hi)), draw(precisions))
    lower = _plain(draw(st.dates(min_value=lo, max_value=upper.last)), draw(precisions))
    assume(lower.first >= lo)
    return PartialDate(upper.first, upper.precision, True, lower)


def any_dates(lo: date = date(1900, 1, 1), hi: date = date(2100, 12, 31)) -> Any:
    """Plain, "no later than" and two-sided partial dates."""
    precisions = st.sampled_from(list(Precision))
    plain = st.builds(_plain, st.dates(min_value=lo, max_value=hi), precisions)
    one_sided = plain.map(lambda p: PartialDate(p.first, p.precision, True))
    return st.one_of(plain, one_sided, bounded_dates(lo, hi))


def test_two_sided_parse_print_and_say() -> None:
    value = pd("2001..2022-06")
    assert (value.first, value.precision, value.not_after) == (
        date(2022, 6, 1),
        Precision.MONTH,
        True,
    )
    assert value.not_before == pd("2001")
    assert (value.earliest, value.latest) == (date(2001, 1, 1), date(2022, 6, 30))
    assert str(value) == "2001..2022-06"
    assert value.human() == "not before 2001 and no later than June 2022"
    assert value.upper() == pd("2022-06")
    assert value.on_or_before(date(2000, 12, 31)) is Tri.NO
    assert value.on_or_before(date(2001, 1, 1)) is Tri.UNKNOWN
    assert value.on_or_before(date(2022, 6, 29)) is Tri.UNKNOWN
    assert value.on_or_before(date(2022, 6, 30)) is Tri.YES
    assert last_day(pd("2020-01-05..2020-04-01")) == pd("2020-01-04..2020-03-31")
    assert last_day(pd("2020..2020-04-01")) == pd("2020..2020-04-01")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023..2022", "the lower bound 2023 is after the upper bound 2022"),
        ("2022-07..2022-06-30", "the lower bound 2022-07 is after the upper bound 2022-06-30"),
        ("..2001..2022", "not a partial date"),
        ("2001..", "not a partial date"),
    ],
)
def test_two_sided_refuses_bounds_that_cannot_be(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)):
        pd(text)


@given(bounded_dates())
def test_two_sided_round_trips_as_text_and_as_stored_columns(value: PartialDate) -> None:
    assert pd(str(value)) == value
    assert PartialDate.from_parts(*value.__composite_values__()) == value


@given(any_dates(), days)
def test_two_sided_answers_agree_with_the_range_of_possible_days(
    value: PartialDate, day: date
) -> None:
    answer = value.on_or_before(day)
    assert (answer is Tri.YES) == (value.latest <= day)
    assert (answer is Tri.NO) == (day < value.earliest)
    assert (answer is Tri.UNKNOWN) == (value.earliest <= day < value.latest)


@given(bounded_dates(), days)
def test_a_lower_bound_only_decides_what_no_later_than_left_unknown(
    value: PartialDate, day: date
) -> None:
    """Consistency with the one-sided case: ``A..B`` answers as ``..B`` wherever ``..B`` can
    answer, and answers *no* exactly for the days before ``A``."""
    one_sided = PartialDate(value.first, value.precision, True)
    two_sided, alone = value.on_or_before(day), one_sided.on_or_before(day)
    if alone is not Tri.UNKNOWN:
        assert two_sided is alone
    assert (two_sided is Tri.NO) == (day < value.not_before.first)  # type: ignore[union-attr]


@given(any_dates(), any_dates())
def test_before_is_antisymmetric(a: PartialDate, b: PartialDate) -> None:
    if a.before(b) is Tri.YES:
        assert b.before(a) is Tri.NO
    if a.before(b) is Tri.NO and b.before(a) is Tri.NO:  # then both are the same single day
        assert a.earliest == a.latest == b.earliest == b.latest


@given(any_dates(), any_dates())
def test_before_is_unknown_exactly_when_the_possible_days_overlap(
    a: PartialDate, b: PartialDate
) -> None:
    """*Unknown* exactly when the ranges of possible days share a day, other than the one case
    where ``a``'s first possible day is ``b``'s last (``a`` is then surely not before ``b``)."""
    overlap = max(a.earliest, b.earliest) <= min(a.latest, b.latest)
    assert (a.before(b) is Tri.UNKNOWN) == (overlap and a.earliest != b.latest)


@settings(max_examples=60, deadline=None)
@given(
    any_dates(date(2020, 1, 1), date(2020, 3, 31)), any_dates(date(2020, 1, 1), date(2020, 3, 31))
)
def test_before_agrees_with_every_pair_of_possible_days(a: PartialDate, b: PartialDate) -> None:
    """Brute force over the days each may be (bounded dates, so both ranges are finite)."""
    assume(a.earliest != date.min and b.earliest != date.min)
    days_a = [a.earliest + timedelta(days=i) for i in range((a.latest - a.earliest).days + 1)]
    days_b = [b.earliest + timedelta(days=i) for i in range((b.latest - b.earliest).days + 1)]
    pairs = [x < y for x, y in itertools.product(days_a, days_b)]
    expected = Tri.YES if all(pairs) else Tri.NO if not any(pairs) else Tri.UNKNOWN
    assert a.before(b) is expected


@given(any_dates(), days)
def test_before_the_next_day_is_on_or_before_the_day(value: PartialDate, day: date) -> None:
    assume(day < date(2100, 12, 31))
    assert value.before(PartialDate(day + timedelta(days=1))) is value.on_or_before(day)


@given(bounded_dates(), st.sampled_from([-24, -12, 12, 36]))
def test_a_two_sided_date_moves_both_bounds(value: PartialDate, months: int) -> None:
    earliest, latest = value.bounds_plus_months(months)
    assert earliest == add_months(value.earliest, months)
    assert latest == add_months(value.latest, months)
