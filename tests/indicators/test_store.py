"""The indicators store is replaced as a whole by every writer: a reader during an ingest sees
the old store, a failed ingest leaves it whole, a compute keeps the ingested tables (linked, not
copied), old generations are removed."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from scidip.indicators import ingest as ingest_module
from scidip.indicators.compute import compute
from scidip.indicators.engine import EngineName, IndicatorSettings, connect
from scidip.indicators.ingest import ingest
from scidip.indicators.store import Store
from scidip.indicators.synthetic import SyntheticSpec
from scidip.indicators.synthetic_writers import write_snapshot


def _snapshot(root: Path, works: list[tuple[str, int]]) -> Path:
    folder = root / "data" / "works" / "updated_date=2024-01-01"
    folder.mkdir(parents=True)
    lines = [
        json.dumps({"id": f"https://openalex.org/{wid}", "publication_year": year,
                    "type": "article", "authorships": [{"countries": ["JP"]}]})
        for wid, year in works
    ]  # fmt: skip
    with gzip.open(folder / "part_000.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    return root


def _seen(store: Store) -> tuple[int, list[str]]:
    """What a reader sees: the works ingested (metadata) and their ids (table), on one snapshot."""
    pinned = store.snapshot()
    works = int(pinned.read_meta("ingest")["table_rows"]["works"])
    ids = sorted(pq.read_table(pinned.table_path("works")).column("work_id").to_pylist())
    return works, ids


def test_a_reader_during_an_ingest_sees_the_old_store_then_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    ingest(_snapshot(tmp_path / "a", [("W1", 2020), ("W2", 2021)]), store)
    old = _seen(store)
    assert old == (2, ["W1", "W2"])
    during: list[Any] = []
    write = ingest_module.write_parquet

    def spy(con: Any, expr: Any, path: Path) -> int:
        rows = write(con, expr, path)
        during.append(_seen(Store(store.root)))  # another process's reader, mid-ingest
        return rows

    monkeypatch.setattr(ingest_module, "write_parquet", spy)
    ingest(_snapshot(tmp_path / "b", [("W3", 2022)]), store)
    assert during == [old] * 9  # after each of the 9 tables written: still the old store
    assert _seen(store) == (1, ["W3"])


def test_a_failed_ingest_leaves_the_old_store_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    ingest(_snapshot(tmp_path / "a", [("W1", 2020), ("W2", 2021)]), store)
    before = sorted(p.name for p in store.root.iterdir())
    files = sorted(str(p.relative_to(store.base)) for p in store.base.rglob("*"))
    write, calls = ingest_module.write_parquet, []

    def failing(con: Any, expr: Any, path: Path) -> int:
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError("No space left on device")
        return write(con, expr, path)

    monkeypatch.setattr(ingest_module, "write_parquet", failing)
    with pytest.raises(OSError, match="No space left"):
        ingest(_snapshot(tmp_path / "b", [("W3", 2022)]), store)
    assert sorted(p.name for p in store.root.iterdir()) == before  # nothing half-built left
    assert sorted(str(p.relative_to(store.base)) for p in store.base.rglob("*")) == files
    assert _seen(store) == (2, ["W1", "W2"])


def test_a_compute_keeps_the_tables_linked_and_old_generations_go(tmp_path: Path) -> None:
    write_snapshot(SyntheticSpec(works=300, seed=3), tmp_path / "snap")
    store = Store(tmp_path / "store")
    ingest(tmp_path / "snap", store)
    ingested = store.base
    compute(store, connect(EngineName.duckdb, IndicatorSettings.from_settings()))
    computed = store.base
    assert computed != ingested
    assert (
        os.stat(computed / "tables" / "works.parquet").st_ino
        == os.stat(ingested / "tables" / "works.parquet").st_ino
    )  # the same file: linked, not copied
    assert store.read_meta("compute")["engine"] == "duckdb"
    assert not (ingested / "results").exists()  # the ingested generation is as it was
    ingest(tmp_path / "snap", store)  # a third generation: the first is removed
    assert sorted(p.name for p in store.root.iterdir()) == sorted(
        ["CURRENT", computed.name, store.base.name]
    )
    assert store.read_meta("compute")["engine"] == "duckdb"  # results kept across an ingest
