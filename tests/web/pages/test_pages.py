"""Pages: login with its CSRF token, the session cookie, the dashboard and country page as of a
date, editing with validation messages and CSRF, the audit log; clearance applies throughout."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import add_user
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.party.service import PARTY
from scidip.registry.person.service import PERSON
from scidip.registry.schemas import CitationIn


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, name
    return found.group(1)


def login(
    app: FastAPI, db: Session, role: Role, clearance: Sensitivity, name: str = "ann"
) -> TestClient:
    """A browser-like client that logged in through the form (as a new user ``name``)."""
    add_user(db, name, f"password-of-{name}", role, clearance)
    client = TestClient(app, follow_redirects=False)
    form = client.get("/login").text
    done = client.post(
        "/login",
        data={
            "username": name,
            "password": f"password-of-{name}",
            "next": "/",
            "csrf_token": _hidden(form, "csrf_token"),
        },
    )
    assert (done.status_code, done.headers["location"]) == (303, "/")
    return client


def test_pages_need_a_session(app: FastAPI) -> None:
    client = TestClient(app, follow_redirects=False)
    response = client.get("/countries/RUS?as_of=2022-12-31")
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/login?next=/countries/RUS%3Fas_of%3D2022-12-31",
    )


def test_login_sets_an_httponly_samesite_cookie_and_refuses_bad_attempts(
    app: FastAPI, db: Session
) -> None:
    add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    client = TestClient(app, follow_redirects=False)
    token = _hidden(client.get("/login").text, "csrf_token")
    no_csrf = client.post("/login", data={"username": "ann", "password": "password-of-ann"})
    assert no_csrf.status_code == 403
    wrong = client.post("/login", data={"username": "ann", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "wrong username or password" in wrong.text
    token = _hidden(wrong.text, "csrf_token")
    ok = client.post(
        "/login",
        data={
            "username": "ann",
            "password": "password-of-ann",
            "csrf_token": token,
            "next": "https://elsewhere.example/",
        },
    )
    assert (ok.status_code, ok.headers["location"]) == (303, "/")
    set_cookie = [v for k, v in ok.headers.multi_items() if k == "set-cookie"]
    session_cookie = next(c for c in set_cookie if c.startswith("scidip_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert "password" not in session_cookie


def test_dashboard_and_country_page_follow_the_as_of_date(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    dashboard = client.get("/?as_of=2022-12-31").text
    assert "JPN: 7 agreements, in force with 21 countries and the EU" in dashboard
    assert 'value="2022-12-31"' in dashboard
    earlier = client.get("/?as_of=1985-01-01").text
    assert "JPN: 5 agreements, in force with 5 countries" in earlier
    country = client.get("/countries/RUS?as_of=2022-12-31").text
    assert "Agreement on Cooperation in Science and Technology (Japan-Russia)" in country
    assert "supersession by jpn-rus-2000" in country
    assert "Japan-Russia Joint Committee on S&amp;T Cooperation" in country
    # A date known only as "no later than" is said in words, not in the stored form "..2022".
    kaz = client.get("/countries/KAZ?as_of=2022-12-31").text
    assert "<td>no later than 2022</td>" in kaz and "..2022" not in kaz


def test_a_country_above_the_clearance_is_not_found(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.public)
    token = _hidden(client.get("/records/parties/KAZ/edit").text, "csrf_token")
    form = {
        "csrf_token": token,
        "version": "1",
        "key": "KAZ",
        "kind": "state",
        "sensitivity": "restricted",
    }
    # A public-clearance editor may not raise a record above their clearance...
    refused = client.post("/records/parties/KAZ/edit", data=form)
    assert refused.status_code == 403 and "may not write a restricted record" in refused.text
    # ...and a restricted party is as absent as a missing one.
    kaz = record.get(db, PARTY, "KAZ")
    data = record.snapshot(db, PARTY, kaz).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(db, PARTY, "KAZ", data, kaz.version, "root")
    hidden = client.get("/countries/KAZ")
    missing = client.get("/countries/XXX")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert "no party with key &#39;KAZ&#39;" in hidden.text


def test_editing_checks_csrf_shows_errors_and_is_audited(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.editor, Sensitivity.restricted)
    form_html = client.get("/records/persons/kishi-teruo/edit").text
    fields = {
        "csrf_token": _hidden(form_html, "csrf_token"),
        "version": _hidden(form_html, "version"),
        "key": "kishi-teruo",
        "name": "KISHI Teruo",
        "sensitivity": "public",
        "_count.other_names": "1",
        "other_names.0.name": "岸輝雄",
        "other_names.0.lang": "ja",
        "note": "Former S&T Advisor",
    }
    no_token = client.post("/records/persons/kishi-teruo/edit", data={**fields, "csrf_token": ""})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    no_name = client.post(
        "/records/persons/kishi-teruo/edit", data={**fields, "other_names.0.name": ""}
    )
    assert no_name.status_code == 422
    assert 'id="e-other_names-0-name">Required: please fill this in.' in no_name.text
    saved = client.post("/records/persons/kishi-teruo/edit", data=fields)
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/records/persons/kishi-teruo",
    )
    stale = client.post("/records/persons/kishi-teruo/edit", data=fields)
    assert stale.status_code == 409 and "is at version 2" in stale.text
    entry = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_key == "kishi-teruo")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None and (entry.actor, entry.action) == ("ann", "update")
    assert entry.after is not None and entry.after["note"] == "Former S&T Advisor"


def test_the_audit_page_is_for_admins(app: FastAPI, db: Session) -> None:
    viewer = login(app, db, Role.viewer, Sensitivity.restricted)
    assert viewer.get("/audit").status_code == 403
    assert viewer.get("/records/persons/kishi-teruo/edit").status_code == 403
    page = viewer.get("/records/persons/kishi-teruo")
    assert page.status_code == 200 and "edit-link" not in page.text and "History" not in page.text


def test_the_login_page_is_throttled_too(app: FastAPI, db: Session) -> None:
    add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    client = TestClient(app, follow_redirects=False)
    html = client.get("/login").text
    for _ in range(5):
        html = client.post(
            "/login",
            data={
                "username": "ann",
                "password": "guess",
                "csrf_token": _hidden(html, "csrf_token"),
            },
        ).text
    throttled = client.post(
        "/login",
        data={
            "username": "ann",
            "password": "password-of-ann",
            "csrf_token": _hidden(html, "csrf_token"),
        },
    )
    assert (throttled.status_code, throttled.headers["retry-after"]) == (429, "30")
    assert "too many failed logins: try again in 30 s" in throttled.text
    assert "scidip_session" not in throttled.headers.get("set-cookie", "")


def test_a_failed_save_changes_nothing(app: FastAPI, db: Session) -> None:
    # The form cites an unknown source: the save is refused and the record, its version, its
    # citation and the audit log are exactly as before (the save runs in a savepoint). Before,
    # the record's version rose and its citation was lost, with no audit entry.
    cited = record.snapshot(db, PERSON, record.get(db, PERSON, "kishi-teruo")).model_copy(
        update={"sources": [CitationIn(source="bluebook-2023", locator="p. 1")]}
    )
    record.update(db, PERSON, "kishi-teruo", cited, 1, "setup")
    client = login(app, db, Role.editor, Sensitivity.restricted)
    form_html = client.get("/records/persons/kishi-teruo/edit").text
    entries = db.scalars(select(AuditEntry.id)).all()
    fields = {
        "csrf_token": _hidden(form_html, "csrf_token"),
        "version": _hidden(form_html, "version"),
        "key": "kishi-teruo",
        "name": "KISHI Teruo (renamed)",
        "sensitivity": "public",
        "_count.sources": "1",
        "sources.0.source": "no-such-source",
    }
    assert fields["version"] == "2"
    refused = client.post("/records/persons/kishi-teruo/edit", data=fields)
    assert refused.status_code == 422
    # beside the row that names it (not above the list)
    assert 'id="e-sources-0-source">No source with key &#39;no-such-source&#39;.' in refused.text
    db.expire_all()
    person = record.get(db, PERSON, "kishi-teruo")
    assert (person.version, person.name) == (2, "KISHI Teruo")
    assert record.snapshot(db, PERSON, person) == cited
    assert db.scalars(select(AuditEntry.id)).all() == entries
