"""Benchmark of ``scidip indicators``: ingest and compute throughput, DuckDB vs pandas vs Spark.

Usage::

    python benchmarks/indicators_bench.py --works 1000000 10000000 [--no-spark] [--no-pandas]

For each size it generates a SYNTHETIC snapshot (Parquet, and gzip JSON Lines up to
``--json-max`` works; ``--reuse-snapshots`` keeps those of an earlier run in the work folder),
then runs each step in its own process, timing it (from after the imports, the same list of
libraries for every step; the Spark session's start is part of Spark's time; the whole process,
interpreter start and imports included, is reported too) and sampling the peak resident memory of
the process and its children (the Spark JVM included):

* ``ingest`` (DuckDB) of the Parquet snapshot, and of the JSON one where generated;
* ``compute`` on DuckDB (the default engine);
* the pandas baseline of :mod:`indicators_pandas` (the same indicators, written plainly);
* ``compute`` on Spark in local mode (``local[2]``).

``--repeat N`` runs each compute step (DuckDB, pandas, Spark) N times, alternating, and reports
the median and the fastest run: on a shared machine one run says little. The load average when
each step starts is printed beside it. It then checks that pandas and Spark give DuckDB's
numbers, and prints works per second, the ratios to DuckDB (of the medians), peak memory and how
time grows with size. Figures go to ``results.json`` in the work folder too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COMPARED = {
    "country_field_period": (
        ["period_years", "period_end", "field_id", "country_code"],
        ["papers_whole", "papers_frac", "top10_frac", "top1_frac", "world_share_frac_pct",
         "top10_own_share_frac_pct", "intl_coauthorship_pct", "rsi", "rank_papers_frac"],
    ),
    "collaboration": (
        ["period_years", "period_end", "country_code", "partner_code"],
        ["copapers_whole", "salton_index", "share_of_country_intl_pct"],
    ),
}  # fmt: skip


# -- steps, each run in a child process -------------------------------------------------------


def _import_libraries(name: str) -> None:
    """Import what the steps use (and Spark's Ibis backend for the Spark step), so that no step's
    time includes importing a library."""
    import ibis.backends.duckdb.converter  # Ibis loads it on first use, not at import
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import scidip.indicators.compute
    import scidip.indicators.engine
    import scidip.indicators.ingest
    import scidip.indicators.synthetic_writers  # noqa: F401

    sys.path.insert(0, str(HERE))
    import indicators_pandas  # noqa: F401

    if name == "compute-spark":
        import ibis.backends.pyspark  # noqa: F401  (pyspark; the JVM starts in the step)


def step(name: str, work: Path, works: int, seed: int) -> dict[str, Any]:
    """Run one step in this process; returns what it measured besides time and memory."""
    import ibis

    from scidip.indicators.compute import compute
    from scidip.indicators.engine import spark_session
    from scidip.indicators.ingest import ingest
    from scidip.indicators.store import Store
    from scidip.indicators.synthetic import SyntheticSpec
    from scidip.indicators.synthetic_writers import write_snapshot

    spec = SyntheticSpec(works=works, seed=seed)
    if name == "generate-real":
        from indicators_real import write_replicated

        return {"records": write_replicated(works, work / "real" / "snap")}
    if name.startswith("ingest-real"):
        from indicators_real import ingest_real

        return ingest_real(work, name.removeprefix("ingest-"))
    if name in ("generate-parquet", "generate-json"):
        fmt = name.split("-")[1]
        write_snapshot(spec, work / f"snap-{fmt}", parquet=fmt == "parquet")
        return {}
    if name in ("ingest-parquet", "ingest-json"):
        fmt = name.split("-")[1]
        report = ingest(work / f"snap-{fmt}", Store(work / f"store-{fmt}"))
        return {"works": report.works, "malformed": report.malformed}
    if name == "compute-duckdb":
        report = compute(Store(work / "store-parquet"), ibis.duckdb.connect())
        return {"rows": report.result_rows}
    if name == "compute-spark":
        store = Store(work / "store-spark")
        shutil.rmtree(store.root, ignore_errors=True)
        _copy_ingested(work / "store-parquet", store.root)
        session = spark_session("local[2]", shuffle_partitions=8,
                                extra={"spark.driver.memory": "8g"})  # fmt: skip
        session.sparkContext.setLogLevel("ERROR")
        report = compute(store, ibis.pyspark.connect(session))
        return {"rows": report.result_rows}
    if name == "pandas":
        from indicators_pandas import compute as pandas_compute

        from scidip.generations import current

        out = pandas_compute(current(work / "store-parquet") / "tables")
        folder = work / "store-pandas" / "results"
        folder.mkdir(parents=True, exist_ok=True)
        for table, frame in out.items():
            frame.to_parquet(folder / f"{table}.parquet", index=False)
        return {"rows": {k: len(v) for k, v in out.items()}}
    raise ValueError(name)


# -- the parent: run steps, sample memory, compare, report ------------------------------------


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and its descendants, from /proc (KiB)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm") as f:
                rss[int(entry)] = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


#: Whole ``scidip`` processes (interpreter start, imports and all, as a user waits for them).
CLI_STEPS = {
    "cli-startup": ["indicators", "--help"],
    "cli-compute": ["indicators", "compute", "--store", "{work}/store-cli"],
}


def _copy_ingested(source: Path, target: Path) -> None:
    """The ingested tables and ``ingest.json`` of the store ``source`` (its current generation,
    :mod:`scidip.generations`) into ``target``, a store written in place."""
    from scidip.generations import current

    shutil.copytree(current(source) / "tables", target / "tables")
    shutil.copy(current(source) / "ingest.json", target / "ingest.json")


def run_cli(name: str, work: Path, works: int) -> dict[str, Any]:
    """Run a :data:`CLI_STEPS` command as a new process; its time is the whole process's."""
    if name == "cli-compute":
        store = work / "store-cli"
        shutil.rmtree(store, ignore_errors=True)
        _copy_ingested(work / "store-parquet", store)
    args = [a.format(work=work) for a in CLI_STEPS[name]]
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), os.times()
    subprocess.run([sys.executable, "-m", "scidip.cli.main", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    seconds, now = time.perf_counter() - started, os.times()
    used = now.children_user - cpu.children_user + now.children_system - cpu.children_system
    return {"step": name, "works": works, "process_seconds": round(seconds, 2),
            "seconds": round(seconds, 2), "works_per_s": round(works / seconds), "peak_mib": 0,
            "load_1min": round(load, 2), "step_cpu_seconds": round(used, 2)}  # fmt: skip


def run_step(
    name: str, work: Path, works: int, seed: int, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``name`` in a child process: wall time, peak memory of its process tree, output."""
    if name in CLI_STEPS:
        return run_cli(name, work, works)
    cmd = [sys.executable, __file__, "--step", name, "--workdir", str(work), "--works",
           str(works), "--seed", str(seed)]  # fmt: skip
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(child.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"step {name} failed with status {child.returncode}")
    measured = json.loads(out.strip().splitlines()[-1])
    inner = measured["step_seconds"]  # without the interpreter's start and imports
    return {"step": name, "works": works, "process_seconds": round(seconds, 2), "seconds": inner,
            "works_per_s": round(works / inner), "peak_mib": round(peak / 1024),
            "load_1min": round(load, 2), **measured}  # fmt: skip


def compare(work: Path, other: str) -> float:
    """Largest relative difference between DuckDB's results and ``other``'s (pandas, spark)."""
    import pandas as pd

    from scidip.generations import current

    worst = 0.0
    for table, (keys, cols) in COMPARED.items():
        a = pd.read_parquet(current(work / "store-parquet") / "results" / f"{table}.parquet")
        b = pd.read_parquet(current(work / f"store-{other}") / "results" / f"{table}.parquet")
        if len(a) != len(b):
            raise AssertionError(f"{other}: {table} has {len(b)} rows, DuckDB {len(a)}")
        a = a.sort_values(keys).reset_index(drop=True)
        b = b.sort_values(keys).reset_index(drop=True)
        for col in cols:
            x, y = a[col].astype(float), b[col].astype(float)
            both = x.notna() & y.notna()
            if not (x.isna() == y.isna()).all():
                raise AssertionError(f"{other}: {table}.{col} differs in which rows are null")
            rel = ((x[both] - y[both]).abs() / y[both].abs().clip(lower=1e-12)).max()
            worst = max(worst, float(rel if rel == rel else 0.0))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/scidip-indicators-bench"))
    parser.add_argument(
        "--json-max",
        type=int,
        default=1_000_000,
        help="also generate and ingest gzip JSON up to this many works",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each compute step")
    parser.add_argument(
        "--reuse-snapshots",
        action="store_true",
        help="keep the snapshots already generated in the work folder (tables are re-ingested)",
    )
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument(
        "--real-copies",
        type=int,
        default=0,
        help="also ingest the real sample replicated N times (real-size records)",
    )
    parser.add_argument("--old-src", type=Path, help="src/ of a checkout to ingest them with too")
    parser.add_argument("--real-only", action="store_true", help="only the real-size ingest")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        _import_libraries(args.step)  # imports are not part of the step's time
        started, cpu = time.perf_counter(), os.times()
        out = step(args.step, args.workdir, args.works[0], args.seed)
        out["step_seconds"] = round(time.perf_counter() - started, 2)
        # CPU of this process (DuckDB's and Arrow's threads included; not Spark's JVM).
        now = os.times()
        out["step_cpu_seconds"] = round(now.user - cpu.user + now.system - cpu.system, 2)
        print(json.dumps(out))
        return
    results: list[dict[str, Any]] = []
    if args.real_copies:
        from indicators_real import run_real

        results += run_real(args, run_step, print_step)
    for n in args.works if not args.real_only else []:
        work = args.workdir / f"{n}"
        if not args.reuse_snapshots:
            shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        formats = ["parquet", *(["json"] if n <= args.json_max else [])]
        steps = [f"generate-{f}" for f in formats if not (work / f"snap-{f}").exists()]
        steps += [f"ingest-{f}" for f in formats]
        computes = ["compute-duckdb", "cli-startup", "cli-compute"]
        computes += [] if args.no_pandas else ["pandas"]
        computes += [] if args.no_spark else ["compute-spark"]
        steps += computes * args.repeat  # alternating, so that each sees the same load
        for name in steps:
            r = run_step(name, work, n, args.seed)
            results.append(r)
            print_step(r, "works")
        from scidip.generations import current

        for other in ("pandas", "spark"):
            if (current(work / f"store-{other}") / "results").exists():
                print(
                    f"{n:>11,} works  {other} vs DuckDB: largest relative difference "
                    f"{compare(work, other):.1e}",
                    flush=True,
                )
    _summary([r for r in results if "-real" not in r["step"]])
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2) + "\n")


def print_step(r: dict[str, Any], unit: str) -> None:
    """One line per step run: time, throughput, peak memory, CPU, whole process, load."""
    print(
        f"{r['works']:>11,} {unit}  {r['step']:<18} {r['seconds']:>8.1f} s "
        f"{r['works_per_s']:>10,} {unit}/s  peak {r['peak_mib']:>6,} MiB  "
        f"(CPU {r['step_cpu_seconds']:.1f} s, process {r['process_seconds']:.1f} s, "
        f"load {r['load_1min']:.1f})",
        flush=True,
    )


def _summary(results: list[dict[str, Any]]) -> None:
    runs: dict[tuple[int, str], list[float]] = {}
    procs: dict[tuple[int, str], list[float]] = {}
    for r in results:
        runs.setdefault((r["works"], r["step"]), []).append(r["seconds"])
        procs.setdefault((r["works"], r["step"]), []).append(r["process_seconds"])
    by = {key: statistics.median(times) for key, times in runs.items()}
    whole = {key: statistics.median(times) for key, times in procs.items()}
    sizes = sorted({r["works"] for r in results})
    print("\nSYNTHETIC data. Median (fastest) of each step's runs:")
    for (n, name), times in runs.items():
        print(f"{n:>11,} works  {name:<17} {by[(n, name)]:8.2f} s ({min(times):.2f} s, "
              f"{len(times)} run{'s' if len(times) > 1 else ''})")  # fmt: skip
    print("Ratios (median time of X / median time of DuckDB compute):")
    for n in sizes:
        duck = by.get((n, "compute-duckdb"))
        for other in ("pandas", "compute-spark"):
            if duck and (n, other) in by:
                print(f"{n:>11,} works  {other:<14} {by[(n, other)] / duck:6.1f}x slower")
        if (n, "cli-compute") in by and (n, "pandas") in whole:
            # Whole processes, as a user waits: interpreter start and imports included.
            ratio = whole[(n, "pandas")] / by[(n, "cli-compute")]
            print(f"{n:>11,} works  pandas process / `scidip indicators compute` process "
                  f"{ratio:6.2f}x (CLI start-up, `scidip indicators --help`: "
                  f"{by.get((n, 'cli-startup'), 0):.2f} s)")  # fmt: skip
    for a, b in itertools.pairwise(sizes):
        for name in ("ingest-parquet", "compute-duckdb", "pandas", "compute-spark"):
            if (a, name) in by and (b, name) in by:
                print(
                    f"{name:<15} {a:,} → {b:,} works ({b / a:.0f}x): time "
                    f"{by[(b, name)] / by[(a, name)]:.1f}x"
                )


if __name__ == "__main__":
    main()
