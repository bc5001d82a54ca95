"""Start-up time of the ``scidip`` command line against the libraries it cannot do without.

Each case runs as a whole new process (``python -c ...`` or ``python -m scidip.cli.main ...``),
alternating the cases, ``--repeat`` times; the table gives the median and fastest wall time and
the ratio of each case's median to the baseline's: ``python -c "import typer, sqlalchemy"``.

    .venv/bin/python benchmarks/cli_startup.py --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = "baseline: import typer, sqlalchemy"


def cases(database: str) -> dict[str, list[str]]:
    cli = [sys.executable, "-m", "scidip.cli.main"]
    return {
        BASELINE: [sys.executable, "-c", "import typer, sqlalchemy"],
        "scidip --version": [*cli, "--version"],
        "scidip --help": [*cli, "--help"],
        "scidip agreements --help": [*cli, "agreements", "--help"],
        "scidip summary (fixture registry)": [*cli, "--database-url", database, "summary"],
    }


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="Runs of each case.")
    args = parser.parse_args()
    fixture = Path(__file__).parents[1] / "tests" / "fixtures" / "datasets" / "succession"
    with tempfile.TemporaryDirectory() as scratch:
        database = f"sqlite:///{scratch}/bench.sqlite3"
        cli = [sys.executable, "-m", "scidip.cli.main", "--database-url", database]
        for step in (["init"], ["load", str(fixture)]):
            subprocess.run([*cli, *step], check=True, stdout=subprocess.DEVNULL)
        runs = cases(database)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, command in runs.items():
                times[name].append(wall(command))
    base = statistics.median(times[BASELINE])
    print(f"{'case':<36} {'median':>8} {'fastest':>8} {'ratio':>6}")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:<36} {median:>7.3f}s {min(measured):>7.3f}s {median / base:>5.2f}x")


if __name__ == "__main__":
    main()
