"""The idle timeout of page sessions, enforced on the server with a clock the test moves: a
session unused for 30 minutes is refused (API and pages, kept answers included), each use
slides it, API tokens keep their own expiry; and users who must change their password can do
nothing else."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth import passwords
from scidip.auth.models import Role, User, WebSession
from scidip.auth.service import add_user
from scidip.auth.sessions import issue_token
from scidip.config import Settings
from scidip.db.base import Sensitivity, utcnow
from scidip.web import cookie
from scidip.web.app import create_app
from scidip.web.sessions import open_page_session

from .conftest import SECRET


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(app.state.activity, "clock", moved)
    return moved


def _browser(app: FastAPI, db: Session, user: User) -> TestClient:
    value, _ = open_page_session(db, SECRET, user)
    return TestClient(app, cookies={cookie.COOKIE: value}, follow_redirects=False)


def test_a_session_unused_for_30_minutes_is_refused_and_each_use_slides_it(
    app: FastAPI, db: Session, clock: Clock
) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    browser = _browser(app, db, ann)
    token = TestClient(app, headers={"Authorization": f"Bearer {issue_token(db, ann)}"})
    start = clock.now
    for minutes in (0, 29, 58, 87):  # used every 29 minutes: still in, 87 minutes on
        clock.now = start + timedelta(minutes=minutes)
        assert browser.get("/api/v1/auth/me").status_code == 200
        assert browser.get("/agreements").status_code == 200  # now kept by the read cache
    row = db.scalars(select(WebSession).where(WebSession.user_id == ann.id)).one()
    db.refresh(row)
    assert row.last_seen_at == start + timedelta(minutes=87)
    clock.now = start + timedelta(minutes=87 + 30)  # 30 minutes unused
    assert browser.get("/agreements").status_code == 303  # the kept page is not sent
    assert browser.get("/api/v1/auth/me").status_code == 401
    clock.now = start + timedelta(minutes=87 + 31)
    assert browser.get("/agreements").headers["location"] == "/login?next=/agreements"
    assert token.get("/api/v1/auth/me").status_code == 200  # a token keeps its 90 days


def test_within_a_minute_a_use_is_not_written_again(
    app: FastAPI, db: Session, clock: Clock
) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    browser = _browser(app, db, ann)
    start = clock.now
    row = db.scalars(select(WebSession).where(WebSession.user_id == ann.id)).one()
    clock.now = start + timedelta(minutes=5)
    assert browser.get("/api/v1/auth/me").status_code == 200
    clock.now = start + timedelta(minutes=5, seconds=59)
    assert browser.get("/api/v1/auth/me").status_code == 200
    db.refresh(row)
    assert row.last_seen_at == start + timedelta(minutes=5)


def test_the_idle_timeout_is_a_setting(
    app: FastAPI, db: Session, clock: Clock, tmp_path: Path
) -> None:
    assert Settings(data_dir=tmp_path).session_idle_minutes == 30
    five = Settings(data_dir=tmp_path, session_idle_minutes=5)
    made = create_app(five, sessions=app.state.sessions, secret=SECRET)
    assert made.state.activity.idle == timedelta(minutes=5)
    with pytest.raises(ValidationError, match="session_idle_minutes"):
        Settings(data_dir=tmp_path, session_idle_minutes=0)
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    browser = _browser(app, db, ann)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(app.state.activity, "idle", timedelta(minutes=5))
    try:
        clock.now = utcnow() + timedelta(minutes=4, seconds=59)
        assert browser.get("/api/v1/auth/me").status_code == 200
        clock.now += timedelta(minutes=5)
        assert browser.get("/api/v1/auth/me").status_code == 401
    finally:
        monkeypatch.undo()


def _login(app: FastAPI, username: str, password: str) -> TestClient:
    browser = TestClient(app, follow_redirects=False)
    browser.get("/login")
    form = {
        "username": username,
        "password": password,
        "csrf_token": browser.cookies["scidip_login_csrf"],
        "next": "/agreements",
    }
    response = browser.post("/login", data=form)
    assert response.status_code == 303, response.text
    browser.headers["x-location"] = response.headers["location"]
    return browser


def test_a_password_below_the_policy_must_be_changed_before_anything_else(
    app: FastAPI, db: Session
) -> None:
    old = add_user(db, "old", "password-of-old", Role.editor, Sensitivity.restricted)
    old.password_hash = passwords.hash_password("aaaaaaaaaa")  # set before the policy
    db.flush()
    browser = _login(app, "old", "aaaaaaaaaa")
    assert browser.headers["x-location"] == "/account#password"
    for path in ("/agreements", "/", "/records/persons/new"):
        response = browser.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/account#password")
    assert "Your password must be changed" in browser.get("/account").text
    assert browser.get("/api/v1/persons").status_code == 403
    me = browser.get("/api/v1/auth/me")
    assert me.status_code == 200
    token = TestClient(app, headers={"Authorization": f"Bearer {issue_token(db, old)}"})
    refused = token.get("/api/v1/persons")
    assert refused.json() == {
        "detail": "change your password first (POST /api/v1/auth/password): it fails the policy"
    }
    page = cookie.decode(SECRET, browser.cookies[cookie.COOKIE])
    assert page is not None
    form = {
        "csrf_token": page.csrf,
        "current_password": "aaaaaaaaaa",
        "new_password": "a-new-password-9",
        "repeat_password": "a-new-password-9",
    }
    assert browser.post("/account/password", data=form).status_code == 200
    assert browser.get("/agreements").status_code == 200
    assert browser.get("/api/v1/persons").status_code == 200
