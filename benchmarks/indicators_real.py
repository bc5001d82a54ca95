"""Real-size records for :mod:`indicators_bench`: the real OpenAlex sample replicated.

``shared/data/openalex-real-sample/snapshot`` holds 1,409 real work records (780 works, several
captured more than once; see its SOURCES.md). :func:`write_replicated` writes them ``copies``
times as one snapshot (``data/works/updated_date=…/part_NNN.gz``, gzip JSON Lines, about
``RECORDS_PER_FILE`` records a file, as a snapshot's parts are large), each copy's ids suffixed
``R<k>`` so that every copy is other works. The records are real in
size and shape (abstracts, references, concepts, 2022–2026 formats); only their ids change.

Steps (run by :mod:`indicators_bench` in child processes):

* ``ingest-real``: SciDip's ingest as it is (Arrow's JSON reader for clean files);
* ``ingest-real-python``: the same ingest with every file read by the line-by-line, pure-Python
  reader (:func:`scidip.indicators.openalex.read_json_file`), the reader every real record went
  through before the Arrow path took clean files: the named baseline;
* ``ingest-real-old``: the ingest of another checkout (``--old-src``, e.g. a worktree of the
  commit before the ingest changes), run by the same step with that checkout on ``PYTHONPATH``;
* two floors, the parts of every ingest that no change to SciDip's own code removes:
  ``ingest-real-gunzip`` only decompresses the files (pyarrow's gzip, as the reader does) and
  ``ingest-real-parse`` also parses them with Arrow's JSON reader against the fields SciDip reads
  (:data:`scidip.indicators.openalex_arrow.OPENALEX_SCHEMA`), keeping nothing.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "openalex-real-sample"
RECORDS_PER_FILE = 20_000


def write_replicated(copies: int, out: Path, sample: Path = SAMPLE) -> int:
    """Write the sample's snapshot records ``copies`` times under ``out`` (one partition, files of
    about :data:`RECORDS_PER_FILE` records); returns the records written."""
    parts = sorted((sample / "snapshot" / "data" / "works").glob("*/part_*.gz"))
    records: list[dict[str, Any]] = []
    for part in parts:
        with gzip.open(part, "rt", encoding="utf-8") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    # The latest partition's date: a record's own ``updated_date`` still picks its latest version.
    folder = out / "data" / "works" / parts[-1].parent.name
    folder.mkdir(parents=True, exist_ok=True)
    per_file = max(1, RECORDS_PER_FILE // len(records))
    for first in range(0, copies, per_file):
        with gzip.open(folder / f"part_{first // per_file:03d}.gz", "wt", compresslevel=1) as f:
            for k in range(first, min(first + per_file, copies)):
                f.writelines(json.dumps({**r, "id": f"{r['id']}R{k}"}) + "\n" for r in records)
    return copies * len(records)


def _floor(work: Path, variant: str) -> dict[str, Any]:
    """Decompress (``real-gunzip``) or decompress and parse (``real-parse``) every file."""
    import pyarrow as pa
    import pyarrow.json as pj

    from scidip.indicators.openalex_arrow import OPENALEX_SCHEMA

    options = pj.ParseOptions(explicit_schema=OPENALEX_SCHEMA, unexpected_field_behavior="ignore")
    records = 0
    for part in sorted((work / "real" / "snap").rglob("part_*.gz")):
        with pa.input_stream(str(part), compression="gzip") as stream:
            if variant == "real-parse":
                records += pj.read_json(stream, parse_options=options).num_rows
            else:
                while chunk := stream.read(1 << 24):
                    records += chunk.count(b"\n")
    return {"records": records, "works": 0, "malformed": 0}


def ingest_real(work: Path, variant: str) -> dict[str, Any]:
    """Run one ingest of ``work/real/snap`` (``variant``: ``real``, ``real-python`` or
    ``real-old``) into its own store, or a floor (``real-gunzip``, ``real-parse``); returns what
    it read."""
    from scidip.indicators import ingest as module
    from scidip.indicators.store import Store

    if variant in ("real-gunzip", "real-parse"):
        return _floor(work, variant)

    if variant == "real-python":
        module.read_json_clean = lambda file, batch_size=0: None  # type: ignore[assignment]
    report = module.ingest(work / "real" / "snap", Store(work / f"store-{variant}"))
    return {"records": report.records_read, "works": report.works, "malformed": report.malformed}


def run_real(args: Any, run_step: Any, print_step: Any) -> list[dict[str, Any]]:
    """Generate the replicated sample (once) and run the real-size ingest steps, alternating,
    ``args.repeat`` times; prints each run and the ratios per record. Returns the runs."""
    import os
    import statistics

    work = args.workdir / f"real-{args.real_copies}"
    results = []
    if not (work / "real" / "snap").exists():
        results.append(run_step("generate-real", work, args.real_copies, args.seed))
        print_step(results[-1], "copies")
    records = 0
    variants = ["ingest-real", "ingest-real-python", "ingest-real-gunzip", "ingest-real-parse"]
    env = None
    if args.old_src:
        variants.append("ingest-real-old")
        env = {**os.environ, "PYTHONPATH": str(args.old_src)}
    for _ in range(args.repeat):
        for name in variants:
            r = run_step(name, work, args.real_copies, args.seed,
                         env=env if name == "ingest-real-old" else None)  # fmt: skip
            records = r["records"]
            r.update(works=records, works_per_s=round(records / r["seconds"]))
            results.append(r)
            print_step(r, "records")
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for r in results:
        wall.setdefault(r["step"], []).append(r["seconds"])
        cpu.setdefault(r["step"], []).append(r["step_cpu_seconds"])
    print(f"\nREAL records (the real sample × {args.real_copies}, {records:,} records), median:")
    for name in variants:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"  {name:<20} {1e6 * w / records:8.1f} µs/record wall, "
              f"{1e6 * c / records:8.1f} µs/record CPU")  # fmt: skip
    now_w, now_c = statistics.median(wall["ingest-real"]), statistics.median(cpu["ingest-real"])
    for name in variants[1:]:
        print(f"  {name} / ingest-real: {statistics.median(wall[name]) / now_w:5.2f}x wall, "
              f"{statistics.median(cpu[name]) / now_c:5.2f}x CPU")  # fmt: skip
    if "ingest-real-old" in wall:

        def per(name: str, times: dict[str, list[float]]) -> float:
            return 1e6 * statistics.median(times[name]) / records

        print(f"  a third of ingest-real-old: {per('ingest-real-old', wall) / 3:6.1f} µs/record "
              f"wall, {per('ingest-real-old', cpu) / 3:6.1f} CPU; the floors: decompressing "
              f"{per('ingest-real-gunzip', wall):.1f} / {per('ingest-real-gunzip', cpu):.1f}, "
              f"parsing too {per('ingest-real-parse', wall):.1f} / "
              f"{per('ingest-real-parse', cpu):.1f}")  # fmt: skip
    return results
