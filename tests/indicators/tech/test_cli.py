"""``scidip tech``: compute → leaders / show / compare / home / partners, tables in 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.main import app

runner = CliRunner()
ENV = {"COLUMNS": "80"}


@pytest.fixture(scope="module")
def store(planted_store, syn_file: Path) -> Path:
    args = ["tech", "compute", "--store", str(planted_store.root), "-d", str(syn_file), "-l", "syn"]
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    # The data stand at 2024-01-01: works up to 2023 are counted; the planted ones end in 2020.
    assert result.stdout.startswith("tracked 3 technologies, 2016-2020: 324 rows (syn test ")
    return planted_store.root


def _run(*args: str) -> str:
    result = runner.invoke(app, ["tech", *args], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_leaders_json_names_the_definitions_and_the_planted_leads(store: Path):
    doc = json.loads(_run("leaders", "--store", str(store), "-f", "json"))
    assert [d["label"] for d in doc["meta"]["definitions"]] == ["syn test (mapping v1)"]
    assert [(r["tech_key"], r["lead"], r["risk"]) for r in doc["rows"]] == [
        ("syn/lead2", "CHN", "medium"),
        ("syn/lead3", "USA", "high"),
        ("syn/switch", "CHN", "high"),
    ]
    doc = json.loads(_run("leaders", "--store", str(store), "--exclude-same-country", "-f", "json"))
    assert [r["lead"] for r in doc["rows"]] == ["CHN", "USA", "USA"]


def test_tables_fit_80_columns_and_say_synthetic(store: Path, syn_file: Path):
    for args in (
        ["leaders"],
        ["show", "syn/lead2", "-d", str(syn_file), "--bootstrap", "50"],
        ["show", "syn/lead3", "--level", "institution"],
        ["compare"],
        ["home"],
        ["lists"],
        ["definitions", "us-cet"],
        ["crosswalk"],
    ):
        out = _run(
            *args,
            *(
                ["--store", str(store)]
                if args[0] not in ("lists", "definitions", "crosswalk")
                else []
            ),
        )
        assert max(len(line) for line in out.splitlines()) <= 80, args
        if args[0] in ("leaders", "show", "compare", "home"):
            words = " ".join(out.split())  # titles wrap
            assert "SYNTHETIC DATA" in out and "Definitions: syn test (mapping v1)" in words, args


def test_show_csv_has_the_intervals(store: Path, syn_file: Path):
    out = _run("show", "syn/lead3", "--store", str(store), "-d", str(syn_file), "-f", "csv",
               "--bootstrap", "100")  # fmt: skip
    lines = out.strip().splitlines()
    assert lines[0] == (
        "tech_key,period_start,period_end,country_code,rank,papers_share_pct,top10_share_pct,"
        "share_lb,share_ub,rank_lb,rank_ub"
    )
    assert [line.split(",")[3:7] for line in lines[1:]] == [
        ["USA", "1", "37.5", "75"],
        ["JPN", "2", "32.5", "25"],
        ["DEU", "3", "30", "0"],
    ]


def test_compare_flags_the_technology_whose_lead_changes(store: Path):
    doc = json.loads(_run("compare", "--store", str(store), "-f", "json"))
    assert [(r["tech_key"], r["changes"]) for r in doc["rows"]] == [
        ("syn/lead2", False),
        ("syn/lead3", False),
        ("syn/switch", True),
    ]
    assert doc["rows"][2]["nistep_whole_no_same_country"] == "USA"
    assert doc["rows"][2]["cwts_frac"] == "CHN"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["leaders", "--method", "leiden"], "method must be one of scidip, cwts, nistep"),
        (["leaders", "--counting", "half"], "counting must be one of frac, whole"),
        (["leaders", "--period", "1999"], "no window ends in 1999"),
        (["show", "syn/nope", "--bootstrap", "0"], "the tracker holds no row"),
    ],
)
def test_bad_options_get_a_clear_error(store: Path, args: list[str], message: str):
    result = runner.invoke(app, ["tech", *args, "--store", str(store)], env=ENV)
    assert result.exit_code != 0
    assert message in result.output


def test_an_uncomputed_store_says_what_to_run(tmp_path: Path):
    (tmp_path / "ingest.json").write_text("{}")
    result = runner.invoke(app, ["tech", "leaders", "--store", str(tmp_path)], env=ENV)
    assert result.exit_code == 4
    assert "run `scidip tech compute`" in " ".join(result.output.split())


def test_show_by_institution_and_the_lead_countrys_top_institutions(store: Path):
    doc = json.loads(_run("show", "syn/lead3", "--level", "institution", "--store", str(store),
                          "-f", "json"))  # fmt: skip
    assert [(r["rank"], r["institution_id"], r["country_code"], r["papers_share_pct"],
             r["top10_share_pct"]) for r in doc["rows"]] == [
        (1, "I_US_A", "USA", 20.0, 50.0), (2, "I_JP_B", "JPN", 17.5, 25.0),
        (3, "I_US_B", "USA", 17.5, 25.0), (4, "I_DE_A", "DEU", 15.0, 0.0),
        (5, "I_DE_B", "DEU", 15.0, 0.0), (6, "I_JP_A", "JPN", 15.0, 0.0),
    ]  # fmt: skip
    table = _run("leaders", "--store", str(store))
    assert "│ syn/lead3  │ USA  │ 75.0  │ JPN │ 25.0 │ 3.0  │ 0.62 │ high   │ 2/10 │" in table
    refused = runner.invoke(app, ["tech", "show", "syn/lead3", "--level", "city",
                                  "--store", str(store)], env=ENV)  # fmt: skip
    assert refused.exit_code != 0 and "level must be country or institution" in refused.output
