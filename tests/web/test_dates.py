"""Every date path accepts the whole range a day can take (0001-01-01 to 9999-12-31) and refuses
the rest with a 4xx, on the API and the pages; the calendar feed survives the last day."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from markupsafe import escape
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity

from .pages.test_pages import login

EDGES = ("0001-01-01", "9999-12-31")
INVALID = (
    "today",
    "2022-13-01",
    "2022-02-30",
    "0000-01-01",
    "10000-01-01",
    "20221231",
    "2022-W01-1",
    "2022-12-31T00:00",
    "-1.5e-190",
    "2022-1-1",
)


def _date_routes(app: FastAPI) -> list[tuple[str, list[str]]]:
    """GET routes of the API without path parameters, with their query parameters of days."""
    schema = app.openapi()
    found = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path:
            continue
        days = [
            p["name"]
            for p in operation.get("parameters", [])
            if p.get("schema", {}).get("format") == "date"
            or any(s.get("format") == "date" for s in p.get("schema", {}).get("anyOf", []))
        ]
        if days:
            found.append((path, days))
    return found


def test_api_days_take_the_whole_range_and_refuse_the_rest(app: FastAPI, admin: TestClient) -> None:
    routes = _date_routes(app)
    assert len(routes) >= 12
    for path, names in [*routes, ("/api/v1/reports/country/RUS", ["as_of"])]:
        for name in names:
            for day in EDGES:
                response = admin.get(path, params={name: day, "format": "md"})
                assert response.status_code == 200, (path, name, day, response.text[:200])
            for bad in INVALID:
                response = admin.get(path, params={name: bad})
                assert response.status_code == 422, (path, name, bad)
                assert response.json()["detail"][0]["loc"] == ["query", name]


PAGES = (
    "/",
    "/agreements",
    "/agreements/jpn-ussr-1973",
    "/audit",
    "/bodies/mofa",
    "/calendar",
    "/countries/RUS",
    "/engagements",
    "/map",
    "/people",
    "/posts/foreign-minister",
    "/records/persons/kishi-teruo",
    "/reports",
    "/search?q=Russia",
)
"""Every read page (the edit form, which reads no as-of date, is left out)."""


def test_pages_take_the_whole_range_and_say_what_is_wrong(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.admin, Sensitivity.restricted)
    for page in PAGES:
        for day in EDGES:
            response = client.get(page, params={"as_of": day})
            assert response.status_code in (200, 303), (page, day)
        for bad in INVALID:
            response = client.get(page, params={"as_of": bad})
            assert response.status_code == 422, (page, bad)
            said = f"as_of: {bad!r} is not a day; write it YYYY-MM-DD, e.g. 2022-12-31"
            assert escape(said) in response.text


def test_calendar_page_months_at_both_ends(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.public)
    last = client.get("/calendar", params={"month": "9999-12"})
    assert last.status_code == 200 and "9999-11" in last.text and "10000" not in last.text
    first = client.get("/calendar", params={"month": "0001-01"})
    assert first.status_code == 200 and "0001-02" in first.text
    for bad in ("2022-13", "0000-12", "2022", "june"):
        refused = client.get("/calendar", params={"month": bad})
        assert refused.status_code == 422 and "is not a month; write it YYYY-MM" in refused.text


def test_reports_page_refuses_a_bad_year_on_the_page(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.public)
    empty = client.get("/reports/annual", params={"year": "", "format": "md"})
    assert empty.status_code == 422 and "text/html" in empty.headers["content-type"]
    assert "year: no year was given: enter a year from 1900 to 2200" in empty.text
    bad = client.get("/reports/annual", params={"year": "20x2", "format": "md"})
    assert bad.status_code == 422 and "year: &#39;20x2&#39; is not a year from 1900" in bad.text
    ok = client.get("/reports/annual", params={"year": "2022", "format": "md"})
    assert (ok.status_code, ok.headers["location"]) == (
        303,
        "/api/v1/reports/annual?format=md&year=2022",
    )


def test_edit_form_with_a_version_that_is_not_a_number_is_refused(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    form = client.get("/records/persons/kishi-teruo/edit").text
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    for version in ("abc", "99999999999", "-1"):
        response = client.post(
            "/records/persons/kishi-teruo/edit",
            data={"csrf_token": csrf, "version": version, "name": "KISHI Teruo"},
        )
        assert response.status_code == 422, version
        assert "is not a version; reload the record and edit again" in response.text


def test_the_calendar_feed_holds_the_last_day_with_class_and_dtstamp(
    editor: TestClient,
) -> None:
    meeting = {
        "key": "jc-last",
        "committee": "jc-rus",
        "number": 99,
        "date": "9999-12-31",
        "sensitivity": "internal",
    }
    assert editor.post("/api/v1/meetings", json=meeting).status_code == 201
    feed = editor.get("/api/v1/exports/calendar.ics")
    assert feed.status_code == 200
    events = {str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    last = events["meeting-jc-last@scidip"]
    assert (last.decoded("dtstart"), str(last["class"])) == (date(9999, 12, 31), "PRIVATE")
    assert "dtend" not in last and str(last.decoded("duration")) == "1 day, 0:00:00"
    assert last.decoded("dtstamp").tzinfo is not None
    public = events["meeting-jc-rus-13@scidip"]
    assert str(public["class"]) == "PUBLIC" and public.decoded("dtend") == date(2018, 4, 10)
    assert all("dtstamp" in e for e in events.values())


def test_login_page_shows_no_text_from_the_query(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/login", params={"error": "Session expired: call +1 555 0100 now"})
    assert page.status_code == 200
    assert "555 0100" not in page.text and 'role="alert"' not in page.text


@pytest.mark.parametrize("value", ["x\x00y"])
def test_nul_text_is_refused_on_every_database(editor: TestClient, value: str) -> None:
    created = editor.post("/api/v1/persons", json={"key": "nul", "name": value})
    assert created.status_code == 422
    # Refused by the field-length check before the schema's own (db/limits.py).
    assert created.json()["detail"][0]["msg"] == "person.name: a NUL character is not allowed"
    listed = editor.get("/api/v1/persons", params={"q": value})
    assert listed.status_code == 422


def test_values_the_database_cannot_hold_are_422(editor: TestClient) -> None:
    big = editor.post(
        "/api/v1/meetings", json={"key": "jc-big", "committee": "jc-rus", "number": 2**31}
    )
    assert big.status_code == 422
    assert big.json()["detail"][0]["loc"] == ["body", "number"]
    long_key = editor.post("/api/v1/persons", json={"key": "k" * 161, "name": "N"})
    assert long_key.status_code == 422
    version = editor.put(
        "/api/v1/persons/kishi-teruo", params={"version": 2**31}, json={"key": "kishi-teruo"}
    )
    assert version.status_code == 422
