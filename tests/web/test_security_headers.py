"""Security headers on pages, the API, static files and errors; the proxy setting; request-size
and field-length limits; refused access logged with the source address."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import add_user
from scidip.db.base import Sensitivity
from scidip.web import cookie
from scidip.web.security import CSP, Security
from scidip.web.sessions import open_page_session

from .conftest import SECRET

TEMPLATES = Path(__file__).parents[2] / "src" / "scidip" / "web" / "templates"
COMMON = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _security(app: FastAPI) -> Security:
    """The app's Security middleware (built on the first request)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, Security):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, Security)
    return layer


@pytest.fixture
def browser(app: FastAPI, db: Session) -> TestClient:
    user = add_user(db, "eve", "password-of-eve", Role.admin, Sensitivity.restricted)
    value, _ = open_page_session(db, SECRET, user)
    return TestClient(app, cookies={cookie.COOKIE: value}, follow_redirects=False)


def test_the_policy_allows_no_inline_script_and_no_framing() -> None:
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["style-src"]
    assert "unsafe-eval" not in CSP


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    found = []
    for path in sorted(TEMPLATES.glob("*.html")):
        text = path.read_text()
        for script in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in script:
                found.append((path.name, script))
        found += [(path.name, h) for h in re.findall(r"\son[a-z]+\s*=", text)]
        found += [(path.name, h) for h in re.findall(r"javascript:", text)]
    assert found == []


def test_pages_api_static_and_errors_carry_the_headers(
    app: FastAPI, browser: TestClient, admin: TestClient
) -> None:
    answers = {
        "page": browser.get("/"),
        "api": admin.get("/api/v1/parties"),
        "api 404": admin.get("/api/v1/persons/nobody-at-all"),
        "login": TestClient(app).get("/login"),
        "docs": TestClient(app).get("/docs"),
        "anonymous api": TestClient(app).get("/api/v1/parties"),
        "static": TestClient(app).get("/static/scidip.css"),
    }
    for name, answer in answers.items():
        assert {k: answer.headers.get(k) for k in COMMON} == COMMON, name
    no_store = {name for name, a in answers.items() if a.headers.get("cache-control") == "no-store"}
    assert no_store == {"page", "api", "api 404", "login"}
    assert all("strict-transport-security" not in a.headers for a in answers.values())


def test_kept_answers_carry_the_headers_too(admin: TestClient) -> None:
    first = admin.get("/api/v1/parties")
    second = admin.get("/api/v1/parties")  # answered from the read cache, ahead of routing
    assert first.content == second.content
    assert second.headers["cache-control"] == "no-store"
    assert second.headers["content-security-policy"] == CSP


def test_the_docs_page_has_no_inline_script(app: FastAPI) -> None:
    html = TestClient(app).get("/docs").text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts == ["", ""]
    assert '<script src="/static/swagger-init.js"></script>' in html
    assert TestClient(app).get("/static/swagger-init.js").status_code == 200


@pytest.fixture
def proxied(app: FastAPI) -> Iterator[TestClient]:
    client = TestClient(app)
    client.get("/login")  # builds the middleware stack
    layer = _security(app)
    layer.trust_proxy = True
    try:
        yield client
    finally:
        layer.trust_proxy = False


def test_behind_a_trusted_proxy_https_gives_hsts_and_secure_cookies(
    app: FastAPI, proxied: TestClient
) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    answer = proxied.get("/login", headers=headers)
    assert answer.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "secure" in answer.headers["set-cookie"].lower()


def test_an_untrusted_proxy_header_is_ignored(app: FastAPI) -> None:
    answer = TestClient(app).get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in answer.headers
    assert "secure" not in answer.headers["set-cookie"].lower()


def test_the_throttle_and_the_log_see_the_address_the_proxy_gave(
    proxied: TestClient, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    with caplog.at_level(logging.WARNING, logger="scidip.security"):
        proxied.post(
            "/api/v1/auth/token",
            data={"username": "ann", "password": "guess-guess-1"},
            headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
        )
        proxied.get("/api/v1/parties", headers={"X-Forwarded-For": "203.0.113.10"})
    assert [r.getMessage() for r in caplog.records] == [
        "failed login: user 'ann' from 203.0.113.9",
        "refused 401: POST /api/v1/auth/token from 203.0.113.9",
        "refused 401: GET /api/v1/parties from 203.0.113.10",
    ]


def test_forbidden_access_is_logged_with_the_address(
    as_user, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    viewer = as_user(Role.viewer)
    with caplog.at_level(logging.WARNING, logger="scidip.security"):
        assert viewer.get("/api/v1/audit").status_code == 403
    assert [r.getMessage() for r in caplog.records] == [
        "refused 403: GET /api/v1/audit from testclient"
    ]


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    app: FastAPI, editor: TestClient
) -> None:
    limit = app.state.settings.max_body_bytes
    assert limit == 1024 * 1024
    big = {"key": "doe-jane", "name": "x" * (limit + 1)}
    answer = editor.post("/api/v1/persons", json=big)
    assert (answer.status_code, answer.json()) == (
        413,
        {"detail": "the request body is larger than the limit of 1,048,576 bytes"},
    )
    assert answer.headers["content-security-policy"] == CSP
    assert editor.get("/api/v1/persons/doe-jane").status_code == 404
    page = TestClient(app).post("/login", content=b"x" * (limit + 1))
    assert page.status_code == 413 and "<h1>Too large</h1>" in page.text


def _raw(base: str, head: bytes, body: Iterator[bytes]) -> tuple[bytes, int]:
    """Send a request over a plain socket, body piece by piece until the server answers or
    closes; the answer's first line and the body bytes sent."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(head)
        conn.setblocking(False)
        answer = b""
        for piece in body:
            with contextlib.suppress(BlockingIOError):
                answer += conn.recv(4096)
            if answer:
                break
            try:
                conn.sendall(piece)
            except (BrokenPipeError, ConnectionResetError, BlockingIOError):
                break
            sent += len(piece)
        conn.setblocking(True)
        while b"\r\n" not in answer:
            more = conn.recv(4096)
            if not more:
                break
            answer += more
    return answer.split(b"\r\n", 1)[0], sent


MIB = 1024 * 1024


def test_a_50_mb_body_is_refused_without_reading_it(live_server: tuple[str, Engine]) -> None:
    base, _ = live_server
    head = (
        b"POST /api/v1/persons HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(50 * MIB).encode() + b"\r\n\r\n"
    )
    status, sent = _raw(base, head, (b" " * MIB for _ in range(50)))
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    assert sent < 50 * MIB


def test_a_chunked_body_is_cut_off_at_the_limit(live_server: tuple[str, Engine]) -> None:
    base, _ = live_server
    head = (
        b"POST /api/v1/persons HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = hex(MIB)[2:].encode() + b"\r\n" + b" " * MIB + b"\r\n"
    status, sent = _raw(base, head, (chunk for _ in range(50)))
    assert status == b"HTTP/1.1 413 Request Entity Too Large"
    assert sent < 50 * len(chunk)


def test_a_field_longer_than_its_column_is_refused_with_422(editor: TestClient) -> None:
    long = editor.post("/api/v1/persons", json={"key": "doe-jane", "name": "x" * 201})
    assert (long.status_code, long.json()) == (
        422,
        {
            "detail": [
                {
                    "loc": ["body", "person", "name"],
                    "msg": "person.name: at most 200 characters (got 201)",
                    "type": "invalid_data",
                }
            ]
        },
    )
    nul = editor.post("/api/v1/persons", json={"key": "doe-jane", "name": "DOE\x00Jane"})
    assert (nul.status_code, nul.json()["detail"][0]["msg"]) == (
        422,
        "person.name: a NUL character is not allowed",
    )
    assert editor.get("/api/v1/persons/doe-jane").status_code == 404
    fits = editor.post("/api/v1/persons", json={"key": "doe-jane", "name": "x" * 200})
    assert fits.status_code == 201


def test_the_login_page_shows_no_message_from_its_query_string(app: FastAPI) -> None:
    answer = TestClient(app).get("/login", params={"error": "Your session expired: call 555"})
    assert answer.status_code == 200
    assert "call 555" not in answer.text and 'class="error"' not in answer.text
