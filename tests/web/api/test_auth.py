"""Logging in for a token (throttled), the session cookie and its CSRF token."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import MAX_FAILURES, add_user
from scidip.db.base import Sensitivity
from scidip.web import cookie

from ..conftest import SECRET


def test_a_password_gives_a_token_and_failures_are_throttled(app: FastAPI, db: Session) -> None:
    add_user(db, "ada", "password-of-ada", Role.editor, Sensitivity.internal)
    client = TestClient(app)
    issued = client.post(
        "/api/v1/auth/token", data={"username": "ada", "password": "password-of-ada"}
    )
    assert issued.status_code == 200 and issued.json()["token_type"] == "bearer"
    token = issued.json()["access_token"]
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"username": "ada", "role": "editor", "clearance": "internal"}
    for _ in range(MAX_FAILURES):
        wrong = client.post("/api/v1/auth/token", data={"username": "ada", "password": "guess"})
        assert (wrong.status_code, wrong.json()) == (401, {"detail": "wrong username or password"})
    throttled = client.post(
        "/api/v1/auth/token", data={"username": "ada", "password": "password-of-ada"}
    )
    assert (throttled.status_code, throttled.json()) == (
        429,
        {"detail": "too many failed logins for 'ada': try again later"},
    )


def _cookie_client(app: FastAPI, db: Session) -> tuple[TestClient, str]:
    user = add_user(db, "ed", "password-of-ed", Role.editor, Sensitivity.restricted)
    page = cookie.new_session(user.id)
    client = TestClient(app, cookies={cookie.COOKIE: cookie.encode(SECRET, page)})
    return client, page.csrf


def test_the_session_cookie_reads_but_writes_only_with_the_csrf_token(
    app: FastAPI, db: Session
) -> None:
    client, csrf = _cookie_client(app, db)
    assert client.get("/api/v1/auth/me").json()["username"] == "ed"
    body = {"key": "doe-jane", "name": "DOE Jane"}
    refused = client.post("/api/v1/persons", json=body)
    assert (refused.status_code, refused.json()) == (403, {"detail": "missing or wrong CSRF token"})
    wrong = client.post("/api/v1/persons", json=body, headers={cookie.CSRF_HEADER: "x" + csrf})
    assert wrong.status_code == 403
    assert client.get("/api/v1/persons/doe-jane").status_code == 404
    done = client.post("/api/v1/persons", json=body, headers={cookie.CSRF_HEADER: csrf})
    assert done.status_code == 201


def test_a_forged_or_foreign_cookie_is_no_session(app: FastAPI, db: Session) -> None:
    user = add_user(db, "ed", "password-of-ed", Role.editor, Sensitivity.restricted)
    foreign = cookie.encode("another-secret", cookie.new_session(user.id))
    for value in (foreign, "garbage", ""):
        client = TestClient(app, cookies={cookie.COOKIE: value})
        assert client.get("/api/v1/auth/me").status_code == 401
