"""Writers at the same moment, on a real database (SQLite file or PostgreSQL) through the app as
a server runs it: one request wins, the others are told why; none fails with a server error."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

from sqlalchemy.engine import Engine

from scidip.auth.service import enabled_user, issue_token
from scidip.db.session import make_sessionmaker

CLIENTS = 20


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


def test_concurrent_creates_of_one_key(live_server: tuple[str, Engine]) -> None:
    url, engine = live_server
    with make_sessionmaker(engine).begin() as s:
        token = issue_token(s, enabled_user(s, "ed"))
    base = f"{url}/api/v1/sources"
    body = {"key": "new-source", "title": "A source created by twenty clients at once"}
    start = threading.Barrier(CLIENTS)
    answers: list[tuple[int, Any]] = []

    def create() -> None:
        start.wait()
        answers.append(_send("POST", base, token, body))

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
