"""Exports: CSV and JSON of every list, Popolo JSON, the iCalendar feed."""

from __future__ import annotations

import csv
import io
from datetime import date

from fastapi.testclient import TestClient
from icalendar import Calendar

from scidip.registry.concepts import CONCEPTS


def test_every_list_exports_as_csv_and_json_with_the_same_rows(editor: TestClient) -> None:
    for concept in CONCEPTS:
        as_json = editor.get(f"/api/v1/exports/{concept.name}.json")
        as_csv = editor.get(f"/api/v1/exports/{concept.name}.csv")
        assert (as_json.status_code, as_csv.status_code) == (200, 200), concept.name
        assert as_csv.headers["content-disposition"] == (
            f'attachment; filename="{concept.name}.csv"'
        )
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert [r["key"] for r in rows] == [r["key"] for r in as_json.json()], concept.name


def test_csv_flattens_keys_and_structures(editor: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(editor.get("/api/v1/exports/documents.csv").text)))
    assert [(r["key"], r["authors"], r["follow_ups"], r["summary"]) for r in rows] == [
        (
            "recommendation-2022-06",
            "kotani-motoko; matsumoto-yoichiro",
            '[{"date": "2022-06", "note": null, "status": "submitted"}]',
            "",
        )
    ]


def test_popolo(editor: TestClient) -> None:
    popolo = editor.get("/api/v1/exports/popolo.json").json()
    assert sorted(popolo) == ["memberships", "organizations", "persons", "posts"]
    assert popolo["persons"][1] == {
        "id": "kishi-teruo",
        "name": "KISHI Teruo",
        "family_name": "KISHI",
        "given_name": "Teruo",
        "other_names": [{"name": "岸輝雄", "lang": "ja", "note": None}],
    }
    assert popolo["posts"] == [
        {
            "id": "foreign-minister",
            "label": "Minister for Foreign Affairs",
            "organization_id": "mofa",
        },
        {
            "id": "mofa-st-advisor",
            "label": "Science and Technology Advisor to the Minister for Foreign Affairs",
            "organization_id": "mofa",
        },
    ]
    by_id = {m["id"]: m for m in popolo["memberships"]}
    assert by_id["board-vice-kotani"] == {
        "id": "board-vice-kotani",
        "person_id": "kotani-motoko",
        "organization_id": "advisory-board",
        "role": "vice-chair",
        "start_date": "2022-04",
        "end_date": None,
    }
    assert by_id["kishi-advisor"] == {
        "id": "kishi-advisor",
        "person_id": "kishi-teruo",
        "post_id": "mofa-st-advisor",
        "organization_id": "mofa",
        "start_date": "2015-09",
        "end_date": "2020-04",
    }


def test_calendar_holds_the_events_known_to_the_day(editor: TestClient) -> None:
    response = editor.get("/api/v1/exports/calendar.ics")
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    events = [
        (
            str(e["uid"]),
            str(e["summary"]),
            e.decoded("dtstart"),
            e.decoded("dtend"),
            str(e["location"]),
        )
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert events == [
        (
            "meeting-jc-rus-13@scidip",
            "Japan-Russia Joint Committee on S&T Cooperation, meeting 13",
            date(2018, 4, 9),
            date(2018, 4, 10),
            "Tokyo",
        )
    ]


def test_csv_export_neutralises_formulas(editor: TestClient) -> None:
    source = {
        "key": "formula-source",
        "title": '=HYPERLINK("http://evil.example","x")',
        "publisher": "+cmd|' /C calc'!A0",
    }
    assert editor.post("/api/v1/sources", json=source).status_code == 201
    rows = list(csv.DictReader(io.StringIO(editor.get("/api/v1/exports/sources.csv").text)))
    (row,) = [r for r in rows if r["key"] == "formula-source"]
    assert (row["title"], row["publisher"]) == (
        '\'=HYPERLINK("http://evil.example","x")',
        "'+cmd|' /C calc'!A0",
    )
