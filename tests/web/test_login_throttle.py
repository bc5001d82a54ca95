"""The login throttle under concurrency, on a real database (SQLite file or PostgreSQL) through
the app as a server runs it: however many attempts arrive at once, exactly the free failures are
checked; and a stranger's failures never lock the owner out of their own browser."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from scidip.auth.models import LoginAttempt, Role
from scidip.auth.service import add_user
from scidip.db.base import Sensitivity
from scidip.web import cookie


def _login(base: str, username: str, password: str) -> int:
    data = urllib.parse.urlencode({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{base}/api/v1/auth/token", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _at_once(count: int, attempt: object) -> Counter[int]:
    start = threading.Barrier(count)
    statuses: list[int] = []

    def run(n: int) -> None:
        start.wait()
        statuses.append(attempt(n))  # type: ignore[operator]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(statuses)


def _checked(engine: Engine) -> Counter[tuple[str, bool]]:
    with Session(engine) as s:
        rows = s.execute(
            select(LoginAttempt.username, LoginAttempt.checked, func.count()).group_by(
                LoginAttempt.username, LoginAttempt.checked
            )
        ).all()
    return Counter({(name, checked): n for name, checked, n in rows})


def test_forty_wrong_passwords_at_once_get_exactly_five_checked(
    live_server: tuple[str, Engine],
) -> None:
    base, engine = live_server
    answers = _at_once(40, lambda _n: _login(base, "ann", "guess-guess-1"))
    assert answers == {401: 5, 429: 35}
    # The right password, ten times at once, inside the wait: refused unchecked.
    assert _at_once(10, lambda _n: _login(base, "ann", "password-of-ann")) == {429: 10}
    assert _checked(engine) == {("ann", True): 5, ("ann", False): 45}


def test_two_hundred_failures_from_one_address_get_twenty_checked(
    live_server: tuple[str, Engine],
) -> None:
    base, engine = live_server
    answers = _at_once(200, lambda n: _login(base, f"user{n}", "guess-guess-1"))
    assert answers == {401: 20, 429: 180}
    assert _login(base, "ann", "password-of-ann") == 429  # the address waits, for every name
    found = _checked(engine)
    assert sum(n for (_, checked), n in found.items() if checked) == 20


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None
    return found.group(1)


def _page_login(client: TestClient, password: str) -> int:
    html = client.get("/login").text
    data = {"username": "ann", "password": password, "csrf_token": _hidden(html, "csrf_token")}
    return client.post("/login", data=data).status_code


def test_a_stranger_cannot_lock_the_owner_out_of_their_browser(app: FastAPI, db: Session) -> None:
    add_user(db, "ann", "password-of-ann", Role.viewer, Sensitivity.public)
    owner = TestClient(app, follow_redirects=False)
    assert _page_login(owner, "password-of-ann") == 303
    assert cookie.DEVICE in owner.cookies
    stranger = TestClient(app, follow_redirects=False)
    assert [_page_login(stranger, "guess-guess-1") for _ in range(6)] == [401] * 5 + [429]
    assert _page_login(stranger, "password-of-ann") == 429  # the account waits for strangers
    assert _page_login(owner, "password-of-ann") == 303  # not for the owner's browser
    # The owner's browser has its own count: five failures there make it wait too.
    assert [_page_login(owner, "guess-guess-1") for _ in range(6)] == [401] * 5 + [429]
