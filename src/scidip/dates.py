"""Partial dates and the interval rule, in one place.

Many facts of the registry are known only to the month ("in June 2022") or the year, and some only
as "no later than" a date: a publication of 2023 that reports a succession tells us it happened by
the end of 2022, not when. A :class:`PartialDate` keeps what is known and no more:

>>> PartialDate.parse("2022-06")
PartialDate('2022-06')
>>> str(PartialDate.parse("..2022"))
'..2022'
>>> PartialDate.parse("..2022").human()
'no later than 2022'
>>> PartialDate.parse("2001..2022").human()
'not before 2001 and no later than 2022'

A date known to lie between two bounds ("after the 2001 white paper was written, and by the 2022
count") is written ``A..B``: not before the first day of ``A``, no later than the last day of
``B``. Each bound keeps its own precision.

Each partial date stands for a range of possible days, ``earliest .. latest`` (both inclusive).
Questions about it answer :class:`Tri` — yes, no, or *unknown* when the known precision cannot
decide — never a guess.

The interval rule: a record with ``start`` and ``end`` is active on ``as_of`` when
``start <= as_of < end``; a missing ``start`` means active from the beginning of what the registry
knows, a missing ``end`` means still active. See :func:`active_on`, :func:`active_during` for a
period, and :func:`last_day` for how an exclusive end is said (the day before it).
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


class Tri(enum.Enum):
    """A three-valued answer: yes, no, or unknown at the precision the facts have.

    It deliberately has no truth value: ``if answer:`` raises, so that *unknown* is never read as
    *no* by accident. Compare with ``Tri.YES`` or use :meth:`is_yes`.
    """

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    def __bool__(self) -> bool:
        raise TypeError("a Tri is yes, no or unknown: compare it with Tri.YES explicitly")

    @classmethod
    def of(cls, value: bool) -> Tri:
        """``Tri.YES`` for ``True``, ``Tri.NO`` for ``False``."""
        return cls.YES if value else cls.NO

    def is_yes(self) -> bool:
        """True only for ``Tri.YES``."""
        return self is Tri.YES

    def and_(self, other: Tri) -> Tri:
        """Kleene conjunction: no if either is no, yes if both are yes, else unknown."""
        if Tri.NO in (self, other):
            return Tri.NO
        if self is Tri.YES and other is Tri.YES:
            return Tri.YES
        return Tri.UNKNOWN

    def not_(self) -> Tri:
        """Kleene negation: unknown stays unknown."""
        return _NEGATION[self]


_NEGATION = {Tri.YES: Tri.NO, Tri.NO: Tri.YES, Tri.UNKNOWN: Tri.UNKNOWN}


class Precision(enum.StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_PATTERN = re.compile(
    r"^(?:(?P<nb>\d{4}(?:-\d{2}(?:-\d{2})?)?)?(?P<nlt>\.\.))?"
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$"
)
_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}
_PRECISION = {p.value: p for p in Precision}  # faster than Precision(value), read once per row


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day, possibly only within bounds.

    ``first`` is the first day of the period named (1 January for a year, the 1st for a month);
    ``precision`` says how much is known; ``not_after`` marks a date known only as "no later than
    the end of that period" (written ``..2022``); ``not_before``, with ``not_after``, adds a lower
    bound: not before the first day of that period (written ``2001..2022``).
    """

    first: date
    precision: Precision = Precision.DAY
    not_after: bool = False
    not_before: PartialDate | None = None
    _last: date = field(init=False, repr=False, compare=False)  # worked out once

    def __post_init__(self) -> None:
        first, precision, lower = self.first, self.precision, self.not_before
        if lower is not None and (not self.not_after or lower.not_after):
            raise ValueError("a lower bound needs an upper bound ('A..B'), and is a plain date")
        if precision == Precision.DAY:
            last = first
        elif first.day == 1 and precision == Precision.MONTH:
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        elif first.day == 1 and first.month == 1:
            last = first.replace(month=12, day=31)
        else:
            raise ValueError(f"{first.isoformat()} is not the first day of its {precision.value}")
        if lower is not None and lower.first > last:
            raise ValueError(f"the lower bound {lower} is after the upper bound {self.upper()}")
        object.__setattr__(self, "_last", last)

    # construction -------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str | date | PartialDate) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, each optionally prefixed by ``..`` ("no
        later than") or by a lower bound and ``..`` (``2001..2022``: not before 2001, no later
        than 2022).

        A :class:`datetime.date` becomes a day-precision date. Raises ``ValueError`` on anything
        else, naming the text.
        """
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, date):
            return cls(text, Precision.DAY)
        match = _PATTERN.match(str(text).strip())
        if match is None:
            raise ValueError(
                f"not a partial date: {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD, "
                "optionally prefixed by '..' for 'no later than' or by 'A..' for 'not before A')"
            )
        lower = cls.parse(match["nb"]) if match["nb"] else None
        year, month, day = match["y"], match["m"], match["d"]
        try:
            if day is not None:
                first, precision = date(int(year), int(month), int(day)), Precision.DAY
            elif month is not None:
                first, precision = date(int(year), int(month), 1), Precision.MONTH
            else:
                first, precision = date(int(year), 1, 1), Precision.YEAR
        except ValueError as exc:
            raise ValueError(f"not a valid date: {text!r} ({exc})") from None
        try:
            return cls(first, precision, match["nlt"] is not None, lower)
        except ValueError as exc:
            raise ValueError(f"not a valid date: {text!r} ({exc})") from None

    @classmethod
    def from_parts(
        cls,
        first: date | None,
        precision: str | None,
        not_after: bool | None,
        not_before: date | None = None,
        not_before_precision: str | None = None,
    ) -> Any:
        """Rebuild from stored columns; all ``None`` gives ``None`` (no date recorded)."""
        if first is None:
            return None
        return stored(
            first,
            precision or Precision.DAY.value,
            bool(not_after),
            not_before,
            not_before_precision,
        )

    def __composite_values__(self) -> tuple[date, str, bool, date | None, str | None]:
        """The stored columns: first day, precision, "no later than" flag, and the lower bound's
        first day and precision (see ``db.base.partial_date_column``)."""
        lower = self.not_before
        if lower is None:
            return (self.first, self.precision.value, self.not_after, None, None)
        return (self.first, self.precision.value, True, lower.first, lower.precision.value)

    def upper(self) -> PartialDate:
        """The date without its bounds: the period named (``2022`` for ``2001..2022``)."""
        return PartialDate(self.first, self.precision) if self.not_after else self

    # the range of days it stands for -------------------------------------------------------------

    @property
    def last(self) -> date:
        """The last day of the period named (inclusive)."""
        return self._last

    @property
    def earliest(self) -> date:
        """The earliest day it can be: the lower bound's first day, else ``date.min`` for a "no
        later than" date."""
        if self.not_before is not None:
            return self.not_before.first
        return date.min if self.not_after else self.first

    @property
    def latest(self) -> date:
        """The latest day it can be (inclusive)."""
        return self.last

    # questions -----------------------------------------------------------------------------------

    def on_or_before(self, day: date) -> Tri:
        """Did it happen on or before ``day``? *Unknown* when ``day`` falls within its possible
        days, before the last of them."""
        if self._last <= day:
            return Tri.YES
        if self.earliest > day:
            return Tri.NO
        return Tri.UNKNOWN

    def after(self, day: date) -> Tri:
        """Did it happen strictly after ``day``?"""
        return self.on_or_before(day).not_()

    def before(self, other: PartialDate) -> Tri:
        """Did it happen strictly before ``other``? Yes when its latest possible day is before
        the other's earliest; no when its earliest is on or after the other's latest; *unknown*
        otherwise (some possible days are before, some are not)."""
        if self._last < other.earliest:
            return Tri.YES
        if self.earliest >= other.latest:
            return Tri.NO
        return Tri.UNKNOWN

    def contains(self, day: date) -> bool:
        """Is ``day`` one of the days it may be?"""
        return self.earliest <= day <= self.latest

    def overlaps(self, start: date, end: date) -> Tri:
        """Did it happen within ``start <= day < end``?"""
        if self.latest < start or self.earliest >= end:
            return Tri.NO
        if self.earliest >= start and self.latest < end:
            return Tri.YES
        return Tri.UNKNOWN

    def plus_months(self, months: int) -> PartialDate:
        """The same period ``months`` later, at the same precision (the day clamped to the month's
        end: 31 January plus one month is 28 or 29 February). A year moves only by whole years:
        otherwise the result is no longer a year, and ``ValueError`` is raised; use
        :meth:`bounds_plus_months` for the range of possible days instead."""
        if self.precision is Precision.YEAR and months % 12:
            raise ValueError(f"{self} plus {months} months is not a calendar year")
        lower = self.not_before.plus_months(months) if self.not_before is not None else None
        return PartialDate(add_months(self.first, months), self.precision, self.not_after, lower)

    def bounds_plus_months(self, months: int) -> tuple[date, date]:
        """The earliest and latest possible day, ``months`` later (earliest ``date.min`` for a
        "no later than" date without a lower bound)."""
        earliest = self.earliest
        if earliest != date.min:
            earliest = add_months(earliest, months)
        return earliest, add_months(self.last, months)

    # printing and ordering -----------------------------------------------------------------------

    def __str__(self) -> str:
        text = {
            Precision.YEAR: f"{self.first.year:04d}",
            Precision.MONTH: f"{self.first.year:04d}-{self.first.month:02d}",
            Precision.DAY: self.first.isoformat(),
        }[self.precision]
        if self.not_before is not None:
            return f"{self.not_before}..{text}"
        return f"..{text}" if self.not_after else text

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def human(self) -> str:
        """A reader's form: ``June 2022``, ``15 June 2022``, ``no later than 2022``, ``not before
        2001 and no later than 2022``."""
        if self.precision is Precision.YEAR:
            text = str(self.first.year)
        elif self.precision is Precision.MONTH:
            text = f"{calendar.month_name[self.first.month]} {self.first.year}"
        else:
            text = f"{self.first.day} {calendar.month_name[self.first.month]} {self.first.year}"
        if self.not_before is not None:
            return f"not before {self.not_before.human()} and no later than {text}"
        return f"no later than {text}" if self.not_after else text

    def sort_key(self) -> tuple[date, date, int]:
        """A total order: by earliest day, then latest day, then coarser before finer."""
        return (self.earliest, self.latest, _RANK[self.precision])

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PartialDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PartialDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PartialDate) -> bool:
        return self.sort_key() >= other.sort_key()


@functools.lru_cache(maxsize=1 << 16)
def stored(
    first: date,
    precision: str,
    not_after: bool,
    not_before: date | None = None,
    not_before_precision: str | None = None,
) -> PartialDate:
    """A stored date, built once per process for each distinct value (dates are immutable, and
    reading thousands of rows repeats many)."""
    lower = None
    if not_before is not None:
        lower = PartialDate(not_before, _PRECISION[not_before_precision or Precision.DAY.value])
    return PartialDate(first, _PRECISION[precision], not_after or lower is not None, lower)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of a shorter month; past either end of
    the calendar (before 0001-01-01, after 9999-12-31) it stops there, at ``date.min`` or
    ``date.max``."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at ``date.min`` or ``date.max`` past either end of the
    calendar (a horizon after 9999-12-31 is 9999-12-31: no later day can be recorded)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def parse_optional(text: str | date | PartialDate | None) -> PartialDate | None:
    """:meth:`PartialDate.parse`, passing ``None`` through."""
    return None if text is None else PartialDate.parse(text)


def active_on(start: PartialDate | None, end: PartialDate | None, as_of: date) -> Tri:
    """The interval rule: is a record that runs from ``start`` to ``end`` active on ``as_of``?

    Active means ``start <= as_of < end``: the start day counts, the end day does not. ``start``
    ``None`` means active from the beginning of what is known; ``end`` ``None`` means no end is
    recorded (still active). Where a date's precision cannot decide, the answer is
    ``Tri.UNKNOWN``.
    """
    started = Tri.YES if start is None else start.on_or_before(as_of)
    not_ended = Tri.YES if end is None else end.after(as_of)
    return started.and_(not_ended)


def active_during(
    start: PartialDate | None, end: PartialDate | None, first: date, until: date
) -> Tri:
    """The interval rule over a period: was a record that runs from ``start`` to ``end`` (``end``
    exclusive, as in :func:`active_on`) active on at least one day of ``first <= day < until``?

    It was when it started no later than the period's last day and ended after its first day:
    a term that ends (exclusive) on 1 January 2023 was active in 2022, one that starts on
    1 January 2023 was not. ``None`` bounds as in :func:`active_on`; *unknown* where a date's
    precision cannot decide.
    """
    if until <= first:
        raise ValueError(f"empty period: {first.isoformat()} .. {until.isoformat()}")
    last = until - timedelta(days=1)
    started = Tri.YES if start is None else start.on_or_before(last)
    not_ended = Tri.YES if end is None else end.after(first)
    return started.and_(not_ended)


def last_day(end: PartialDate) -> PartialDate:
    """The last day a record is active, given its exclusive ``end``: the day before a day-precise
    end (a term ending 2020-04-01 was held on 31 March 2020, its last day). An end known only to
    the month or the year is returned as it is: the day before it is not known to that precision
    (the term ended in that month or year, or on the last day of the period before it)."""
    if end.precision is not Precision.DAY:
        return end
    lower = end.not_before
    if lower is not None and lower.precision is not Precision.DAY:
        return end
    if lower is not None:
        lower = PartialDate(lower.first - timedelta(days=1), Precision.DAY)
    return PartialDate(end.first - timedelta(days=1), Precision.DAY, end.not_after, lower)
