"""Writers at the same moment, on a real database (SQLite file or PostgreSQL) through the app as
a server runs it: one request wins, the others are told why; none fails with a server error."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import uvicorn

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.config import Settings
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.web.app import create_app

CLIENTS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _send(method: str, url: str, token: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_concurrent_creates_of_one_key(empty_database_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine)
    with make_sessionmaker(engine).begin() as s:
        user = add_user(s, "ed", "password-of-ed", Role.editor, Sensitivity.restricted)
        token = issue_token(s, user)
    engine.dispose()
    settings = Settings(data_dir=tmp_path, database_url=empty_database_url, home_party="JPN")
    app = create_app(settings, secret="test-secret-not-for-production")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    base = f"http://127.0.0.1:{port}/api/v1/sources"
    body = {"key": "new-source", "title": "A source created by twenty clients at once"}
    start = threading.Barrier(CLIENTS)
    answers: list[tuple[int, Any]] = []

    def create() -> None:
        start.wait()
        answers.append(_send("POST", base, token, body))

    try:
        threads = [threading.Thread(target=create) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert Counter(status for status, _ in answers) == {201: 1, 409: CLIENTS - 1}
        assert {a["detail"] for status, a in answers if status == 409} == {
            "source key 'new-source' is not available: choose another key, or leave the key out "
            "and the registry assigns one"
        }
        status, created = _send("GET", f"{base}/new-source", token)
        assert (status, created["title"], created["version"]) == (200, body["title"], 1)
    finally:
        server.should_exit = True
        serving.join(timeout=10)
