"""`scidip users add / list / disable / token / reset-password / set-role / set-clearance`
against a real database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import typer
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from scidip.auth.service import authenticate, user_for_token
from scidip.cli import web
from scidip.cli.main import _root, app
from scidip.db.session import make_engine, make_sessionmaker
from scidip.registry.audit.models import AuditEntry


def _run(url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--database-url", url, *args], input=stdin)
    return result.exit_code, result.output


@contextmanager
def _session(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            yield s
    finally:
        engine.dispose()


def test_users_add_generated_list_disable(empty_database_url: str) -> None:
    url = empty_database_url
    assert _run(url, "init")[0] == 0
    code, out = _run(
        url, "users", "add", "ada", "--role", "admin", "--clearance", "restricted", "--generate"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "added ada (admin, clearance restricted)"
    assert lines[1].startswith("password (shown once): ")
    password = lines[1].removeprefix("password (shown once): ")
    with _session(url) as s:
        assert authenticate(s, "ada", password) is not None
    code, out = _run(
        url,
        "users",
        "add",
        "vic",
        "--clearance",
        "internal",
        stdin="vic-says-hello-9\nvic-says-hello-9\n",
    )
    assert code == 0 and out.splitlines()[-1] == "added vic (viewer, clearance internal)"
    assert "vic-says-hello-9" not in out
    assert _run(url, "users", "disable", "vic") == (0, "disabled vic\n")
    code, out = _run(url, "users", "list", "--format", "json")
    rows = [{k: v for k, v in r.items() if k != "created_at"} for r in json.loads(out)]
    assert rows == [
        {"username": "ada", "role": "admin", "clearance": "restricted", "disabled": False},
        {"username": "vic", "role": "viewer", "clearance": "internal", "disabled": True},
    ]


def test_users_errors_exit_with_the_domain_codes(empty_database_url: str) -> None:
    url = empty_database_url
    _run(url, "init")
    _run(url, "users", "add", "ada", "--generate")
    code, out = _run(url, "users", "add", "ada", "--generate")
    assert (code, out) == (5, "error: user 'ada' already exists\n")
    code, out = _run(url, "users", "add", "bo", stdin="short\nshort\n")
    assert code == 3 and out.endswith("error: password: at least 12 characters\n")
    assert _run(url, "users", "disable", "nobody") == (4, "error: no user 'nobody'\n")


def test_users_token_prints_a_working_token_once(empty_database_url: str) -> None:
    url = empty_database_url
    _run(url, "init")
    _run(url, "users", "add", "ada", "--role", "editor", "--generate")
    code, out = _run(url, "users", "token", "ada", "--label", "ci")
    assert code == 0 and out.startswith("token for ada, valid 90 days (shown once): scidip_")
    token = out.strip().rsplit(" ", 1)[1]
    with _session(url) as s:
        user = user_for_token(s, token)
        assert user is not None and user.username == "ada"
    assert _run(url, "users", "token", "nobody") == (4, "error: no enabled user 'nobody'\n")


def test_serve_adds_a_first_admin_once_and_prints_how_to_log_in(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port, **_options: served.append((host, port))
    )
    cli = typer.Typer()
    cli.callback()(_root)
    cli.command()(web.serve)
    url = empty_database_url
    _run(url, "init")
    result = CliRunner().invoke(cli, ["--database-url", url, "serve", "--port", "8123"])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and served == [("127.0.0.1", 8123)]
    assert lines[0] == (
        "SciDip workbench: http://127.0.0.1:8123/  "
        "(API: http://127.0.0.1:8123/api/v1, OpenAPI: http://127.0.0.1:8123/docs)"
    )
    assert lines[1].startswith("first user: admin / ")
    assert lines[2] == "or add your own admin: this one is then disabled)"
    password = lines[1].removeprefix("first user: admin / ").split("  ")[0]
    with _session(url) as s:
        assert authenticate(s, "admin", password) is not None
    again = CliRunner().invoke(cli, ["--database-url", url, "serve"])
    assert "first user" not in again.output
    assert again.output.splitlines()[1] == (
        "log in as a user added with `scidip users add NAME --role admin --generate`"
    )
    # Another admin: the first one, whose password was printed, is disabled.
    code, out = _run(url, "users", "add", "root", "--role", "admin", "--generate")
    assert code == 0
    assert out.splitlines()[-1] == "disabled the first admin (admin): another admin exists"
    with _session(url) as s:
        assert authenticate(s, "admin", password) is None


def test_users_reset_password_set_role_and_clearance_are_audited(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    _run(url, "init")
    _run(url, "users", "add", "ada", "--generate")
    code, out = _run(url, "users", "reset-password", "ada", "--generate")
    assert code == 0
    assert out.splitlines()[0] == (
        "reset the password of ada: to be changed at next login; sessions, tokens ended"
    )
    password = out.splitlines()[1].removeprefix("password (shown once): ")
    assert _run(url, "users", "set-role", "ada", "editor") == (0, "ada is now editor\n")
    assert _run(url, "users", "set-clearance", "ada", "internal") == (
        0,
        "ada is now cleared for internal\n",
    )
    code, out = _run(url, "users", "reset-password", "ada", stdin="aaaaaaaaaaaa\naaaaaaaaaaaa\n")
    assert code == 3 and out.endswith("error: password: one character repeated\n")
    assert _run(url, "users", "set-role", "nobody", "admin") == (4, "error: no user 'nobody'\n")
    with _session(url) as s:
        ada = authenticate(s, "ada", password)
        assert ada is not None and (ada.role.value, ada.clearance.value) == ("editor", "internal")
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.record_key == "ada").order_by(AuditEntry.id)
        ).all()
    actor = f"cli:{os.environ.get('USER') or os.environ.get('LOGNAME') or 'unknown'}"
    assert [(a.actor, a.action) for a in audit] == [(actor, "create")] + [(actor, "update")] * 3
    assert [a.after["role"] for a in audit] == ["viewer", "viewer", "editor", "editor"]
    assert audit[3].after["clearance"] == "internal"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_two_workers_shows_every_write_to_every_reader(
    empty_database_url: str, tmp_path: Path
) -> None:
    """A real server of two processes, each with its own read cache: a record written through
    one is read back through new connections (answered by either process) every time."""
    url = empty_database_url
    _run(url, "init")
    _run(url, "users", "add", "ed", "--role", "editor", "--clearance", "restricted", "--generate")
    token = _run(url, "users", "token", "ed")[1].split()[-1]
    port = _free_port()
    scidip = str(Path(sys.executable).with_name("scidip"))
    command = [scidip, "--database-url", url, "serve", "--port", str(port), "--workers", "2"]
    env = {**os.environ, "SCIDIP_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection, any worker, each time
    try:
        with httpx.Client(headers=headers, limits=fresh, timeout=10) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get(f"{base}/persons").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
            for _ in range(8):  # both processes have kept the empty list
                assert http.get(f"{base}/persons").json()["total"] == 0
            created = http.post(f"{base}/persons", json={"key": "doe-jane", "name": "DOE Jane"})
            assert created.status_code == 201
            totals = [http.get(f"{base}/persons").json()["total"] for _ in range(8)]
            assert totals == [1] * 8
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "SciDip workbench: http://127.0.0.1:" in output
