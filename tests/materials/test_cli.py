"""``scidip materials ...`` on the tiny world's store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.materials import app

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_risk_json_default_mode(store_dir: Path) -> None:
    out = json.loads(_run("risk", "-i", "JPN", "-y", "2022", "-m", "Cobalt,Gallium",
                          "--store", str(store_dir), "--format", "json"))  # fmt: skip
    assert out["mode"] == "default"
    assert [(r["material"], r["status"]) for r in out["results"]] == [
        ("Cobalt", "ok"), ("Gallium", "estimate"),
    ]  # fmt: skip
    assert out["results"][0]["score"] == pytest.approx(
        (100**2 + 30.7**2 + 10**2) / 140.7**2 * 12.7 / 17, rel=1e-14
    )


def test_risk_csv_compat(store_dir: Path) -> None:
    out = _run("risk", "-i", "JPN", "-y", "2022", "-m", "Germanium", "--compat",
               "geopolrisk-py-2.0.1", "--store", str(store_dir), "--format", "csv")  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["material"], r["status"], r["score"], r["corrections"]) for r in rows] == [
        ("Germanium", "ok", "0", "peer reports 0: no recorded imports"),
    ]


def test_risk_table_lists_notes(store_dir: Path) -> None:
    out = _run("risk", "-i", "JPN", "-y", "2022", "-m", "Natural gas", "--store", str(store_dir))
    assert "[1] own production converted from million m³ to t at 0.8 kg/m³" in out


def test_domain_errors_exit_with_the_project_codes(store_dir: Path) -> None:
    base = ["risk", "-y", "2022", "--store", str(store_dir)]
    bad_compat = runner.invoke(app, [*base, "-i", "JPN", "--compat", "geopolrisk-py-1.0"])
    unknown = runner.invoke(app, [*base, "-i", "Atlantis"])
    assert (bad_compat.exit_code, unknown.exit_code) == (3, 4)  # InvalidData, NotFound
    assert "unknown country 'Atlantis'" in unknown.stderr


def test_suppliers_and_chart(store_dir: Path, tmp_path: Path) -> None:
    chart = tmp_path / "shares.html"
    out = json.loads(_run("suppliers", "JPN", "Cobalt", "--year", "2022", "--chart", str(chart),
                          "--store", str(store_dir), "--format", "json"))  # fmt: skip
    assert [s["exporter"] for s in out["suppliers"]] == ["COD", "CHN", "TWN"]
    assert chart.read_text().startswith("<!DOCTYPE html>")


def test_scenario_json(store_dir: Path) -> None:
    out = json.loads(_run("scenario", "diversify", "-i", "JPN", "-y", "2022", "--pct", "50",
                          "--partners", "AUS", "-m", "Cobalt", "--store", str(store_dir),
                          "--format", "json"))  # fmt: skip
    assert [(r["material"], r["scenario"]) for r in out] == [
        ("Cobalt", "50% moved to 1 partners (pro-rata)")
    ]
    assert out[0]["score_after"] < out[0]["score_before"]


def test_fetch_from_user_tables_then_vintage(fixture_lib: Path, tmp_path: Path) -> None:
    store = tmp_path / "s"
    _run("fetch", "--from", str(fixture_lib), "--store", str(store))
    out = json.loads(_run("vintage", "--store", str(store), "--format", "json"))
    assert out["source_dir"] == str(fixture_lib)
    assert out["rows"]["countries"] == 10


def test_partners_from_agreements(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--partners agreements`` asks the registry for the partners in force on ``--as-of``."""
    import contextlib
    import datetime as dt

    import scidip.db.session as db_session
    import scidip.registry.agreement.service as agreement_service

    calls = []

    @contextlib.contextmanager
    def fake_scope(settings: object) -> Iterator[str]:
        yield "session"

    def fake_partners(session: object, home: str, as_of: dt.date) -> set[str]:
        calls.append((session, home, as_of))
        return {"AUS", "EU"}  # EU is no country of the trade data: left out, and said

    monkeypatch.setattr(db_session, "session_scope", fake_scope)
    monkeypatch.setattr(agreement_service, "partner_codes_in_force", fake_partners)
    monkeypatch.setenv("SCIDIP_HOME_PARTY", "JPN")
    args = ["scenario", "diversify", "-i", "JPN", "-y", "2022", "--pct", "50", "--partners",
            "agreements", "--as-of", "2022-06-30", "-m", "Cobalt", "--store", str(store_dir),
            "--format", "json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert calls == [("session", "JPN", dt.date(2022, 6, 30))]
    assert "partners without trade data, left out: EU" in result.stderr
    assert json.loads(result.stdout)[0]["scenario"] == "50% moved to 1 partners (pro-rata)"
    assert "agreement partners of JPN on 2022-06-30: AUS" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["risk", "-i", "JPN", "-y", "2022-2021"], "write the earlier year first"),
        (["risk", "-i", "JPN", "-y", "2022", "--group", "JPN=CHN"], "group name 'JPN' is already"),
        (["risk", "-i", "EU", "-y", "2022", "--group", "eu27=FRA"], "is already the EU-27"),
        (["eu-risk", "-y", "2017"], "no production data for 2017"),
        (["crma", "-y", "2030"], "no production data for 2030"),
        (["scenario", "restrict", "-i", "JPN", "-y", "2022", "--supplier", "CHN", "--pct", "150"],
         "--pct 150: give a percentage from 0 to 100"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(
    store_dir: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, [*args, "--store", str(store_dir)])
    assert result.exit_code == 3, result.output
    assert message in " ".join(result.stderr.split())


def test_json_is_strict(store_dir: Path) -> None:
    # the peer's score is NaN where French Polynesia's governance text is 'nan'
    out = _run("risk", "-i", "USA", "-y", "2022", "-m", "Copper", "--compat",
               "geopolrisk-py-2.0.1", "--store", str(store_dir), "--format", "json")  # fmt: skip

    def refuse(name: str) -> None:
        raise AssertionError(f"bare {name} in JSON")

    (row,) = json.loads(out, parse_constant=refuse)["results"]
    assert (row["score"], row["corrections"]) == (
        None, ["peer's score is NaN: governance text 'nan' for PYF"],
    )  # fmt: skip


def test_tables_fit_the_terminal_and_sort_by_score(store_dir: Path) -> None:
    out = _run("risk", "-i", "JPN", "-y", "2022", "--store", str(store_dir))
    assert max(len(line) for line in out.splitlines()) <= 80
    first = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    # Gallium and Germanium (estimates, 0.6) lead; Gold (no score) is last
    assert first[:2] == ["Gallium", "Germanium"] and first[-1] == "Gold"
    assert "left out for width:" in out


def test_ledger_json(store_dir: Path) -> None:
    out = json.loads(_run("ledger", "DEU", "--home", "FRA", "-y", "2022", "--store",
                          str(store_dir), "--format", "json"))  # fmt: skip
    assert (out["home"], out["partner"], out["shifts"]) == ("FRA", "DEU", [])
    assert {m["material"] for m in out["materials"]} == {"Cobalt", "Copper", "Gold", "Natural gas"}
