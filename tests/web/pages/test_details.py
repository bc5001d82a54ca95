"""Details of the pages: agreement timelines in date order (a "no later than" date by its
bound), no "meeting , Ottawa", meeting outcomes shown, coverage in words as well as colours, a
committee never due before its agreement exists, no \\u0027 escapes."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.committee.service import MEETING
from scidip.registry.concepts import BY_NAME

from .test_pages import login


def _rows(html: str, element_id: str) -> list[str]:
    part = html.split(f'id="{element_id}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_an_agreement_timeline_is_in_date_order(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/agreements/jpn-ussr-1973").text
    dates = [row.split(" ")[0] for row in _rows(page, "timeline")[1:]]
    assert dates[:5] == ["1973-10-10", "1973-10-10", "1973-10-10", "1991-12-26", "2000-09-04"]
    assert set(dates[5:]) == {"no"}  # "no later than 2022", after the dated ones


def test_meetings_without_a_number_read_well_and_show_their_outcomes(
    app: FastAPI, db: Session
) -> None:
    found = record.get(db, MEETING, "jc-rus-13")
    data = record.snapshot(db, MEETING, found).model_copy(
        update={"number": None, "place": "Ottawa", "outcomes": "Two joint calls agreed"}
    )
    record.update(db, MEETING, "jc-rus-13", data, found.version, "test")
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/agreements/jpn-rus-2000").text
    assert "meeting , Ottawa" not in page
    assert (
        '>a meeting</a>, Ottawa (in person)<div class="outcome">Outcomes: Two joint calls agreed'
        in page
    )
    calendar = client.get("/calendar", params={"month": "2018-04"}).text
    assert ">Japan-Russia Joint Committee on S&amp;T Cooperation</a>" in calendar


def test_coverage_is_said_in_words_not_by_colour_alone(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/agreements", params={"as_of": "2022-12-31"}).text
    assert (
        '>KAZ<span class="mark" aria-hidden="true"> ✓</span><span class="sr-only"> (covered)'
        in page
    )


def test_a_committee_is_not_due_before_its_agreement_exists(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/committees/jc-rus", params={"as_of": "1995-06-30"}).text
    assert "<strong>not overdue</strong> — its agreement dates only from 2000" in page
    dashboard = client.get("/", params={"as_of": "1995-06-30"}).text
    assert (
        "Japan-Russia Joint Committee"
        not in dashboard.split("<h2>Committees overdue</h2>")[1].split("<h2>")[0]
    )


def test_apostrophes_are_shown_as_written(app: FastAPI, db: Session) -> None:
    persons = BY_NAME["persons"]
    found = record.get(db, persons, "kishi-teruo")
    data = record.snapshot(db, persons, found).model_copy(update={"note": "Japan's advisor"})
    record.update(db, persons, "kishi-teruo", data, found.version, "test")
    client = login(app, db, Role.admin, Sensitivity.restricted)
    audit = client.get("/audit", params={"key": "kishi-teruo"}).text
    assert "→ &#34;Japan&#39;s advisor&#34;" in audit and "\\u0027" not in audit
