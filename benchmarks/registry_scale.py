"""The registry at the size of a large foreign ministry: coverage, suggestions, term warnings,
the dashboard's context, the API on a new date and loading, on a synthetic registry
(``scidip.datasets.synthetic``: bilateral agreements among states with successions, every kind of
action at every precision), at full size and at a tenth, each beside a named baseline.

The baseline of every read is **reading the same rows with plain SQL** (the driver's cursor, no
ORM, no rule): what any implementation that reads the registry must pay. The baseline of the load
is **validating the files alone** (parsing and checking every record, writing nothing).

Not a test: it asserts no time. Every figure is the median of ``--repeat`` calls, each in a fresh
session and on a date not asked before (so that no answer is reused), in CPU time of this process
(``time.process_time``: what the call costs, steady on a machine shared with other work) and in
wall time (what a user waits, on a quiet machine the same).

    .venv/bin/python benchmarks/registry_scale.py                     # 5,000 x 250 x 1,000
    .venv/bin/python benchmarks/registry_scale.py --agreements 500 --states 25 --successions 100
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.config import Settings
from scidip.datasets.loader import load_dataset, read_dataset
from scidip.datasets.synthetic import HOME, Sizes, write_registry
from scidip.db.base import Sensitivity
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine, make_sessionmaker
from scidip.registry.agreement.coverage import coverage
from scidip.registry.agreement.queries import succession_suggestions, term_warnings
from scidip.registry.committee.service import meetings_in, overdue_committees
from scidip.registry.engagement.service import find_engagements
from scidip.web.app import create_app

SPAN_ROWS = (
    "SELECT a.key, a.title, s.party_id, s.how, s.via_id, s.since_on, s.since_precision,"
    " s.since_not_after, s.ends_on, s.ends_precision, s.ends_not_after, s.end_kind"
    " FROM coverage_span s JOIN agreement a ON a.id = s.agreement_id"
)
ACTION_ROWS = (
    "SELECT a.key, a.title, x.kind, x.party_id, x.effective_on, x.taken_on, x.until_on"
    " FROM agreement_action x JOIN agreement a ON a.id = x.agreement_id"
)
SUCCESSION_ROWS = "SELECT predecessor_id, successor_id, date_on FROM succession"


def days(n: int, start: date) -> list[date]:
    """``n`` different dates, 97 days apart: each call asks a date not asked before."""
    return [start + timedelta(days=97 * i) for i in range(n)]


Figure = tuple[float, float]
"""CPU and wall time, in milliseconds (seconds for the load)."""


class Clock:
    """CPU and wall time of a block."""

    def __enter__(self) -> Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall


def median_ms(sessions: Any, repeat: int, call: Callable[[Any, date], Any], start: date) -> Figure:
    cpu, wall = [], []
    for day in days(repeat, start):
        with sessions() as s, Clock() as clock:
            call(s, day)
        cpu.append(clock.cpu)
        wall.append(clock.wall)
    return 1000 * statistics.median(cpu), 1000 * statistics.median(wall)


def plain_rows(sessions: Any, repeat: int, *statements: str) -> Figure:
    def read(s: Any, _day: date) -> None:
        connection = s.connection()
        for statement in statements:
            connection.exec_driver_sql(statement).fetchall()

    return median_ms(sessions, repeat, read, date(2001, 1, 1))


def dashboard(s: Any, day: date) -> None:
    """What the dashboard gathers (``web/pages/workbench.py``), for a reader who sees all."""
    year = timedelta(days=365)
    coverage(s, HOME, day)
    term_warnings(s, HOME, day)
    overdue_committees(s, day)
    meetings_in(s, day, day + year)
    find_engagements(s, day - year, day + timedelta(days=1))


def measure(sizes: Sizes, seed: int, repeat: int, folder: Path) -> dict[str, Figure]:
    data = write_registry(folder / "dataset", sizes, seed)
    url = f"sqlite:///{folder / 'registry.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    figures: dict[str, Figure] = {}

    with Clock() as clock:
        read_dataset(data)
    figures["validate files (baseline)"] = clock.cpu, clock.wall
    with Clock() as clock, sessions.begin() as s:
        load_dataset(s, data)
    figures["load"] = clock.cpu, clock.wall

    figures["plain SQL: spans"] = plain_rows(sessions, repeat, SPAN_ROWS)
    figures["coverage"] = median_ms(
        sessions, repeat, lambda s, d: coverage(s, HOME, d), date(1995, 1, 1)
    )
    figures["plain SQL: spans + successions"] = plain_rows(
        sessions, repeat, SPAN_ROWS, SUCCESSION_ROWS
    )
    figures["suggestions"] = median_ms(
        sessions, repeat, lambda s, d: succession_suggestions(s, HOME, d), date(1996, 2, 3)
    )
    figures["plain SQL: actions"] = plain_rows(sessions, repeat, ACTION_ROWS)
    figures["term warnings"] = median_ms(
        sessions, repeat, lambda s, d: term_warnings(s, HOME, d), date(1997, 3, 5)
    )
    figures["plain SQL: spans + actions"] = plain_rows(sessions, repeat, SPAN_ROWS, ACTION_ROWS)
    figures["dashboard context"] = median_ms(sessions, repeat, dashboard, date(1998, 4, 7))

    with sessions.begin() as s:
        user = add_user(s, "bench", "bench-password-long", Role.viewer, Sensitivity.restricted)
        token = issue_token(s, user)
    settings = Settings(data_dir=folder, database_url=url, read_cache=False)
    app = create_app(settings, secret="benchmark-only-secret")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as api:
        cpu, wall, size = [], [], 0
        for day in days(repeat, date(1999, 5, 9)):
            with Clock() as clock:
                answer = api.get("/api/v1/queries/coverage", params={"as_of": day.isoformat()})
            cpu.append(clock.cpu)
            wall.append(clock.wall)
            size = len(answer.content)
            assert answer.status_code == 200, answer.text
        figures["API coverage, new date"] = (
            1000 * statistics.median(cpu),
            1000 * statistics.median(wall),
        )
        figures["API answer bytes"] = float(size), float(size)
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=5000)
    parser.add_argument("--states", type=int, default=250)
    parser.add_argument("--successions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=9, help="Calls per figure (median).")
    args = parser.parse_args()
    full = Sizes(args.agreements, args.states, args.successions)
    tenth = full.scaled(0.1)
    results: dict[str, dict[str, Figure]] = {}
    for name, sizes in (("tenth", tenth), ("full", full)):
        with tempfile.TemporaryDirectory() as folder:
            print(f"measuring {name}: {sizes}", flush=True)
            results[name] = measure(sizes, args.seed, args.repeat, Path(folder))
    small, big = results["tenth"], results["full"]
    print()
    print("CPU time (wall time at full size); load in s, the rest in ms")
    print(f"{'figure':<36}{'tenth':>9}{'full':>9}{'growth':>8}{'wall':>9}")
    for key in big:
        growth = big[key][0] / small[key][0]
        line = (
            f"{key:<36}{small[key][0]:>9.1f}{big[key][0]:>9.1f}{growth:>7.1f}x{big[key][1]:>9.1f}"
        )
        print(line)
    print()
    for what, baseline in (
        ("coverage", "plain SQL: spans"),
        ("suggestions", "plain SQL: spans + successions"),
        ("term warnings", "plain SQL: actions"),
        ("dashboard context", "plain SQL: spans + actions"),
        ("load", "validate files (baseline)"),
    ):
        ratio = big[what][0] / big[baseline][0]
        print(f"{what} at full size: {ratio:.1f}x the CPU time of {baseline}")


if __name__ == "__main__":
    main()
