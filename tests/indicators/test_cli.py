"""``scidip indicators``: generate → ingest → compute → show / partners / coverage / chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.indicators import app
from scidip.indicators.show import SHOW_COLUMNS

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    snap, store = root / "snap", root / "store"
    for args in (
        ["generate", str(snap), "--works", "3000", "--seed", "4"],
        ["ingest", str(snap), "--store", str(store)],
        ["compute", "--store", str(store)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return store


def test_ingest_reports_tables_and_malformed_lines(tmp_path: Path):
    snap = tmp_path / "works.jsonl"
    snap.write_text('{"id": "W1", "publication_year": 2020, "type": "article"}\nnot json\n')
    result = runner.invoke(app, ["ingest", str(snap), "--store", str(tmp_path / "s"), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["works"], doc["malformed"], doc["synthetic"]) == (1, 1, False)
    assert doc["malformed_examples"][0]["source_line"] == 2


def test_show_json_is_labelled_synthetic_and_ordered_by_year(store: Path):
    result = runner.invoke(app, ["show", "--country", "jpn", "--store", str(store), "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["country"], doc["synthetic"]) == ("JPN", True)
    years = [r["period_end"] for r in doc["rows"]]
    assert years == sorted(years) and len(years) == len(set(years)) > 5
    assert {r["field_id"] for r in doc["rows"]} == {"all"}
    assert all(r["synthetic_data"] for r in doc["rows"])


def test_show_csv_for_one_field_in_moving_windows(store: Path):
    args = ["show", "-c", "JPN", "--field", "27", "-p", "3", "--store", str(store), "-f", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("period,field_id,papers_whole,papers_frac,world_share_frac_pct")
    # Every column, as JSON (docs/indicators.md): the bounds and flags too.
    doc = runner.invoke(app, [*args[:-2], "-f", "json"])
    assert lines[0].split(",") == [
        *SHOW_COLUMNS,
        *(c for c in json.loads(doc.stdout)["rows"][0] if c not in SHOW_COLUMNS),
    ]
    assert "rank_top10_frac_ub" in lines[0] and "incomplete_period" in lines[0]
    assert all(",27," in line and line.split(",")[0].count("-") == 1 for line in lines[1:])


def test_partners_are_ranked_by_copapers(store: Path):
    args = ["partners", "-c", "JPN", "--limit", "3", "--store", str(store), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    by_period: dict[int, list[dict]] = {}
    for r in rows:
        by_period.setdefault(r["period_end"], []).append(r)
    for group in by_period.values():
        assert [r["partner_rank"] for r in group] == list(range(1, len(group) + 1))
        copapers = [r["copapers_whole"] for r in group]
        assert copapers == sorted(copapers, reverse=True)
    csv = runner.invoke(app, [*args[:-2], "-f", "csv"]).stdout.splitlines()
    assert set(csv[0].split(",")) == set(rows[0]) and len(csv) == len(rows) + 1  # every column
    # The table: whole headers in 80 columns (every column used to be cut to 8 characters).
    table = runner.invoke(app, args[:-2], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "period" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "period", "#", "partner", "copapers", "of_intl_%", "salton",
    ]  # fmt: skip
    last = rows[-1]
    assert f"│ {last['period_end']} " in table.stdout


def test_coverage_lists_every_item(store: Path):
    result = runner.invoke(app, ["coverage", "--store", str(store), "-f", "json"])
    assert result.exit_code == 0, result.output
    items = {r["item"]: r["works"] for r in json.loads(result.stdout)["rows"]}
    assert items["works"] == 3000
    assert items["counted"] + items["excluded_type"] + items["excluded_retracted"] == 3000


@pytest.mark.parametrize(("kind", "name"), [("share", "s.svg"), ("rank", "r.png"),
                                            ("network", "n.html")])  # fmt: skip
def test_chart_files(store: Path, tmp_path: Path, kind: str, name: str):
    out = tmp_path / name
    args = ["chart", "-c", "JPN", "--kind", kind, "--out", str(out), "--store", str(store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode()
        assert "<svg" in text and "<script" not in text
        assert "SYNTHETIC DATA" in text


def test_errors_are_one_line_and_non_zero(store: Path, tmp_path: Path):
    unknown = runner.invoke(app, ["show", "-c", "ZZZ", "--store", str(store)])
    assert unknown.exit_code == 4
    assert "no 1-year indicators for ZZZ" in " ".join(unknown.output.split())
    empty = runner.invoke(app, ["show", "-c", "JPN", "--store", str(tmp_path / "none")])
    assert empty.exit_code == 4
    assert "no indicators computed in" in " ".join(empty.output.split())
    bad = runner.invoke(app, ["compute", "--store", str(store), "--engine", "oracle"])
    assert bad.exit_code == 3
    assert "unknown engine" in " ".join(bad.output.split())
    fmt = runner.invoke(app, ["chart", "-c", "JPN", "--out", str(tmp_path / "x.pdf"),
                              "--store", str(store)])  # fmt: skip
    assert fmt.exit_code == 3


def test_coverage_by_year_fits_80_columns_and_adds_up(store: Path):
    result = runner.invoke(app, ["coverage", "--by-year", "--store", str(store)],
                           env={"COLUMNS": "80"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    doc = runner.invoke(app, ["coverage", "--by-year", "--store", str(store), "-f", "json"])
    rows = json.loads(doc.stdout)["rows"]
    assert sum(r["works"] for r in rows) == 3000
    assert all(r["counted"] + r["excluded"] == r["works"] for r in rows)
    # CSV: every column of coverage_by_year (it carried the table's seven short ones).
    csv = runner.invoke(app, ["coverage", "--by-year", "--store", str(store), "-f", "csv"])
    header = csv.stdout.splitlines()[0].split(",")
    assert header[:3] == ["publication_year", "works", "counted"]
    assert {"excluded_retracted", "counted_without_references", "excluded"} <= set(header)
    assert not {"year", "no_country", "no_field", "no_refs"} & set(header)


def test_show_fits_80_columns_with_field_names(store: Path):
    args = ["show", "-c", "USA", "--field", "each", "--store", str(store)]
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "period" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "period", "field", "papers", "share_%", "top10_%", "intl_%", "rank",
    ]  # fmt: skip
    assert "Computer Science" in result.stdout
    chosen = runner.invoke(app, [*args, "--columns", "period,field_id,rsi", "-f", "csv"])
    assert chosen.stdout.splitlines()[0] == "period,field_id,rsi"
    bad = runner.invoke(app, [*args, "--columns", "period,nonsense"])
    assert bad.exit_code == 3 and "unknown column(s) nonsense" in " ".join(bad.output.split())


def test_list_every_country_sorted_by_any_indicator(store: Path):
    args = ["list", "--period", "2020", "--sort", "top10_own_share_frac_pct", "--store", str(store)]
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    rows = doc["rows"]
    shares = [
        r["top10_own_share_frac_pct"] for r in rows if r["top10_own_share_frac_pct"] is not None
    ]
    assert shares == sorted(shares, reverse=True) and len(rows) > 20
    assert {r["period_end"] for r in rows} == {2020}
    assert len({r["country_code"] for r in rows}) == len(rows)
    csv = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()
    assert csv[0].split(",")[:2] == ["country_code", "top10_own_share_frac_pct"]
    assert set(csv[0].split(",")) == set(rows[0]) and len(csv) == len(rows) + 1
    table = runner.invoke(app, [*args, "--limit", "5"], env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    header = next(line for line in table.stdout.splitlines() if "country" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "country", "papers", "share_%", "top10", "top10_%", "intl_%", "papers rank (95%)",
    ]  # fmt: skip
    # Without stability intervals the rank alone.
    assert [r["papers_rank"] for r in rows] == [
        "" if r["rank_papers_frac"] is None else str(r["rank_papers_frac"]) for r in rows
    ]
    # A column sorted by but not printed by default is added, its name wrapped (not cut).
    other = runner.invoke(app, [*args[:4], "world_share_whole_pct", *args[5:], "--limit", "3"],
                          env={"COLUMNS": "80"})  # fmt: skip
    head = [line.split("┃")[-2].strip() for line in other.stdout.splitlines() if "┃" in line]
    assert " ".join(c for c in head if c) == "world share whole pct"
    bad = runner.invoke(app, ["list", "--period", "2020", "--sort", "country_code",
                              "--store", str(store)])  # fmt: skip
    assert bad.exit_code == 3 and "cannot sort by 'country_code'" in " ".join(bad.output.split())


def test_year_series_breaks_the_line_where_there_is_no_data():
    import math

    from scidip.indicators.charts import year_series

    rows = [{"period_end": 2018, "x": 1.0}, {"period_end": 2021, "x": 4.0},
            {"period_end": 2019, "x": None}]  # fmt: skip
    years, values = year_series(rows, "x")
    assert years == [2018, 2019, 2020, 2021]
    assert values[0] == 1.0 and values[3] == 4.0
    assert math.isnan(values[1]) and math.isnan(values[2])


def test_rank_chart_of_one_field_has_whole_ranks_and_years(store: Path, tmp_path: Path):
    import re

    out = tmp_path / "r.svg"
    args = ["chart", "-c", "JPN", "--kind", "rank", "--field", "17", "--out", str(out),
            "--store", str(store)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    svg = out.read_text()
    assert "JPN, Computer Science: rank among countries" in svg
    # Tick labels are text in the SVG: whole numbers only (no 5.2, 5.4…).
    labels = re.findall(r">([0-9.\u2212-]+)</text>", svg)
    assert labels and all("." not in label for label in labels)


def test_institutions_sorted_by_any_indicator(store: Path):
    args = ["institutions", "--period", "2020", "--sort", "mncs", "--limit", "10",
            "--store", str(store)]  # fmt: skip
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    mncs = [r["mncs"] for r in doc["rows"]]
    assert len(mncs) == 10 and mncs == sorted(mncs, reverse=True)
    assert {(r["period_start"], r["period_end"]) for r in doc["rows"]} == {(2018, 2020)}
    table = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    # Synthetic institutions have no names: the table shows their ids, in the sorted order.
    assert {r["institution_name"] for r in doc["rows"]} == {None}
    cells = [line.split("│")[1].strip() for line in table.stdout.splitlines() if "│" in line]
    assert cells == [r["institution_id"] for r in doc["rows"]]


def test_partners_in_a_field_fit_80_columns(store: Path):
    args = ["partners", "-c", "JPN", "--field", "27", "--period", "2020", "--limit", "8",
            "--store", str(store)]  # fmt: skip
    table = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert table.exit_code == 0, table.output
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    top10 = [r["top10_frac"] for r in doc["rows"]]
    assert top10 == sorted(top10, reverse=True)
    assert "JPN" not in {r["country_code"] for r in doc["rows"]}
    missing = runner.invoke(app, ["partners", "-c", "JPN", "--field", "27", "--store", str(store)])
    assert missing.exit_code == 3 and "--field needs --period" in " ".join(missing.output.split())
