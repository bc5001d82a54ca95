"""The security review's attack harness (issue 17), bounded and repeatable: it serves the
workbench over a new database (SQLite in a temporary folder, or ``--database-url``) holding the
bundled dataset and a few hidden records, attacks it over HTTP and prints one table: per row of
the review's list, the checks made and the failures.

Not a test (it asserts nothing and is not collected): run it on two versions of the code and
compare the tables (``PYTHONPATH=<other checkout>/src``). A few minutes on two busy cores.

    PYTHONPATH=src .venv/bin/python benchmarks/attack.py [--database-url URL] [--keys 3]

What is attacked (each user of every role x clearance, and nobody):

* **reads**: every GET route of the API and the pages, with the hidden records' keys and a few
  others as path parameters; no answer may hold a marker of a record the reader may not see
  (``qzhidden`` restricted, ``qzinternal`` internal), anonymous gets 401 or the login page;
* **writes** of every verb (PUT, DELETE, end; edit, end and delete forms) by editors and
  admins on records they may not read: all refused, nothing changed, no version told;
* **creates** with a hidden record's key: the same refusal as for a visible one (no oracle);
* **CSRF**: cookie-authenticated writes without the session's token, or with a wrong one;
* **concurrent updates** of one record naming the version read: every accepted write is in
  the record's history (no lost update);
* **login bursts**: 40 wrong passwords at once on one account (at most 5 checked), the right
  one just after (refused), 200 failures from one address (at most 20 checked), the owner's
  browser with its device cookie (let in);
* **500s** over everything above.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.config import Settings
from scidip.datasets.bundled import resolve_dataset
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.web.app import create_app

SECRET = "attack-harness-secret-not-for-production"
MARKERS = {"restricted": ("qzhidden",), "internal": ("qzhidden", "qzinternal"), "public": ()}
"""What a reader of each clearance must never be shown (lower-cased)."""
FORBIDDEN = {"restricted": (), "internal": ("qzhidden",), "public": ("qzhidden", "qzinternal")}
COMBOS = [(r.value, c.value) for r in Role for c in Sensitivity]
HIDDEN: list[tuple[str, dict[str, Any]]] = [
    ("persons", {"key": "qzhidden-person", "name": "QZHIDDEN Person",
                 "sensitivity": "restricted"}),
    ("persons", {"key": "qzinternal-person", "name": "QZINTERNAL Person",
                 "sensitivity": "internal"}),
    ("committees", {"key": "qzhidden-committee", "name": "QZHIDDEN Committee",
                    "agreement": "jpn-isr-1994", "counterpart": "ISR",
                    "sensitivity": "restricted"}),
    ("meetings", {"key": "qzhidden-committee-1", "committee": "qzhidden-committee", "number": 1,
                  "date": "2022-05-01"}),  # public, but only reached through a hidden committee
    ("memberships", {"key": "qzhidden-membership", "person": "qzhidden-person",
                     "organisation": "u-tokyo", "label": "Professor"}),
    ("engagements", {"key": "qzhidden-visit", "kind": "visit", "title": "QZHIDDEN visit",
                     "date": "2022-09-01", "sensitivity": "restricted"}),
    ("engagements", {"key": "qzpublic-visit", "kind": "visit", "title": "A public visit",
                     "date": "2022-09-02", "participants": ["kishi-teruo", "qzhidden-person"]}),
    ("documents", {"key": "qzpublic-recommendation", "kind": "recommendation",
                   "title": "A public recommendation", "date": "2022-06",
                   "issuer": "advisory-board-2015", "addressee_person": "qzhidden-person",
                   "follow_ups": [{"date": "2022-06", "status": "submitted"}]}),
    ("persons", {"key": "qzpublic-counter", "name": "QZPUBLIC Counter"}),
]  # fmt: skip
META = ("id", "version", "created_at", "updated_at")
"""A record's registry fields in an API answer, not sent back in an update."""
ENTITY_PAGES = {"persons": "persons", "committees": "committees", "engagements": "engagements",
                "documents": "documents", "sources": "sources", "posts": "posts",
                "organisations": "bodies", "agreements": "agreements"}  # fmt: skip


class Tally:
    """Checks and failures per row, and every status seen (thread-safe)."""

    def __init__(self) -> None:
        self.checks: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.statuses: Counter[int] = Counter()
        self.resets = 0
        self.updates = ""
        self.every: list[str] = []
        self._lock = threading.Lock()

    def check(self, row: str, ok: bool, example: str = "") -> None:
        with self._lock:
            self.checks[row] += 1
            if not ok:
                self.failures[row] += 1
                self.examples.setdefault(row, example)
                self.every.append(f"{row}: {example}")

    def seen(self, response: httpx.Response) -> httpx.Response:
        with self._lock:
            self.statuses[response.status_code] += 1
        return response


def serve(settings: Settings) -> tuple[str, uvicorn.Server, threading.Thread]:
    app = create_app(settings, secret=SECRET)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}", server, thread


def prepare(url: str) -> dict[tuple[str, str], str]:
    """Migrate, load the bundled dataset, add a user per role x clearance; their tokens."""
    engine = make_engine(url)
    upgrade(engine)
    tokens = {}
    with make_sessionmaker(engine).begin() as session:
        load_dataset(session, resolve_dataset("japan-mofa"))
        for role, clearance in COMBOS:
            user = add_user(session, f"{role}-{clearance}", f"attack-{role}-{clearance}-pw-9x",
                            Role(role), Sensitivity(clearance))  # fmt: skip
            tokens[(role, clearance)] = issue_token(session, user, "attack")
        add_user(session, "victim", "attack-victim-pw-9x", Role.viewer, Sensitivity.public)
    engine.dispose()
    return tokens


def login(base: str, username: str, password: str, address: str) -> httpx.Client:
    """A browser logged in through the login page (from ``address``)."""
    client = httpx.Client(base_url=base, headers={"X-Forwarded-For": address}, timeout=120)
    client.get("/login")
    form = {"username": username, "password": password, "next": "/",
            "csrf_token": client.cookies.get("scidip_login_csrf", "")}  # fmt: skip
    answer = client.post("/login", data=form)
    assert answer.status_code == 303, (username, answer.status_code)
    return client


def csrf_of(browser: httpx.Client) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/account").text)
    assert found is not None
    return found.group(1)


def read_paths(admin: httpx.Client, keys_per_concept: int) -> list[str]:
    """Every GET route with its parameters filled: the hidden records and a few others."""
    spec = admin.get("/openapi.json").json()
    plain = [p for p, ops in spec["paths"].items() if "get" in ops and "{" not in p]
    concepts = [p.split("/")[3] for p in spec["paths"] if p.endswith("/{key}/history")]
    paths = [p for p in plain if not p.startswith("/api/v1/reports")]
    paths += ["/api/v1/reports/annual?year=2022", "/api/v1/reports/reconcile",
              "/api/v1/reports/country/ISR", "/api/v1/reports/annual?year=2022&format=html",
              "/api/v1/queries/agreements-with/ISR", "/api/v1/queries/holders/foreign-minister",
              "/api/v1/queries/members/u-tokyo", "/api/v1/queries/members/advisory-board-2015",
              "/api/v1/persons?q=qz", "/api/v1/audit?limit=1000"]  # fmt: skip
    pages = ["/", "/agreements", "/people", "/engagements", "/calendar", "/lists", "/audit",
             "/reports", "/reports/annual?year=2022", "/reports/country?code=ISR",
             "/countries/ISR", "/map", "/capability", "/economic-security", "/account",
             "/search?q=qz", "/search/suggest?q=qz", "/records/new", "/engagements?q=visit",
             "/calendar?year=2022", "/audit?q=qz"]  # fmt: skip
    lists = sorted(set(re.findall(r'href="/lists/([a-z-]+)"', admin.get("/lists").text)))
    for name in lists:
        pages += [f"/lists/{name}", f"/lists/{name}.csv", f"/lists/{name}.json"]
    for concept in concepts:
        items = admin.get(f"/api/v1/{concept}", params={"limit": 500}).json()["items"]
        keys = [i["key"] for i in items]
        chosen = [k for k in keys if k.startswith("qz")] + [
            k for k in keys if not k.startswith("qz")
        ][:keys_per_concept]
        pages += [f"/lookup/{concept}?q=qz", f"/records/{concept}/new"]
        for key in chosen:
            paths += [f"/api/v1/{concept}/{key}", f"/api/v1/{concept}/{key}/history"]
            pages += [f"/records/{concept}/{key}", f"/records/{concept}/{key}/edit"]
            if concept in ENTITY_PAGES:
                pages.append(f"/{ENTITY_PAGES[concept]}/{key}")
    return paths + pages


def attack_reads(base: str, clients: dict[str, httpx.Client], paths: list[str], tally: Tally,
                 workers: int) -> None:  # fmt: skip
    def one(name: str, path: str) -> None:
        response = tally.seen(clients[name].get(path))
        tally.check("500s", response.status_code != 500, f"{name} GET {path}")
        body = response.text.lower()
        if name == "anonymous":
            public = path.startswith(("/login", "/static", "/docs", "/openapi.json"))
            allowed = public or response.status_code in (401, 303)
            tally.check("anonymous answered", allowed, f"GET {path}: {response.status_code}")
            return
        for asked in re.split(r"[/?=&.]", path.lower()):  # a key the reader typed, said back
            if asked.startswith("qz") and len(asked) > 2:
                body = body.replace(asked, "")
        clearance = name.split("-")[1]
        leaked = [m for m in FORBIDDEN[clearance] if m in body]
        tally.check("hidden-record leaks (reads)", not leaked, f"{name} GET {path}: {leaked}")

    jobs = [(name, path) for name in clients for path in paths]
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda job: one(*job), jobs))


def snapshot(admin: httpx.Client) -> dict[str, Any]:
    return {key: admin.get(f"/api/v1/{c}/{key}").json() for c, h in HIDDEN if (key := h["key"])}


def attack_writes(clients: dict[str, httpx.Client], browsers: dict[str, httpx.Client],
                  admin: httpx.Client, tally: Tally) -> None:  # fmt: skip
    before = snapshot(admin)
    hidden = [(c, h["key"]) for c, h in HIDDEN if h.get("sensitivity") or c == "meetings"]
    hidden.append(("memberships", "qzhidden-membership"))
    for name in ("editor-public", "admin-public", "editor-internal", "admin-internal"):
        api, browser = clients[name], browsers[name]
        csrf = csrf_of(browser)
        clearance = name.split("-")[1]
        for concept, key in hidden:
            if clearance == "internal" and key.startswith("qzinternal"):
                continue
            record = before[key]
            version = record.get("version", 1)
            body = {k: v for k, v in record.items() if k not in META}
            attempts = [
                api.put(f"/api/v1/{concept}/{key}", params={"version": version}, json=body),
                api.put(f"/api/v1/{concept}/{key}", params={"version": 99}, json=body),
                api.delete(f"/api/v1/{concept}/{key}", params={"version": version}),
                api.delete(f"/api/v1/{concept}/{key}", params={"version": 99}),
                api.post(f"/api/v1/{concept}/{key}/end", params={"version": version, "on": "2023"}),
                browser.post(f"/records/{concept}/{key}/delete",
                             data={"csrf_token": csrf, "version": version}),
                browser.post(f"/records/{concept}/{key}/end",
                             data={"csrf_token": csrf, "version": version, "end": "2023"}),
                browser.post(f"/records/{concept}/{key}/edit",
                             data={"csrf_token": csrf, "version": version, "name": "x"}),
            ]  # fmt: skip
            for response in attempts:
                tally.seen(response)
                ok = response.status_code in (
                    403,
                    404,
                    405,
                    422,
                ) and "qzhidden" not in response.text.lower().replace(key, "")
                what = f"{name} {response.request.method} {response.request.url.path}"
                tally.check("write on unreadable", ok, f"{what}: {response.status_code}")
                tally.check("500s", response.status_code != 500, what)
        # A create with a hidden key answers as with a visible taken key.
        for concept, key, visible in (("persons", "qzhidden-person", "kishi-teruo"),):
            refusals = [
                tally.seen(api.post(f"/api/v1/{concept}", json={"key": k, "name": "X Y"}))
                for k in (key, visible)
            ]
            same = [
                (r.status_code, r.text.replace(k, "KEY"))
                for r, k in zip(refusals, (key, visible), strict=True)
            ]
            tally.check("existence oracle (create)", same[0] == same[1], f"{name}: {same}")
    after = snapshot(admin)
    for key in before:
        tally.check("write on unreadable", after[key] == before[key], f"{key} changed")


def attack_csrf(base: str, browsers: dict[str, httpx.Client], tally: Tally) -> None:
    browser = browsers["admin-restricted"]
    csrf = csrf_of(browser)
    person = {"key": "qzcsrf-person", "name": "QZCSRF Person"}
    attempts = [
        browser.post("/api/v1/persons", json=person),
        browser.post("/api/v1/persons", json=person, headers={"X-CSRF-Token": "x" + csrf}),
        browser.put("/api/v1/persons/kishi-teruo", params={"version": 1}, json={"name": "X"}),
        browser.delete("/api/v1/persons/kishi-teruo", params={"version": 1}),
        browser.post("/records/persons/new", data={"key": "qzcsrf-person", "name": "X"}),
        browser.post("/records/persons/new",
                     data={"key": "qzcsrf-person", "name": "X", "csrf_token": "x" + csrf}),
        browser.post("/records/persons/kishi-teruo/delete", data={"version": 1}),
        browser.post("/account/password", data={"current_password": "x", "new_password": "y",
                                                "repeat_password": "y"}),
        browser.post("/logout"),
        browser.post("/api/v1/auth/logout"),
        browser.post("/api/v1/auth/users/victim/password", json={"new_password": "zz" * 8}),
        browser.post("/account/tokens/1/revoke"),
        browser.post("/account/sessions/1/end"),
    ]  # fmt: skip
    for response in attempts:
        tally.seen(response)
        what = f"{response.request.method} {response.request.url.path}"
        tally.check("CSRF refused", response.status_code == 403, f"{what}: {response.status_code}")
    created = browser.get("/api/v1/persons/qzcsrf-person").status_code
    tally.check("CSRF refused", created == 404, "the person was created")
    tally.check("CSRF refused", browser.get("/account").status_code == 200, "logged out")


def attack_updates(
    api: httpx.Client, admin: httpx.Client, tally: Tally, threads: int, rounds: int
) -> None:
    path = "/api/v1/persons/qzpublic-counter"
    accepted: list[str] = []
    statuses: Counter[int] = Counter()

    def writer(n: int) -> None:
        for i in range(rounds):
            record = api.get(path).json()
            body = {k: v for k, v in record.items() if k not in META}
            body["name"] = f"QZPUBLIC Counter w{n}-r{i}"
            response = tally.seen(api.put(path, params={"version": record["version"]}, json=body))
            tally.check("500s", response.status_code != 500, f"PUT {path}")
            statuses[response.status_code] += 1
            if response.status_code == 200:
                accepted.append(f"w{n}-r{i}")

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(writer, range(threads)))
    history = admin.get(f"{path}/history", params={"limit": 1000}).json()
    text = str(history)
    for note in accepted:  # every accepted write is in the history, once
        tally.check("lost updates", text.count(f"Counter {note}'") >= 1, f"{note} not in history")
    final = api.get(path).json()["version"]
    tally.check("lost updates", final == 1 + len(accepted), f"v{final}, {len(accepted)} writes")
    tally.updates = ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))


def attack_logins(base: str, tally: Tally) -> dict[str, str]:
    owner = login(base, "victim", "attack-victim-pw-9x", "203.0.113.9")  # a known device
    attacker = httpx.Client(base_url=base, timeout=120)

    def token(username: str, password: str, address: str) -> int:
        form = {"username": username, "password": password}
        for _ in range(3):  # a connection reset under the burst is tried again
            try:
                response = attacker.post("/api/v1/auth/token", data=form,
                                         headers={"X-Forwarded-For": address})  # fmt: skip
                break
            except httpx.TransportError:
                tally.resets += 1
        tally.seen(response)
        tally.check("500s", response.status_code != 500, "POST /api/v1/auth/token")
        return response.status_code

    with ThreadPoolExecutor(40) as pool:
        burst = Counter(
            pool.map(lambda i: token("victim", f"wrong-{i}", "198.51.100.1"), range(40))
        )
    right = token("victim", "attack-victim-pw-9x", "198.51.100.1")
    with ThreadPoolExecutor(20) as pool:
        spray = Counter(pool.map(lambda i: token(f"user{i}", "wrong", "198.51.100.2"), range(200)))
    owner.get("/login")
    form = {"username": "victim", "password": "attack-victim-pw-9x", "next": "/",
            "csrf_token": owner.cookies.get("scidip_login_csrf", "")}  # fmt: skip
    again = tally.seen(owner.post("/login", data=form)).status_code
    tally.check("throttling", burst[401] <= 5, f"burst: {dict(burst)}")
    tally.check("throttling", right != 200, f"right password in the burst: {right}")
    tally.check("throttling", spray[401] <= 20, f"one address: {dict(spray)}")
    tally.check("throttling", again == 303, f"owner's browser: {again}")
    return {
        "40 wrong at once (checked)": f"{burst[401]} x 401, {burst[429]} x 429",
        "right password just after": str(right),
        "200 from one address (checked)": f"{spray[401]} x 401, {spray[429]} x 429",
        "owner's known browser": f"{again} ({'let in' if again == 303 else 'refused'})",
    }


class Phase:
    """Prints each phase's time on stderr, as it ends."""

    def __init__(self, started: float) -> None:
        self.last = started

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        print(f"{name}: {now - self.last:.0f} s", file=sys.stderr, flush=True)
        self.last = now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--keys", type=int, default=3, help="visible records read per concept")
    parser.add_argument("--workers", type=int, default=8, help="concurrent readers")
    parser.add_argument("--writers", type=int, default=8, help="concurrent updaters")
    parser.add_argument("--rounds", type=int, default=25, help="updates per updater")
    parser.add_argument("--failures", type=Path, help="write every failed check to this file")
    args = parser.parse_args()
    logging.getLogger("scidip.security").setLevel(logging.ERROR)  # a line per refusal: too many
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="scidip-attack-"))
    url = args.database_url or f"sqlite:///{folder / 'attack.sqlite3'}"
    tokens = prepare(url)
    settings = Settings(data_dir=folder, database_url=url, home_party="JPN", trust_proxy=True)
    base, server, thread = serve(settings)
    tally = Tally()
    clients = {f"{r}-{c}": httpx.Client(base_url=base, timeout=120,
                                        headers={"Authorization": f"Bearer {tokens[(r, c)]}"})
               for r, c in COMBOS}  # fmt: skip
    admin = clients["admin-restricted"]
    for concept, record in HIDDEN:
        made = admin.post(f"/api/v1/{concept}", json=record)
        assert made.status_code == 201, (concept, made.status_code, made.text)
    browsers = {f"{r}-{c}": login(base, f"{r}-{c}", f"attack-{r}-{c}-pw-9x", f"192.0.2.{i}")
                for i, (r, c) in enumerate(COMBOS, 1)}  # fmt: skip
    paths = read_paths(admin, args.keys)
    api_paths = [p for p in paths if p.startswith(("/api/", "/openapi"))]
    page_paths = [p for p in paths if p not in api_paths]
    readers = {**clients, "anonymous": httpx.Client(base_url=base, timeout=120)}
    phase = Phase(started)
    attack_reads(base, readers, api_paths, tally, args.workers)
    phase("API reads")
    attack_reads(base, {**browsers, "anonymous": readers["anonymous"]}, page_paths, tally,
                 args.workers)  # fmt: skip
    phase("page reads")
    attack_writes(clients, browsers, admin, tally)
    phase("writes")
    attack_csrf(base, browsers, tally)
    phase("CSRF")
    attack_updates(clients["editor-restricted"], admin, tally, args.writers, args.rounds)
    phase("concurrent updates")
    logins = attack_logins(base, tally)
    phase("login bursts")
    server.should_exit = True
    thread.join(timeout=10)
    requests = sum(tally.statuses.values())
    print(f"{requests:,} requests ({len(api_paths)} API and {len(page_paths)} page paths x "
          f"{len(COMBOS)} users + anonymous) in {time.monotonic() - started:.0f} s on "
          f"{url.split(':')[0]}")  # fmt: skip
    print(f"{'row':<30} {'checks':>7} {'failures':>8}  first failure")
    for row in ("hidden-record leaks (reads)", "anonymous answered", "write on unreadable",
                "existence oracle (create)", "CSRF refused", "lost updates", "throttling",
                "500s"):  # fmt: skip
        example = tally.examples.get(row, "")[:60]
        print(f"{row:<30} {tally.checks[row]:>7,} {tally.failures[row]:>8,}  {example}")
    for what, seen in logins.items():
        print(f"  throttling: {what}: {seen}")
    print(f"  concurrent updates ({args.writers} x {args.rounds}): {tally.updates}")
    other = {s: n for s, n in sorted(tally.statuses.items()) if s > 500}
    print(f"  other 5xx answers (not counted as 500s): {other or 'none'}")
    if args.failures:
        args.failures.write_text("".join(f"{line}\n" for line in tally.every), "utf-8")
    if tally.resets:
        print(
            f"  connections reset by the server during the login burst, tried again: {tally.resets}"
        )


if __name__ == "__main__":
    main()
