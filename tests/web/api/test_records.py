"""The record routes of every concept: list, read, create, update, end, delete, history."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry.audit.models import AuditEntry
from scidip.registry.body.service import MEMBERSHIP
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.person.service import PERSON
from scidip.registry.record import get, snapshot, update

META = ("id", "version", "created_at", "updated_at")


def _meta(session: Session, concept: Any, key: str) -> dict[str, Any]:
    record = get(session, concept, key)
    when = TypeAdapter(datetime)  # as the API writes times: "Z" for UTC where the engine keeps it
    return {
        "id": record.id,
        "version": record.version,
        "created_at": when.dump_python(record.created_at, mode="json"),
        "updated_at": when.dump_python(record.updated_at, mode="json"),
    }


def _strip(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in META}


def test_read_a_person_gives_the_whole_record(editor: TestClient, db: Session) -> None:
    response = editor.get("/api/v1/persons/kishi-teruo")
    assert response.status_code == 200
    assert response.json() == {
        **_meta(db, PERSON, "kishi-teruo"),
        "key": "kishi-teruo",
        "sensitivity": "public",
        "sources": [],
        "name": "KISHI Teruo",
        "family_name": "KISHI",
        "given_name": "Teruo",
        "other_names": [{"name": "岸輝雄", "lang": "ja", "note": None}],
        "note": None,
    }


def test_read_an_unknown_record_is_404(editor: TestClient) -> None:
    response = editor.get("/api/v1/persons/nobody")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "no person with key 'nobody'"},
    )


def test_list_filters_pages_and_counts(editor: TestClient) -> None:
    response = editor.get("/api/v1/appointments", params={"post": "mofa-st-advisor"})
    assert [_strip(i) for i in response.json()["items"]] == [
        {
            "key": "kishi-advisor",
            "sensitivity": "public",
            "sources": [],
            "person": "kishi-teruo",
            "post": "mofa-st-advisor",
            "start": "2015-09",
            "end": "2020-04",
            "note": None,
        },
        {
            "key": "matsumoto-advisor",
            "sensitivity": "public",
            "sources": [],
            "person": "matsumoto-yoichiro",
            "post": "mofa-st-advisor",
            "start": "2020-04",
            "end": None,
            "note": None,
        },
    ]
    page = editor.get("/api/v1/parties", params={"limit": 3, "offset": 2}).json()
    assert ([i["key"] for i in page["items"]], page["total"], page["limit"], page["offset"]) == (
        ["BEL", "BIH", "BLR"],
        29,
        3,
        2,
    )


def test_list_as_of_keeps_what_is_active_that_day(editor: TestClient) -> None:
    def keys(as_of: str) -> list[str]:
        page = editor.get("/api/v1/appointments", params={"as_of": as_of}).json()
        return [i["key"] for i in page["items"]]

    assert keys("2019-01-01") == ["kishi-advisor"]
    assert keys("2022-01-01") == ["hayashi-fm", "matsumoto-advisor"]
    # 2020-04 is the month of the hand-over: each appointment may or may not be active.
    assert keys("2020-04-15") == ["kishi-advisor", "matsumoto-advisor"]


def test_search_finds_names_and_japanese_aliases(editor: TestClient) -> None:
    def keys(q: str) -> list[str]:
        return [i["key"] for i in editor.get("/api/v1/persons", params={"q": q}).json()["items"]]

    assert keys("松本") == ["matsumoto-yoichiro"]
    assert keys("kotani") == ["kotani-motoko"]
    assert keys("nobody") == []


def test_create_update_delete_with_versions_and_audit(editor: TestClient, db: Session) -> None:
    body = {
        "key": "doe-jane",
        "name": "DOE Jane",
        "other_names": [{"name": "ジェーン", "lang": "ja"}],
    }
    created = editor.post("/api/v1/persons", json=body)
    assert created.status_code == 201
    assert _strip(created.json()) == {
        "key": "doe-jane",
        "sensitivity": "public",
        "sources": [],
        "name": "DOE Jane",
        "family_name": None,
        "given_name": None,
        "other_names": [{"name": "ジェーン", "lang": "ja", "note": None}],
        "note": None,
    }
    assert created.json()["version"] == 1
    changed = {**body, "name": "DOE Jane Q."}
    updated = editor.put("/api/v1/persons/doe-jane", params={"version": 1}, json=changed)
    assert (updated.status_code, updated.json()["name"], updated.json()["version"]) == (
        200,
        "DOE Jane Q.",
        2,
    )
    stale = editor.put("/api/v1/persons/doe-jane", params={"version": 1}, json=body)
    assert (stale.status_code, stale.json()) == (
        409,
        {
            "detail": "person 'doe-jane' is at version 2, the update was based on version 1: "
            "reload and apply the change again"
        },
    )
    assert editor.get("/api/v1/persons/doe-jane").json()["name"] == "DOE Jane Q."
    deleted = editor.delete("/api/v1/persons/doe-jane", params={"version": 2})
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert editor.get("/api/v1/persons/doe-jane").status_code == 404
    audit = db.scalars(
        select(AuditEntry).where(AuditEntry.record_key == "doe-jane").order_by(AuditEntry.id)
    )
    assert [(a.actor, a.action) for a in audit] == [
        ("editor-restricted", "create"),
        ("editor-restricted", "update"),
        ("editor-restricted", "delete"),
    ]


def test_write_errors_map_to_statuses(editor: TestClient) -> None:
    taken = editor.post("/api/v1/persons", json={"key": "kishi-teruo", "name": "X"})
    assert (taken.status_code, taken.json()) == (
        409,
        {
            "detail": "person key 'kishi-teruo' is not available: choose another key, or leave "
            "the key out and the registry assigns one"
        },
    )
    bad_ref = editor.post(
        "/api/v1/appointments", json={"key": "a1", "person": "nobody", "post": "mofa-st-advisor"}
    )
    assert (bad_ref.status_code, bad_ref.json()) == (
        422,
        {
            "detail": [
                {
                    "loc": ["body", "person"],
                    "msg": "person: no person with key 'nobody'",
                    "type": "invalid_data",
                }
            ]
        },
    )
    referenced = editor.delete("/api/v1/persons/kishi-teruo", params={"version": 1})
    assert (referenced.status_code, referenced.json()) == (
        409,
        {"detail": "person 'kishi-teruo' is still referenced by other records"},
    )
    unknown_field = editor.post("/api/v1/persons", json={"key": "x", "name": "X", "nmae": "Y"})
    assert unknown_field.status_code == 422
    assert unknown_field.json()["detail"][0]["loc"] == ["body", "nmae"]


def test_end_closes_a_period_naming_the_version(editor: TestClient) -> None:
    ended = editor.post(
        "/api/v1/appointments/matsumoto-advisor/end", params={"version": 1, "on": "2025-03-31"}
    )
    assert (ended.status_code, ended.json()["end"], ended.json()["version"]) == (
        200,
        "2025-03-31",
        2,
    )
    stale = editor.post(
        "/api/v1/appointments/matsumoto-advisor/end", params={"version": 1, "on": "2025-04"}
    )
    assert stale.status_code == 409
    bad = editor.post(
        "/api/v1/appointments/matsumoto-advisor/end", params={"version": 2, "on": "next week"}
    )
    assert bad.status_code == 422
    ((problem,),) = [bad.json()["detail"]]
    assert (problem["loc"], problem["type"]) == (["body", "end"], "invalid_data")
    assert problem["msg"].startswith("end: ")


def test_history_lists_the_changes_of_one_record(admin: TestClient, editor: TestClient) -> None:
    body = {"key": "doe-jane", "name": "DOE Jane"}
    editor.post("/api/v1/persons", json=body)
    editor.put("/api/v1/persons/doe-jane", params={"version": 1}, json={**body, "note": "n"})
    history = admin.get("/api/v1/persons/doe-jane/history").json()
    assert [(h["actor"], h["action"], (h["after"] or {}).get("note")) for h in history] == [
        ("editor-restricted", "update", "n"),
        ("editor-restricted", "create", None),
    ]
    assert history[0]["before"]["note"] is None
    assert editor.get("/api/v1/persons/doe-jane/history").status_code == 403


def test_an_editor_cannot_delete_what_they_cannot_read(as_user: Any, db: Session) -> None:
    # The vice-chair's membership is public, its person restricted: a public editor reads 404
    # and must get 404 on delete too, whatever version they name (no version is revealed).
    stored = get(db, PERSON, "kotani-motoko")
    data = snapshot(db, PERSON, stored).model_copy(update={"sensitivity": "restricted"})
    update(db, PERSON, "kotani-motoko", data, stored.version, "setup")
    public_editor = as_user(Role.editor, Sensitivity.public)
    path = "/api/v1/memberships/board-vice-kotani"
    assert public_editor.get(path).status_code == 404
    for version in (1, 7):
        refused = public_editor.delete(path, params={"version": version})
        assert (refused.status_code, refused.json()) == (
            404,
            {"detail": "no membership with key 'board-vice-kotani'"},
        )
    assert get(db, MEMBERSHIP, "board-vice-kotani").version == 1


def test_editing_keeps_the_references_the_editor_cannot_see(as_user: Any, db: Session) -> None:
    stored = get(db, PERSON, "kotani-motoko")
    data = snapshot(db, PERSON, stored).model_copy(update={"sensitivity": "restricted"})
    update(db, PERSON, "kotani-motoko", data, stored.version, "setup")
    public_editor = as_user(Role.editor, Sensitivity.public)
    path = "/api/v1/engagements/visit-kotani-brussels-2022-07"
    seen = public_editor.get(path).json()
    assert seen["participants"] == []  # the restricted participant is not shown
    sent = {k: v for k, v in seen.items() if k not in META} | {"title": "Visit to Brussels (EU)"}
    saved = public_editor.put(path, params={"version": seen["version"]}, json=sent)
    assert (saved.status_code, saved.json()["participants"]) == (200, [])
    visit = snapshot(db, ENGAGEMENT, get(db, ENGAGEMENT, "visit-kotani-brussels-2022-07"))
    assert (visit.title, visit.participants) == ("Visit to Brussels (EU)", ["kotani-motoko"])


def test_a_taken_key_answers_the_same_whoever_holds_it(as_user) -> None:  # type: ignore[no-untyped-def]
    # kotani-motoko is made restricted: a public editor cannot see her, yet her key is taken.
    admin = as_user(Role.admin)
    person = admin.get("/api/v1/persons/kotani-motoko").json()
    fields = {k: person[k] for k in ("key", "name", "family_name", "given_name", "other_names")}
    moved = admin.put(
        "/api/v1/persons/kotani-motoko",
        params={"version": person["version"]},
        json={**fields, "sensitivity": "restricted"},
    )
    assert moved.status_code == 200
    public = as_user(Role.editor, Sensitivity.public)
    hidden = public.post("/api/v1/persons", json={"key": "kotani-motoko", "name": "X"})
    seen = public.post("/api/v1/persons", json={"key": "kishi-teruo", "name": "X"})
    assert (hidden.status_code, seen.status_code) == (409, 409)
    assert hidden.json()["detail"].replace("kotani-motoko", "KEY") == seen.json()["detail"].replace(
        "kishi-teruo", "KEY"
    )


def test_left_out_the_key_is_assigned_by_the_registry(editor: TestClient) -> None:
    first = editor.post("/api/v1/persons", json={"name": "New Person"})
    second = editor.post("/api/v1/persons", json={"name": "New Person"})
    assert (first.status_code, second.status_code) == (201, 201)
    keys = [first.json()["key"], second.json()["key"]]
    assert all(re.fullmatch(r"person-[0-9a-f]{8}", k) for k in keys) and keys[0] != keys[1]
    assert editor.get(f"/api/v1/persons/{keys[0]}").json()["name"] == "New Person"
    # The schema's own rules run once the key is assigned: a state's key is its code.
    party = editor.post("/api/v1/parties", json={"name": "Freedonia"}).json()
    ((problem,),) = [party["detail"]]
    assert problem["loc"] == ["body", "key"] and problem["msg"].endswith(
        "is not an ISO 3166-1 alpha-3 or ISO 3166-3 code of a state"
    )


def test_a_cycle_of_successions_is_refused(editor: TestClient) -> None:
    back = {"key": "RUS-SUHH", "predecessor": "RUS", "successor": "SUHH", "kind": "continuation"}
    refused = editor.post("/api/v1/successions", json=back)
    assert (refused.status_code, refused.json()["detail"][0]["msg"]) == (
        422,
        "successor: SUHH already precedes RUS through recorded successions; a cycle of "
        "successions is refused",
    )
