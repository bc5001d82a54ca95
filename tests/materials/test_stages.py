"""Stage capacities from a wheel shaped like bleecam's (made here), checksum checked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from scidip.errors import InvalidData, NotFound
from scidip.materials.economies import Economy
from scidip.materials.fetch import sha256_of
from scidip.materials.stages import (
    TABLES,
    StageSupply,
    chokepoints,
    fetch_stages,
    stage_supply,
)

HEADER = "time_period,process,location,material,capacity,notes\n"
GALLIUM = HEADER + (
    "0,High-purity gallium refining,CN,6N_Ga,3000,kg/y\n"
    "0,High-purity gallium refining,JP,6N_Ga,1000,kg/y\n"
    "0,Bauxite mining,AU,bauxite,5000,kg/y\n"
    "0,Bauxite mining,CN,bauxite,5000,kg/y\n"
    "0,wafer_demand,US,GaAs_wafer,0,placeholder\n"
    "1,High-purity gallium refining,JP,6N_Ga,9000,kg/y\n"
)
RARE_EARTH = HEADER + "0,magnet manufacturing,CN,hp_magnet,9000,TEA file\n"


@pytest.fixture
def stage_store(store_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the tiny world's store and a fake bleecam wheel."""
    import shutil

    store = tmp_path / "store"
    shutil.copytree(store_dir, store)
    wheel = tmp_path / "bleecam-0.1.0b1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(TABLES["Gallium"], GALLIUM)
        zf.writestr(TABLES["Rare earth"], RARE_EARTH)
    return store, wheel


def test_fetch_checks_the_wheel_and_records_the_vintage(stage_store: tuple[Path, Path]) -> None:
    store, wheel = stage_store
    with pytest.raises(InvalidData, match="sha256"):
        fetch_stages(store, wheel=wheel)
    record = fetch_stages(store, wheel=wheel, expected_sha256=sha256_of(wheel))
    assert (record["source_package"], record["version"], record["rows"]) == (
        "bleecam", "0.1.0b1", 7,
    )  # fmt: skip
    assert json.loads((store / "stages_vintage.json").read_text())["licence"].startswith(
        "AGPL-3.0-or-later"
    )


def test_stage_concentration_and_the_crma_check_at_every_stage(
    stage_store: tuple[Path, Path],
) -> None:
    store, wheel = stage_store
    fetch_stages(store, wheel=wheel, expected_sha256=sha256_of(wheel))
    refining, mining = stage_supply(store, "Gallium")
    # CN 3 t, JP 1 t: HHI 0.75² + 0.25²; the zero-capacity placeholder is left out
    assert (refining.stage, refining.capacity_t, refining.hhi, refining.top_country) == (
        "High-purity gallium refining", 4.0, 0.625, "CHN",
    )  # fmt: skip
    assert (refining.top_share_pct, refining.third_country_above_65) == (75.0, True)
    assert (mining.hhi, mining.top_share_pct, mining.third_country_above_65) == (0.5, 50.0, False)
    assert chokepoints([refining, mining]) == "High-purity gallium refining (6N_Ga): CHN 75.0%"
    # for China, Japan is the largest third country at the refining stage
    (own, _) = stage_supply(store, "Gallium", Economy("CHN", "China", (156,)), labels={156: "CHN"})
    assert (own.top_country, own.top_share_pct, own.third_country_above_65) == ("JPN", 25.0, False)
    assert stage_supply(store, "Gallium", period=1)[0].hhi == 1.0
    single = StageSupply("X", "s", "p", 0, 1.0, 1, 1.0, "CHN", 100.0, True, "", "")
    assert chokepoints([single]) == ""  # one country modelled: no chokepoint claimed


def test_without_stage_data_the_command_says_how_to_get_it(store_dir: Path) -> None:
    with pytest.raises(NotFound, match="fetch-stages"):
        stage_supply(store_dir, "Gallium")
