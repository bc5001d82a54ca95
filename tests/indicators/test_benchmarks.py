"""The indicators benchmark runs end to end at a small size (no timings are checked: the
benchmark's figures are in benchmarks/README.md). It had broken unnoticed when the store moved to
generations: its CLI and Spark steps copied a ``tables`` folder that no longer existed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT.parent / "shared" / "data" / "openalex-real-sample"


def _run(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "indicators_bench.py"), *args,
         "--workdir", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_synthetic_benchmark_runs_every_step_and_compares_pandas_and_spark(tmp_path: Path):
    out = _run(tmp_path, "--works", "3000", "--repeat", "1")
    for step in ("ingest-parquet", "ingest-json", "compute-duckdb", "cli-startup",
                 "cli-compute", "pandas", "compute-spark"):  # fmt: skip
        assert re.search(rf"3,000 works  {step} ", out), step
    for other in ("pandas", "spark"):
        difference = re.search(rf"{other} vs DuckDB: largest relative difference (\S+)", out)
        assert difference and float(difference.group(1)) < 1e-9, other
    assert "pandas process / `scidip indicators compute` process" in out


@pytest.mark.skipif(
    not SAMPLE.is_dir(), reason=f"the real sample is not beside the checkout: {SAMPLE}"
)
def test_the_real_size_benchmark_reads_every_record_with_each_reader(tmp_path: Path):
    out = _run(tmp_path, "--real-copies", "1", "--real-only", "--repeat", "1")
    for step in ("ingest-real", "ingest-real-python", "ingest-real-gunzip", "ingest-real-parse"):
        assert re.search(rf"1,409 records  {step} ", out), step
    assert "ingest-real-python / ingest-real:" in out
