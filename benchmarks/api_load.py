"""Load on the running workbench: concurrent clients on loopback read the dashboard, a country
page, coverage and lists; prints throughput, p50 / p95 / p99 per target and overall, and the
ratio to the bare service call that answers the same question in process.

Not a test: it asserts no time. Bounded: every client makes a fixed number of requests, each
with a timeout, and the server is stopped at the end.

    .venv/bin/python benchmarks/api_load.py                      # SQLite in a temporary folder
    .venv/bin/python benchmarks/api_load.py --database-url postgresql+psycopg://u@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httptools
import httpx

from scidip.auth.models import Role
from scidip.auth.service import add_user, find_user, issue_token
from scidip.config import DEFAULT_HOME_PARTY, Settings
from scidip.datasets.bundled import resolve_dataset
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.queries import agreements_with, term_warnings
from scidip.registry.committee.service import meetings_in, overdue_committees
from scidip.registry.engagement.service import find_engagements
from scidip.registry.guarded import visible_payloads
from scidip.registry.person.service import PERSON
from scidip.web import cookie
from scidip.web.pages.published import published_on
from scidip.web.sessions import open_page_session

AS_OF = "2023-03-31"
SECRET = "benchmark-only-secret"
TARGETS = {
    "dashboard": f"/?as_of={AS_OF}",
    "country": f"/countries/KAZ?as_of={AS_OF}",
    "coverage": f"/api/v1/queries/coverage?as_of={AS_OF}",
    "persons": "/api/v1/persons?limit=100",
}
FLOOR = {"who-am-i": "/api/v1/auth/me"}
"""The floor: the cheapest authenticated answer, never kept (the user asking, one small row
read), through the same server and middleware: no read can be answered faster without a cache."""
SERVER = (
    "import uvicorn, sys; uvicorn.run('scidip.web.app:app_from_environment', factory=True,"
    " host='127.0.0.1', port=int(sys.argv[1]), workers=int(sys.argv[2]), log_level='warning')"
)


def prepare(url: str) -> tuple[str, str]:
    """Migrate and load the bundled dataset; a benchmark user. Returns (token, cookie value)."""
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as s, s.begin():
        load_dataset(s, resolve_dataset("japan-mofa"))
        user = find_user(s, "bench") or add_user(
            s, "bench", "benchmark-password", Role.viewer, Sensitivity.restricted
        )
        token = issue_token(s, user, "benchmark")
        session_cookie, _page = open_page_session(s, SECRET, user)
    engine.dispose()
    return token, session_cookie


def bare_calls(url: str, home: str) -> dict[str, Callable[[], Any]]:
    """The service calls behind each target, in process, on one session."""
    session = make_sessionmaker(make_engine(url))()
    day, year = date.fromisoformat(AS_OF), date(2024, 3, 31)

    def dashboard() -> Any:
        coverage(session, home, day)
        term_warnings(session, home, day)
        overdue_committees(session, day)
        meetings_in(session, day, year)
        published_on(session, day, Sensitivity.restricted)
        return find_engagements(session, date(2022, 3, 31), day)

    return {
        "dashboard": dashboard,
        "country": lambda: agreements_with(session, home, "KAZ", day),
        "coverage": lambda: coverage(session, home, day),
        "persons": lambda: visible_payloads(session, PERSON, Sensitivity.restricted),
    }


def time_bare(calls: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median seconds of each bare call (after one warm-up call)."""
    medians = {}
    for name, call in calls.items():
        call()
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            runs.append(time.perf_counter() - start)
        medians[name] = statistics.median(runs)
    return medians


class Connection:
    """One client's keep-alive HTTP/1.1 connection, as a browser keeps one: a request is written
    whole and its response read whole (httptools parses it). Lean on purpose: the clients share
    the 2 cores with the server, and a heavy client (httpx spends more CPU per request than the
    server does) would measure itself."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, int]:
        """(status, body bytes) of ``GET target``."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n{self.extra}\r\n"
        self.writer.write(head.encode())
        done, size = asyncio.Event(), [0]

        class Events:
            def on_body(self, body: bytes) -> None:
                size[0] += len(body)

            def on_message_complete(self) -> None:
                done.set()

        parser = httptools.HttpResponseParser(Events())
        while not done.is_set():
            data = await self.reader.read(65536)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed_data(data)
        return parser.get_status_code(), size[0]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def load(
    base: tuple[str, int],
    token: str,
    session_cookie: str,
    clients: int,
    each: int,
    targets: dict[str, str] = TARGETS,
) -> Any:
    """``clients`` concurrent clients, each making ``each`` requests cycling over the targets,
    after a warm-up round (every client asks for every target once, untimed, so that each server
    process has computed each answer once: the timed reads are the steady state between writes).
    """
    latencies: dict[str, list[float]] = {name: [] for name in targets}
    failures = 0
    headers = {"Authorization": f"Bearer {token}", "Cookie": f"{cookie.COOKIE}={session_cookie}"}
    first = Connection(*base, headers)
    cold = {}
    for name, target in targets.items():  # nothing kept yet: computed, rendered, kept
        start = time.perf_counter()
        await first.get(target)
        cold[name] = time.perf_counter() - start
    await first.close()
    connections = [Connection(*base, headers) for _ in range(clients)]

    async def warm(connection: Connection) -> None:
        for target in targets.values():
            status, _ = await connection.get(target)
            if status != 200:
                raise SystemExit(f"warm-up: {target} answered {status}")

    await asyncio.gather(*(warm(c) for c in connections))

    async def client(n: int) -> None:
        nonlocal failures
        names = list(targets)
        connection = connections[n]
        for i in range(each):
            name = names[(n + i) % len(names)]
            start = time.perf_counter()
            status, _ = await connection.get(targets[name])
            latencies[name].append(time.perf_counter() - start)
            failures += status != 200
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    return latencies, failures, elapsed, cold


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def report(
    latencies: dict[str, list[float]],
    failures: int,
    elapsed: float,
    cold: dict[str, float],
    bare: dict[str, float],
) -> None:
    """Throughput, then per target: percentiles of the timed reads, the first (cold) request,
    the bare service call and the ratio of p50 to it."""
    every = [x for xs in latencies.values() for x in xs]
    rate = len(every) / elapsed
    print(f"{len(every)} requests in {elapsed:.1f} s: {rate:.0f} req/s, {failures} not 200")
    head = ("target", "n", "p50 ms", "p95 ms", "p99 ms", "cold ms", "bare ms", "p50/bare")
    print(f"{head[0]:<10} {head[1]:>5} " + " ".join(f"{h:>8}" for h in head[2:]))
    nan = float("nan")
    for name, xs in [*latencies.items(), ("all", every)]:
        bare_ms = bare[name] * 1000 if name in bare else nan
        cold_ms = cold[name] * 1000 if name in cold else nan
        ratio = _pct(xs, 0.5) / bare_ms if name in bare else nan
        print(
            f"{name:<10} {len(xs):>5} {_pct(xs, 0.5):>8.1f} {_pct(xs, 0.95):>8.1f} "
            f"{_pct(xs, 0.99):>8.1f} {cold_ms:>8.1f} {bare_ms:>8.1f} {ratio:>8.2f}"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per client")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--cache",
        choices=["both", "on", "off"],
        default="both",
        help="the read cache (both: without, then with, in one run)",
    )
    parser.add_argument(
        "--no-floor", action="store_true", help="skip the floor (GET /api/v1/auth/me, no cache)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scidip-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    token, session_cookie = prepare(url)
    bare = time_bare(bare_calls(url, Settings().home_party or DEFAULT_HOME_PARTY), repeat=20)
    modes = {"no read cache": "0", "read cache": "1"}
    if args.cache != "both":
        modes = {k: v for k, v in modes.items() if v == ("1" if args.cache == "on" else "0")}
    p95: dict[str, float] = {}
    for mode, flag in modes.items():
        print(f"== {mode} (SCIDIP_READ_CACHE={flag})")
        p95[mode] = run_server(args, url, folder, flag, token, session_cookie, bare, TARGETS)
    if not args.no_floor:
        print("== floor: the cheapest authenticated answer, never kept (SCIDIP_READ_CACHE=0)")
        p95["floor"] = run_server(args, url, folder, "0", token, session_cookie, {}, FLOOR)
    print("p95 of all reads, and ratios to the floor:")
    for mode, value in p95.items():
        ratio = f"{value / p95['floor']:.2f}x the floor" if "floor" in p95 else ""
        print(f"  {mode:<14} {value:9.1f} ms  {ratio}")


def run_server(
    args: argparse.Namespace,
    url: str,
    folder: Path,
    cache: str,
    token: str,
    session_cookie: str,
    bare: dict[str, float],
    targets: dict[str, str],
) -> float:
    """Serve, load ``targets``, report; returns the p95 of every timed read in ms."""
    port = _free_port()
    env = {
        **os.environ,
        "SCIDIP_DATABASE_URL": url,
        "SCIDIP_DATA_DIR": str(folder),
        "SCIDIP_SESSION_SECRET": SECRET,
        "SCIDIP_READ_CACHE": cache,
    }
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(args.workers)], env=env)
    try:
        address = ("127.0.0.1", port)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        print(
            f"database: {make_engine(url).url.render_as_string(hide_password=True)}; "
            f"{args.clients} clients x {args.requests} requests, {args.workers} server process(es)"
        )
        result = asyncio.run(
            load(address, token, session_cookie, args.clients, args.requests, targets)
        )
        report(*result, bare)
        return _pct([x for xs in result[0].values() for x in xs], 0.95)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
