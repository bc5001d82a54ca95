"""Logging in for a token (throttled), server-side sessions and their end, the CSRF token, the
user's sessions and tokens (listed, ended, revoked), password change and admin reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import ApiToken, LoginAttempt, Role, User
from scidip.auth.service import add_user, disable_user
from scidip.auth.sessions import issue_token
from scidip.db.base import Sensitivity, utcnow
from scidip.web import cookie
from scidip.web.sessions import open_page_session

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
    row = db.scalars(select(ApiToken).where(ApiToken.label == "api login")).one()
    assert row.expires_at - row.created_at == timedelta(hours=12)
    for _ in range(5):
        wrong = client.post("/api/v1/auth/token", data={"username": "ada", "password": "guess"})
        assert (wrong.status_code, wrong.json()) == (401, {"detail": "wrong username or password"})
    throttled = client.post(
        "/api/v1/auth/token", data={"username": "ada", "password": "password-of-ada"}
    )
    assert (throttled.status_code, throttled.json()) == (
        429,
        {"detail": "too many failed logins: try again in 30 s"},
    )
    assert throttled.headers["retry-after"] == "30"
    attempts = db.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.succeeded, a.checked, a.address) for a in attempts] == [
        (True, True, "testclient"),
        *[(False, True, "testclient")] * 5,
        (False, False, "testclient"),
    ]


def _cookie_client(app: FastAPI, db: Session, name: str = "ed") -> tuple[TestClient, str]:
    user = add_user(db, name, f"password-of-{name}", Role.editor, Sensitivity.restricted)
    value, page = open_page_session(db, SECRET, user)
    client = TestClient(app, cookies={cookie.COOKIE: value})
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
    client, _ = _cookie_client(app, db)
    genuine = client.cookies[cookie.COOKIE]
    page = cookie.decode(SECRET, genuine)
    assert page is not None
    foreign = cookie.encode("another-secret", page)
    unknown = cookie.encode(SECRET, cookie.new_session("no-such-session"))
    for value in (foreign, unknown, "garbage", ""):
        other = TestClient(app, cookies={cookie.COOKIE: value})
        assert other.get("/api/v1/auth/me").status_code == 401


def test_after_logout_the_old_cookie_no_longer_works(app: FastAPI, db: Session) -> None:
    client, csrf = _cookie_client(app, db)
    kept = client.cookies[cookie.COOKIE]
    assert client.get("/api/v1/auth/me").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (out.status_code, out.headers["location"]) == (303, "/login")
    replay = TestClient(app, cookies={cookie.COOKIE: kept}, follow_redirects=False)
    assert replay.get("/api/v1/auth/me").status_code == 401
    assert replay.get("/").headers["location"] == "/login?next=/"


def test_the_api_logout_ends_the_cookie_session_or_revokes_the_token(
    app: FastAPI, db: Session
) -> None:
    client, csrf = _cookie_client(app, db)
    assert client.post("/api/v1/auth/logout", headers={cookie.CSRF_HEADER: csrf}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401
    user = db.scalars(select(User).where(User.username == "ed")).one()
    token = issue_token(db, user, "script")
    bearer = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert bearer.post("/api/v1/auth/logout").status_code == 204
    assert bearer.get("/api/v1/auth/me").status_code == 401


def test_disabling_a_user_ends_their_sessions(app: FastAPI, db: Session) -> None:
    client, _ = _cookie_client(app, db)
    assert client.get("/api/v1/auth/me").status_code == 200
    disable_user(db, "ed")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_user_lists_and_ends_their_sessions(app: FastAPI, db: Session) -> None:
    client, csrf = _cookie_client(app, db)
    user = db.scalars(select(User).where(User.username == "ed")).one()
    other_value, _ = open_page_session(db, SECRET, user, address="192.0.2.4", agent="Phone")
    other = TestClient(app, cookies={cookie.COOKIE: other_value})
    listed = client.get("/api/v1/auth/sessions").json()
    assert [(s["address"], s["agent"], s["current"]) for s in listed] == [
        ("192.0.2.4", "Phone", False),
        ("", "", True),
    ]
    ended = client.delete(
        f"/api/v1/auth/sessions/{listed[0]['id']}", headers={cookie.CSRF_HEADER: csrf}
    )
    assert ended.status_code == 204
    assert other.get("/api/v1/auth/me").status_code == 401
    assert [s["current"] for s in client.get("/api/v1/auth/sessions").json()] == [True]
    missing = client.delete("/api/v1/auth/sessions/999999", headers={cookie.CSRF_HEADER: csrf})
    assert (missing.status_code, missing.json()) == (404, {"detail": "ed has no session 999999"})


def test_tokens_are_listed_and_revoked_one_by_one(app: FastAPI, db: Session) -> None:
    user = add_user(db, "tom", "password-of-tom", Role.viewer, Sensitivity.public)
    first = issue_token(db, user, "first")
    second = issue_token(db, user, "second", timedelta(days=7))
    one = TestClient(app, headers={"Authorization": f"Bearer {first}"})
    two = TestClient(app, headers={"Authorization": f"Bearer {second}"})
    listed = one.get("/api/v1/auth/tokens").json()
    assert [(t["label"], t["current"]) for t in listed] == [("second", False), ("first", True)]
    assert first not in str(listed) and second not in str(listed)
    assert one.delete(f"/api/v1/auth/tokens/{listed[0]['id']}").status_code == 204
    assert two.get("/api/v1/auth/me").status_code == 401
    assert one.get("/api/v1/auth/me").status_code == 200


def test_an_expired_token_is_refused(app: FastAPI, db: Session) -> None:
    user = add_user(db, "tom", "password-of-tom", Role.viewer, Sensitivity.public)
    token = issue_token(db, user, "short")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/auth/me").status_code == 200
    row = db.scalars(select(ApiToken).where(ApiToken.label == "short")).one()
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.flush()
    assert client.get("/api/v1/auth/me").status_code == 401


def test_an_expired_credential_is_refused_even_when_its_identity_is_cached(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = add_user(db, "tom", "password-of-tom", Role.viewer, Sensitivity.public)
    token = issue_token(db, user, "short", timedelta(hours=1))
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/auth/me").status_code == 200  # now in the read cache
    later = utcnow() + timedelta(hours=1, seconds=1)
    # Only the check of a cached identity sees the later clock: no write tells the cache.
    monkeypatch.setattr(app.state.activity, "clock", lambda: later)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    app: FastAPI, db: Session
) -> None:
    client, csrf = _cookie_client(app, db)
    user = db.scalars(select(User).where(User.username == "ed")).one()
    other_value, _ = open_page_session(db, SECRET, user)
    other = TestClient(app, cookies={cookie.COOKIE: other_value})
    headers = {cookie.CSRF_HEADER: csrf}
    wrong = client.post(
        "/api/v1/auth/password",
        json={"current_password": "guess-guess-guess", "new_password": "a-new-password-9"},
        headers=headers,
    )
    assert (wrong.status_code, wrong.json()) == (403, {"detail": "the current password is wrong"})
    weak = client.post(
        "/api/v1/auth/password",
        json={"current_password": "password-of-ed", "new_password": " " * 12},
        headers=headers,
    )
    assert (weak.status_code, weak.json()) == (
        422,
        {
            "detail": [
                {
                    "loc": ["body", "password"],
                    "msg": "password: only spaces",
                    "type": "invalid_data",
                }
            ]
        },
    )
    done = client.post(
        "/api/v1/auth/password",
        json={"current_password": "password-of-ed", "new_password": "a-new-password-9"},
        headers=headers,
    )
    assert done.status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 200
    assert other.get("/api/v1/auth/me").status_code == 401


def test_an_admin_resets_a_password_and_sees_and_ends_others_sessions(
    app: FastAPI, db: Session, admin: TestClient, editor: TestClient
) -> None:
    client, _ = _cookie_client(app, db, "kim")
    listed = admin.get("/api/v1/auth/sessions", params={"user": "kim"})
    assert [s["current"] for s in listed.json()] == [False]
    refused = editor.get("/api/v1/auth/sessions", params={"user": "kim"})
    assert refused.status_code == 403
    not_yours = editor.delete(f"/api/v1/auth/sessions/{listed.json()[0]['id']}")
    assert not_yours.status_code == 404
    reset = admin.post("/api/v1/auth/users/kim/password", json={"new_password": "reset-by-admin-7"})
    assert reset.status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401
    by_editor = editor.post(
        "/api/v1/auth/users/kim/password", json={"new_password": "reset-by-editor-7"}
    )
    assert by_editor.status_code == 403
