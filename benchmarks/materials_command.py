"""What a user waits for: ``scidip materials risk --importer JPN --year 2024``, against the peer.

Cold processes, each run ``--repeat`` times (median and fastest printed), on a warm disk:

1. the whole command through SciDip's entry point (``scidip.cli.main``), output discarded;
2. the materials sub-command group alone (``scidip.cli.materials``), the same arguments: what the
   command itself loads, without the other command groups the entry point imports;
3. inside one process, after the imports: opening the store and computing every material for
   Japan 2024 (default mode, reasons and corrections);
4. the peer, geopolrisk-py 2.0.1, in its own virtual environment (as in ``materials_grid.py``):
   ``gprs_calc([2024], ["Japan"], default_rmlist())`` in a fresh process, once (it takes minutes).

Printed: each time, the import times of the entry point and of the sub-command group, and the
ratio peer / SciDip for 1 and 2. ``--no-peer`` skips 4.

Usage: ``python benchmarks/materials_command.py [--store DIR] [--peer-venv DIR] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["risk", "--importer", "JPN", "--year", "2024", "--format", "csv"]
ENTRY = (
    "from scidip.cli.main import main; import sys; sys.argv = ['scidip', 'materials', *{a}]; main()"
)
GROUP = "from scidip.cli.materials import app; app({a})"
IMPORTS = r"""
import json, time
t0 = time.perf_counter(); import scidip.cli.materials
t1 = time.perf_counter(); import scidip.cli.main
t2 = time.perf_counter()
print(json.dumps({"materials_group_s": t1 - t0, "entry_point_rest_s": t2 - t1}))
"""
IN_PROCESS = r"""
import json, sys, time
from pathlib import Path
from scidip.materials.service import open_context, risk
t0 = time.perf_counter()
ctx = open_context(Path(sys.argv[1]))
t1 = time.perf_counter()
results = risk(ctx, ["JPN"], [2024])
t2 = time.perf_counter()
print(json.dumps({"open_s": t1 - t0, "compute_s": t2 - t1, "results": len(results)}))
"""
PEER = r"""
import json, time
t0 = time.perf_counter()
from geopolrisk.assessment.main import gprs_calc
from geopolrisk.assessment.utils import default_rmlist
t1 = time.perf_counter()
res = gprs_calc([2024], ["Japan"], default_rmlist())
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "calc_s": t2 - t1, "rows": len(res)}))
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds of one process and its last stdout line."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    lines = done.stdout.strip().splitlines()
    return time.perf_counter() - start, lines[-1] if lines else ""


def series(cmd: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float]:
    """Median and fastest wall time over ``repeat`` cold runs (one warm-up run first)."""
    timed(cmd, env)
    walls = [timed(cmd, env)[0] for _ in range(repeat)]
    return statistics.median(walls), min(walls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=None)
    ap.add_argument("--peer-venv", type=Path, default=Path(tempfile.gettempdir()) / "peer-venv")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-peer", action="store_true")
    args = ap.parse_args()
    from scidip.materials.store import MaterialsStore, resolve_store_dir

    store = MaterialsStore(resolve_store_dir(override=args.store)).require().path
    env = {**os.environ, "SCIDIP_MATERIALS_STORE": str(store)}
    py = sys.executable
    load = os.getloadavg()[0]
    entry = series([py, "-c", ENTRY.format(a=ARGS)], args.repeat, env)
    group = series([py, "-c", GROUP.format(a=ARGS)], args.repeat, env)
    imports = json.loads(timed([py, "-c", IMPORTS], env)[1])
    inside = json.loads(timed([py, "-c", IN_PROCESS, str(store)], env)[1])
    print(f"scidip materials {' '.join(ARGS)} (load average {load:.1f} at the start)")
    print(f"  whole command, entry point:     median {entry[0]:.2f} s (fastest {entry[1]:.2f} s)")
    print(f"  materials group alone:          median {group[0]:.2f} s (fastest {group[1]:.2f} s)")
    print(f"  imports: materials group {imports['materials_group_s']:.2f} s; the entry point's "
          f"other command groups {imports['entry_point_rest_s']:.2f} s")  # fmt: skip
    print(f"  in process: open store {inside['open_s']:.3f} s, compute "
          f"{inside['results']} results {inside['compute_s']:.3f} s")  # fmt: skip
    if args.no_peer:
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from materials_grid import ensure_peer_venv

    python = ensure_peer_venv(args.peer_venv)
    with tempfile.TemporaryDirectory() as home:
        wall, line = timed([str(python), "-c", PEER], {"HOME": home, "PATH": "/usr/bin:/bin"})
    peer = json.loads(line)
    print(f"  geopolrisk-py 2.0.1, Japan 2024, cold process: {wall:.1f} s "
          f"(import {peer['import_s']:.1f} s, calculation {peer['calc_s']:.1f} s, "
          f"{peer['rows']} rows)")  # fmt: skip
    print(f"  ratio peer / SciDip: whole command {wall / entry[0]:,.0f}x, materials group "
          f"{wall / group[0]:,.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
