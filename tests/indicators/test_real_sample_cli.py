"""The real OpenAlex sample (``shared/data/openalex-real-sample``: ``snapshot/``, ``api/`` and
``old/`` together) through the analyst's commands: every record accounted for in the coverage
report, against a count made here with plain ``json``, and every table in 80 columns."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scidip.cli.indicators import app

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "openalex-real-sample"
pytestmark = pytest.mark.skipif(
    not SAMPLE.is_dir(), reason=f"the real sample is not beside the checkout: {SAMPLE}"
)
runner = CliRunner()
NARROW = {"COLUMNS": "80"}
#: Crossref's types of records before mid-2023 and OpenAlex's names for them (docs/indicators.md).
OLD_TYPES = {"journal-article": "article", "proceedings-article": "conference-paper",
             "posted-content": "preprint", "component": "other"}  # fmt: skip


def _records() -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every record of the three folders, read with plain ``json`` (every line of the
    snapshot's works files, every API body: a work, or a list page's ``results``), and the
    latest version of each work by its ``updated_date``."""
    records: list[dict[str, Any]] = []
    for part in sorted((SAMPLE / "snapshot" / "data" / "works").glob("*/part_*.gz")):
        with gzip.open(part, "rt") as handle:
            records += [json.loads(line) for line in handle if line.strip()]
    for body in sorted([*(SAMPLE / "api").glob("*.json"), *(SAMPLE / "old").glob("*.json")]):
        doc = json.loads(body.read_text(encoding="utf-8"))
        records += doc.get("results", [doc])
    latest: dict[str, dict[str, Any]] = {}
    for r in records:
        if r["id"] not in latest or r["updated_date"] >= latest[r["id"]]["updated_date"]:
            latest[r["id"]] = r
    return records, latest


def independent_count() -> dict[str, Any]:
    """Records, works and exclusions (:func:`_records`); counted: article or review, not
    retracted, published before the year of the latest ``updated_date``."""
    records, latest = _records()
    last_complete = int(max(r["updated_date"] for r in latest.values())[:4]) - 1
    excluded: Counter[str] = Counter()
    for r in latest.values():
        kind = OLD_TYPES.get(r["type"], r["type"])
        if kind not in ("article", "review"):
            excluded[f"type:{kind}"] += 1
        elif r.get("is_retracted"):
            excluded["retracted"] += 1
        elif r["publication_year"] > last_complete:
            excluded["incomplete_year"] += 1
    return {"records": len(records), "works": len(latest), "excluded": excluded}


def _field(record: dict[str, Any]) -> str:
    """``primary_topic``'s field; else, for the two counted works without one, the field of
    their top level-0 concept (docs/indicators.md: Medicine → 27, Physics → 31)."""
    if record.get("primary_topic"):
        return str(record["primary_topic"]["field"]["id"]).rsplit("/", 1)[-1]
    top = max((c for c in record["concepts"] if c["level"] == 0), key=lambda c: c["score"])
    return {"Medicine": "27", "Physics": "31"}[top["display_name"]]


def independent_institution(institution: str, first: int, last: int) -> dict[str, float]:
    """P, P (fractional), P(top 10 %) and MNCS of ``institution`` over ``first``-``last``, from
    the counted works (:func:`_records`; fields by :func:`_field`): an
    authorship's ``1 / n`` split over its distinct institutions; reference sets of field ×
    year, the tie split at the threshold, NCS 1 in a set with mean 0."""
    _, latest = _records()
    counted = [r for r in latest.values() if r["publication_year"] <= 2025
               and OLD_TYPES.get(r["type"], r["type"]) in ("article", "review")
               and not r.get("is_retracted")]  # fmt: skip
    sets: dict[tuple[str, int], list[int]] = {}
    for r in counted:
        sets.setdefault((_field(r), r["publication_year"]), []).append(r["cited_by_count"])
    got = {"p_full": 0, "p_frac": 0.0, "p_top10_frac": 0.0, "ncs": 0.0}
    for r in counted:
        if not first <= r["publication_year"] <= last:
            continue
        authorships = r["authorships"]
        weight = 0.0
        for a in authorships:
            ids = {i["id"] for i in a["institutions"] if i.get("id")}
            weight += 1 / len(authorships) / len(ids) if institution in ids else 0.0
        if not weight:
            continue
        cites = sets[(_field(r), r["publication_year"])]
        c, mean = r["cited_by_count"], sum(cites) / len(cites)
        above, tied = sum(x > c for x in cites), sum(x == c for x in cites)
        top = min(1.0, max(0.0, (0.1 * len(cites) - above) / tied))
        got["p_full"] += 1
        got["p_frac"] += weight
        got["p_top10_frac"] += weight * top
        got["ncs"] += weight * (1.0 if mean == 0 else c / mean)
    return {"p_full": got["p_full"], "p_frac": got["p_frac"],
            "p_top10_frac": got["p_top10_frac"], "mncs": got["ncs"] / got["p_frac"]}  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("real_cli") / "store"
    folders = [str(SAMPLE / name) for name in ("snapshot", "api", "old")]
    for args in (
        ["ingest", *folders, "--store", str(store)],
        ["compute", "--store", str(store), "--stability-samples", "200"],
    ):
        result = runner.invoke(app, args, env=NARROW)
        assert result.exit_code == 0, result.output
    return store


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _table(*args: str) -> str:
    result = runner.invoke(app, list(args), env=NARROW)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80, result.stdout
    return result.stdout


def test_every_record_is_counted_excluded_or_superseded(store: Path):
    items = {r["item"]: r["works"] for r in _json("coverage", "--store", str(store))["rows"]}
    truth = independent_count()
    # 1,409 snapshot lines, 34 records in the API bodies, 6 in old/: 1,449 records of 781 works.
    assert (truth["records"], truth["works"]) == (1449, 781)
    assert (items["records_read"], items["works"], items["malformed_skipped"]) == (1449, 781, 0)
    assert items["records_read"] == items["works"] + items["superseded_records"] == 781 + 668
    reasons = ("type", "retracted", "incomplete_year", "no_references", "no_country")
    assert items["counted"] + sum(items[f"excluded_{r}"] for r in reasons) == items["works"]
    assert items["counted"] == 781 - sum(truth["excluded"].values()) == 652
    by_type = {k.removeprefix("excluded_type:"): v for k, v in items.items()
               if k.startswith("excluded_type:")}  # fmt: skip
    assert by_type == {k.removeprefix("type:"): v for k, v in truth["excluded"].items()}
    assert sum(by_type.values()) == items["excluded_type"] == 129
    table = _table("coverage", "--store", str(store))
    for item in ("records_read", "superseded_records", "works", "counted", "excluded_type"):
        assert f"│ {item} " in table and f"│ {items[item]} " in table


def test_the_institution_table_with_intervals_in_80_columns(store: Path):
    args = ("institutions", "--period", "2012", "--limit", "3", "--store", str(store))
    rows = _json(*args)["rows"]
    # Columbia University, 2010-2012: 3 papers (counted from the raw files in
    # test_real_sample.py), the most by fractional count, its rank's interval drawn.
    first = rows[0]
    assert (first["institution_name"], first["p_full"], first["rank_p_frac"]) == (
        "Columbia University", 3, 1,
    )  # fmt: skip
    # Its indicators against a count from the raw files: 3 papers of 2011 (2, 4 and 3
    # authorships) weighing 1/2 + 1/4 + 7/9, none in the top 10 %, MNCS 0.617.
    want = independent_institution("https://openalex.org/I78577930", 2010, 2012)
    assert want == pytest.approx({"p_full": 3, "p_frac": 1 / 2 + 1 / 4 + 7 / 9,
                                  "p_top10_frac": 0.0, "mncs": 0.6169206953739244})  # fmt: skip
    assert {k: first[k] for k in want} == pytest.approx(want)
    assert first["rank_p_frac_lb"] == 1 and first["rank_p_frac_ub"] > 1
    csv = runner.invoke(app, [*args, "-f", "csv"]).stdout.splitlines()
    assert len(csv) == 4 and set(csv[0].split(",")) == set(first)  # every column
    assert csv[0].startswith("institution_id,ror,institution_name,country_code,p_frac,")
    table = _table(*args)
    header = next(line for line in table.splitlines() if "institution" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "institution", "cty", "papers", "top10_%", "95% interval", "mncs", "intl_%",
    ]  # fmt: skip
    for r in rows:
        interval = f"{r['pp_top10_pct_lb']:.1f}–{r['pp_top10_pct_ub']:.1f}"
        assert f"│ {r['p_frac']:,.1f} " in table and f"│ {interval} " in table
    # Single years were not computed for institutions: the error says which periods were.
    single = runner.invoke(app, [*args, "--period-years", "1"])
    assert single.exit_code == 4
    assert "(computed: --period-years 3, compute --window)" in " ".join(single.output.split())


def test_every_reading_command_fits_80_columns(store: Path):
    s = ("--store", str(store))
    _table("show", "--country", "USA", "--field", "each", *s)
    _table("list", "--period", "2019", "-p", "3", *s)
    _table("partners", "--country", "USA", "--limit", "3", *s)
    _table("partners", "--country", "USA", "--field", "27", "--period", "2019", "-p", "3", *s)
    _table("coverage", "--by-year", *s)


def test_network_chart_names_a_single_year_once(store: Path, tmp_path: Path):
    # USA's latest co-authored year in the sample is 2020, with one partner (Israel).
    out = tmp_path / "usa.svg"
    args = ["chart", "-c", "USA", "--kind", "network", "--out", str(out), "--store", str(store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "USA: top 1 co-authoring partner, 2020<" in out.read_text(encoding="utf-8")
