"""The account page: a user's sessions and tokens, ended and revoked by buttons, and the
password change form; admins open another user's."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth import passwords
from scidip.auth.models import Role, User
from scidip.auth.service import add_user
from scidip.auth.sessions import issue_token
from scidip.db.base import Sensitivity
from scidip.registry.audit.models import AuditEntry
from scidip.web import cookie
from scidip.web.sessions import open_page_session

from ..conftest import SECRET


def _browser(app: FastAPI, db: Session, user: User, agent: str = "") -> tuple[TestClient, str]:
    value, page = open_page_session(db, SECRET, user, address="192.0.2.8", agent=agent)
    client = TestClient(app, cookies={cookie.COOKIE: value}, follow_redirects=False)
    return client, page.csrf


def _rows(html: str, table: str) -> list[str]:
    found = re.search(rf'<table id="{table}">(.*?)</table>', html, re.S)
    assert found is not None
    return [re.sub(r"<[^>]+>", " ", row).split() for row in found.group(1).split("<tr>")[2:]]


def test_the_account_page_lists_sessions_and_tokens_and_ends_them(
    app: FastAPI, db: Session
) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    here, csrf = _browser(app, db, ann, "Firefox")
    there, _ = _browser(app, db, ann, "Phone")
    issue_token(db, ann, "nightly")
    html = here.get("/account").text
    sessions = _rows(html, "session-list")
    assert [row[-2:] for row in sessions] == [["Phone", "End"], ["this", "one"]]
    assert [row[-1] for row in _rows(html, "token-list")] == ["Revoke"]
    assert "nightly" in html
    end = re.search(r'action="(/account/sessions/\d+/end)"', html)
    assert end is not None
    assert here.post(end.group(1), data={"csrf_token": csrf}).status_code == 303
    assert there.get("/api/v1/auth/me").status_code == 401
    revoke = re.search(r'action="(/account/tokens/\d+/revoke)"', here.get("/account").text)
    assert revoke is not None
    refused = here.post(revoke.group(1), data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert here.post(revoke.group(1), data={"csrf_token": csrf}).status_code == 303
    assert "nightly" not in here.get("/account").text


def test_the_password_form_checks_and_changes_the_password(app: FastAPI, db: Session) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    here, csrf = _browser(app, db, ann)
    there, _ = _browser(app, db, ann)
    form = {"csrf_token": csrf, "current_password": "password-of-ann"}
    differ = here.post(
        "/account/password",
        data={**form, "new_password": "a-new-password-9", "repeat_password": "a-new-password-8"},
    )
    assert differ.status_code == 422 and "the two new passwords differ" in differ.text
    common = here.post(
        "/account/password",
        data={**form, "new_password": "password1234", "repeat_password": "password1234"},
    )
    assert common.status_code == 422
    assert "password: too common or too easy to guess" in common.text
    wrong = here.post(
        "/account/password",
        data={
            **form,
            "current_password": "not-my-password",
            "new_password": "a-new-password-9",
            "repeat_password": "a-new-password-9",
        },
    )
    assert wrong.status_code == 403 and "the current password is wrong" in wrong.text
    done = here.post(
        "/account/password",
        data={**form, "new_password": "a-new-password-9", "repeat_password": "a-new-password-9"},
    )
    assert done.status_code == 200 and "Password changed" in done.text
    assert here.get("/account").status_code == 200
    assert there.get("/account").status_code == 303  # to the login page


def test_admins_open_another_users_account_others_may_not(app: FastAPI, db: Session) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    root = add_user(db, "root", "password-of-root", Role.admin, Sensitivity.public)
    ann_browser, _ = _browser(app, db, ann, "Firefox")
    admin, csrf = _browser(app, db, root)
    html = admin.get("/account?user=ann").text
    assert "Account of ann" in html and "Change your password" not in html
    end = re.search(r'action="(/account/sessions/\d+/end\?user=ann)"', html)
    assert end is not None
    assert admin.post(end.group(1), data={"csrf_token": csrf}).status_code == 303
    assert ann_browser.get("/account").status_code == 303
    viewer, _ = _browser(app, db, ann)
    assert viewer.get("/account?user=root").status_code == 403


def test_an_admin_resets_a_password_from_the_account_page(app: FastAPI, db: Session) -> None:
    ann = add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    root = add_user(db, "root", "password-of-root", Role.admin, Sensitivity.public)
    ann_browser, _ = _browser(app, db, ann, "Firefox")
    ann_token = TestClient(app, headers={"Authorization": f"Bearer {issue_token(db, ann)}"})
    admin, csrf = _browser(app, db, root)
    html = admin.get("/account?user=ann").text
    assert 'action="/account/reset?user=ann"' in html
    assert "Reset the password of ann" not in admin.get("/account").text  # not on one's own
    form = {"new_password": "a-new-password-9", "repeat_password": "a-new-password-9"}
    assert admin.post("/account/reset?user=ann", data=form).status_code == 403  # no CSRF
    wrong = admin.post("/account/reset?user=ann", data={**form, "csrf_token": "x" + csrf})
    assert wrong.status_code == 403
    assert ann_browser.get("/account").status_code == 200  # nothing happened
    differ = {**form, "repeat_password": "a-new-password-8", "csrf_token": csrf}
    refused = admin.post("/account/reset?user=ann", data=differ)
    assert refused.status_code == 422 and "the two new passwords differ" in refused.text
    weak = {"new_password": "password1234", "repeat_password": "password1234"}
    refused = admin.post("/account/reset?user=ann", data={**weak, "csrf_token": csrf})
    assert refused.status_code == 422 and "too common" in refused.text
    own = admin.post("/account/reset?user=root", data={**form, "csrf_token": csrf})
    assert own.status_code == 422
    assert (
        admin.post("/account/reset?user=nobody", data={**form, "csrf_token": csrf}).status_code
        == 404
    )
    done = admin.post("/account/reset?user=ann", data={**form, "csrf_token": csrf})
    assert done.status_code == 200 and "Password of ann reset" in done.text
    assert ann_browser.get("/account").status_code == 303  # her sessions ended
    assert ann_token.get("/api/v1/auth/me").status_code == 401  # her tokens revoked
    db.refresh(ann)
    assert passwords.verify_password(ann.password_hash, "a-new-password-9")
    assert ann.must_change_password
    entry = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_table == "web_user", AuditEntry.record_key == "ann")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None and entry.actor == "root" and entry.after["must_change_password"]
