"""Reads kept between requests (the read cache): every write is seen by the next read, whoever
made it; an answer kept for one clearance never reaches another; a kept page is sent in the
header of the user asking, with their own CSRF token; a disabled user is refused at once."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import add_user, disable_user
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.party.service import PARTY
from scidip.registry.person.service import PERSON
from scidip.web import cookie
from scidip.web.sessions import open_page_session

from .conftest import SECRET, client_for


def settle(client: TestClient) -> None:
    """One request, which commits what the test set up (users, tokens): the stamp moves then,
    not in the middle of what the test looks at."""
    assert client.get("/api/v1/auth/me").status_code == 200


def _rename(db: Session, concept: record.Concept, key: str, name: str) -> None:  # type: ignore[type-arg]
    """A committed write that does not go through the app (as ``scidip load`` would make)."""
    found = record.get(db, concept, key)
    data = record.snapshot(db, concept, found).model_copy(update={"name": name})
    with db.begin_nested():
        record.update(db, concept, key, data, found.version, "elsewhere")


def test_a_write_through_the_api_is_seen_by_the_next_read(app: FastAPI, db: Session) -> None:
    editor = client_for(app, db, Role.editor, Sensitivity.restricted)
    settle(editor)
    before = editor.get("/api/v1/persons/kishi-teruo").json()
    hits = app.state.read_cache.hits
    assert before == editor.get("/api/v1/persons/kishi-teruo").json()
    assert app.state.read_cache.hits > hits
    changed = {
        k: v for k, v in before.items() if k not in ("id", "version", "created_at", "updated_at")
    }
    put = editor.put(
        "/api/v1/persons/kishi-teruo",
        params={"version": before["version"]},
        json={**changed, "name": "KISHI T."},
    )
    assert put.status_code == 200
    assert editor.get("/api/v1/persons/kishi-teruo").json()["name"] == "KISHI T."
    listed = editor.get("/api/v1/persons", params={"q": "KISHI T."}).json()
    assert [p["key"] for p in listed["items"]] == ["kishi-teruo"]


def test_a_write_made_elsewhere_is_seen_by_the_next_read(app: FastAPI, db: Session) -> None:
    viewer = client_for(app, db, Role.viewer, Sensitivity.restricted)
    assert viewer.get("/api/v1/persons/kishi-teruo").json()["name"] == "KISHI Teruo"
    _rename(db, PERSON, "kishi-teruo", "Teruo Kishi")
    assert viewer.get("/api/v1/persons/kishi-teruo").json()["name"] == "Teruo Kishi"


def test_an_answer_kept_for_one_clearance_never_reaches_another(app: FastAPI, db: Session) -> None:
    found = record.get(db, PERSON, "kishi-teruo")
    data = record.snapshot(db, PERSON, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    with db.begin_nested():
        record.update(db, PERSON, "kishi-teruo", data, found.version, "setup")
    cleared = client_for(app, db, Role.viewer, Sensitivity.restricted)
    public = client_for(app, db, Role.viewer, Sensitivity.public)
    path = "/api/v1/persons"
    assert "kishi-teruo" in cleared.get(path).text
    assert "kishi-teruo" in cleared.get(path).text  # kept
    assert "kishi-teruo" not in public.get(path).text
    assert public.get("/api/v1/persons/kishi-teruo").status_code == 404


def test_a_disabled_user_is_refused_at_once(app: FastAPI, db: Session) -> None:
    viewer = client_for(app, db, Role.viewer, Sensitivity.public)
    assert viewer.get("/api/v1/persons").status_code == 200
    assert viewer.get("/api/v1/persons").status_code == 200  # answered from the cache
    with db.begin_nested():
        disable_user(db, "viewer-public")
    assert viewer.get("/api/v1/persons").status_code == 401


def _browser(app: FastAPI, db: Session, name: str) -> tuple[TestClient, str]:
    user = add_user(db, name, f"password-of-{name}", Role.viewer, Sensitivity.restricted)
    value, session = open_page_session(db, SECRET, user)
    client = TestClient(app, cookies={cookie.COOKIE: value})
    return client, session.csrf


def test_a_kept_page_comes_in_the_header_of_the_user_asking(app: FastAPI, db: Session) -> None:
    ann, ann_csrf = _browser(app, db, "ann")
    bob, bob_csrf = _browser(app, db, "bob")
    path = "/countries/RUS?as_of=2022-12-31"
    settle(bob)
    first = ann.get(path).text
    hits = app.state.read_cache.hits
    second = bob.get(path).text
    assert app.state.read_cache.hits > hits  # bob's body came from the cache
    assert "ann · viewer" in first and "bob" not in first and ann_csrf in first
    assert "bob · viewer" in second and "ann" not in second and bob_csrf in second
    assert ann_csrf not in second

    def body(html: str) -> str:
        return re.sub(
            r"(?s)<header>.*</header>", "", html.replace(ann_csrf, "").replace(bob_csrf, "")
        )

    assert body(first) == body(second)


def test_a_page_shows_a_write_made_elsewhere(app: FastAPI, db: Session) -> None:
    ann, _ = _browser(app, db, "ann")
    path = "/countries/RUS?as_of=2022-12-31"
    assert "<title>Russia ·" in ann.get(path).text
    _rename(db, PARTY, "RUS", "Russian Federation")
    assert "<title>Russian Federation ·" in ann.get(path).text


def test_a_kept_answer_needs_a_valid_credential(app: FastAPI, db: Session) -> None:
    viewer = client_for(app, db, Role.viewer, Sensitivity.restricted)
    settle(viewer)
    assert viewer.get("/api/v1/persons").status_code == 200
    assert viewer.get("/api/v1/persons").status_code == 200  # kept now
    stranger = TestClient(app, follow_redirects=False)
    assert stranger.get("/api/v1/persons").status_code == 401
    forged = {"Authorization": "Bearer scidip_not-a-token"}
    assert stranger.get("/api/v1/persons", headers=forged).status_code == 401
    ann, _ = _browser(app, db, "ann")
    assert ann.get("/countries/RUS").status_code == 200  # the page is kept now
    assert stranger.get("/countries/RUS").headers["location"] == "/login?next=/countries/RUS"
