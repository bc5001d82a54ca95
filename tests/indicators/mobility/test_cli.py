"""``scidip mobility``: load-reference → compute → show / flows / typology, in 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.main import app
from scidip.indicators.ingest import ingest
from scidip.indicators.store import Store
from scidip.indicators.tech.synthetic import write_planted

runner = CliRunner()
ENV = {"COLUMNS": "80"}
MPIDR = Path(__file__).parents[3].parent / "shared" / "data" / "mpidr-scholarly-migration"


def _run(*args: str) -> str:
    result = runner.invoke(app, ["mobility", *args], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not MPIDR.is_dir():
        pytest.skip(f"{MPIDR} is not there")
    root = tmp_path_factory.mktemp("mobility")
    write_planted(root / "snap")
    ingest(root / "snap", Store(root / "store"))
    out = _run("load-reference", str(MPIDR), "--store", str(root / "store"))
    assert out.splitlines()[:4] == [
        "loaded openalex_2024_V1_scholarlymigration_country_enriched.csv: 3,940 rows",
        "loaded scopus_2024_V1_scholarlymigration_country_enriched.csv: 4,539 rows",
        "loaded scopus_2024_V1_scholarlymigration_countryflows_enriched.parquet: 92,980 rows",
        "left out: 366 rows without an ISO code",
    ]
    out = _run("compute", "--store", str(root / "store"))
    assert out == "4 scholars with two or more publication years: 4 moves, 4 flows\n"
    return str(root / "store")


def test_show_puts_scidips_synthetic_figures_beside_the_reference(store: str):
    doc = json.loads(
        _run("show", "-c", "JPN", "--series", "scopus", "--store", store, "-f", "json")
    )
    assert doc["scidip_synthetic"] is True
    assert doc["reference"]["citation"].startswith("Akbaritabar, A., Theile, T. & Zagheni, E.")
    r2019 = next(r for r in doc["rows"] if r["year"] == 2019)
    assert (r2019["mpidr_inmigrations"], r2019["scidip_inmigrations"]) == (3106, 1)
    table = _run("show", "-c", "JPN", "--store", store)
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "SYNTHETIC DATA" in table and "MPIDR: Akbaritabar" in table


def test_flows_and_typology_of_scidips_own_figures(store: str):
    doc = json.loads(
        _run("flows", "-c", "JPN", "--source", "scidip", "--store", store, "-f", "json")
    )
    assert doc["rows"] == [
        {"partner": "CHN", "to_partner": 1, "from_partner": 1, "net": 0},
        {"partner": "DEU", "to_partner": 0, "from_partner": 1, "net": 1},
        {"partner": "USA", "to_partner": 1, "from_partner": 0, "net": -1},
    ]
    doc = json.loads(_run("typology", "-c", "jpn", "--store", store, "-f", "json"))
    assert doc["rows"] == [{"country_code": "JPN", "stayers": 1, "inflows": 1, "outflows": 1,
                            "returnees": 0, "transients": 1}]  # fmt: skip


def test_an_uncomputed_store_says_what_to_run(tmp_path: Path):
    result = runner.invoke(app, ["mobility", "typology", "--store", str(tmp_path)], env=ENV)
    assert result.exit_code == 4
    assert "run `scidip mobility compute`" in " ".join(result.output.split())


def test_by_field_fields_flows_and_typology(store: str):
    doc = json.loads(_run("fields", "-c", "JPN", "--store", store, "-f", "json"))
    assert doc["rows"] == [
        {"field_id": "22", "field_name": "Engineering", "inmigrations": 1, "outmigrations": 2,
         "net": -1},
        {"field_id": "17", "field_name": "Computer Science", "inmigrations": 1,
         "outmigrations": 0, "net": 1},
    ]  # fmt: skip
    doc = json.loads(_run("flows", "-c", "JPN", "--source", "scidip", "--field", "22",
                          "--store", store, "-f", "json"))  # fmt: skip
    assert [(r["partner"], r["to_partner"], r["from_partner"]) for r in doc["rows"]] == [
        ("CHN", 1, 1), ("USA", 1, 0),
    ]  # fmt: skip
    doc = json.loads(_run("typology", "--field", "17", "-c", "JPN", "--store", store, "-f", "json"))
    assert [(r["stayers"], r["inflows"], r["outflows"]) for r in doc["rows"]] == [(1, 1, 0)]
    table = _run("fields", "-c", "JPN", "--store", store)
    assert max(len(line) for line in table.splitlines()) <= 80
    refused = runner.invoke(app, ["mobility", "flows", "--field", "22", "--store", store], env=ENV)
    assert refused.exit_code != 0
    assert "the MPIDR flows are by country only" in refused.output
