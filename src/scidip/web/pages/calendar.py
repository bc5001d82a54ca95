"""The calendar page: a month of committee meetings and engagements; those known only to the
month are listed under the grid, never placed on a guessed day."""

from __future__ import annotations

import calendar as cal
import re
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from scidip.dates import PartialDate, Precision
from scidip.errors import InvalidData
from scidip.registry.committee.service import COMMITTEE, MEETING
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.guarded import visible_payloads
from scidip.web.deps import DbSession
from scidip.web.pages.context import AsOfPage, PageUser, render_read

router = APIRouter(include_in_schema=False)


MONTH = re.compile(r"\d{4}-\d{2}")


def _month(text: str | None, as_of: date) -> date:
    """The first day of ``?month=YYYY-MM`` (0001-01 to 9999-12), or of the as-of month."""
    if not text:
        return as_of.replace(day=1)
    try:
        if MONTH.fullmatch(text):
            return date.fromisoformat(f"{text}-01")
    except ValueError:
        pass
    raise InvalidData(f"month: {text!r} is not a month; write it YYYY-MM (0001-01 to 9999-12)")


def _neighbours(first: date) -> tuple[str | None, str | None]:
    """The months before and after, as ``YYYY-MM``; ``None`` past either end of the calendar."""

    def month(day: date) -> str:
        return f"{day.year:04d}-{day.month:02d}"  # strftime does not pad year 1 to 0001

    previous = month(first - timedelta(days=1)) if first > date.min else None
    following = None
    if (first.year, first.month) < (date.max.year, date.max.month):
        following = month(first.replace(day=28) + timedelta(days=4))
    return previous, following


def month_events(
    items: list[dict[str, Any]], first: date
) -> tuple[dict[int, list[Any]], list[Any]]:
    """Events of the month starting ``first``: by day for those known to the day, and a list of
    those known only to the month."""
    by_day: dict[int, list[Any]] = {}
    undated: list[Any] = []
    for item in items:
        if not item["date"] or item["date"].startswith(".."):
            continue
        when = PartialDate.parse(item["date"])
        if (when.first.year, when.first.month) != (first.year, first.month):
            continue
        if when.precision is Precision.DAY:
            by_day.setdefault(when.first.day, []).append(item)
        elif when.precision is Precision.MONTH:
            undated.append(item)
    return by_day, undated


@router.get("/calendar", response_class=HTMLResponse, name="calendar_page")
def calendar_page(
    request: Request, db: DbSession, page: PageUser, as_of: AsOfPage, month: str | None = None
) -> Response:
    """One month of meetings and engagements (``?month=YYYY-MM``; default: the as-of month)."""
    first = _month(month, as_of)
    clearance = page.who.clearance

    def gather() -> dict[str, Any]:
        committees = {c["key"]: c["name"] for c in visible_payloads(db, COMMITTEE, clearance)}
        meetings = [
            {
                **m,
                "title": f"{committees.get(m['committee'])}"
                + (f", meeting {m['number']}" if m["number"] else ""),
                "link": f"/committees/{m['committee']}#meeting-{m['key']}",
            }
            for m in visible_payloads(db, MEETING, clearance)
        ]
        engagements = [
            {**e, "link": f"/engagements/{e['key']}"}
            for e in visible_payloads(db, ENGAGEMENT, clearance)
        ]
        by_day, undated = month_events(meetings + engagements, first)
        previous, following = _neighbours(first)
        return {
            "first": first,
            "weeks": cal.Calendar().monthdayscalendar(first.year, first.month),
            "by_day": by_day,
            "undated": undated,
            "previous": previous,
            "following": following,
        }

    return render_read(request, "calendar.html", page, gather)
