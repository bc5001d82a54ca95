"""`scidip init`, `load`, `export`, `summary` against a real database file or server."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.main import app
from scidip.db.migrate import head_revision

FIXTURE = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"


@pytest.fixture
def run(empty_database_url: str):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["--database-url", empty_database_url, *args])
        return result.exit_code, result.output

    return invoke


def test_init_load_summary_and_reload(run) -> None:  # type: ignore[no-untyped-def]
    head = head_revision()
    code, out = run("init")
    assert code == 0 and out.endswith(f"schema empty -> {head}\n")
    code, out = run("init")
    assert code == 0 and out.endswith(f"schema already at {head}\n")
    code, out = run("load", str(FIXTURE))
    assert code == 0
    assert out.splitlines()[-1] == "succession-fixture: 89 inserted, 0 updated, 0 unchanged"
    code, out = run("load", str(FIXTURE))
    assert out.splitlines()[-1] == "succession-fixture: 0 inserted, 0 updated, 89 unchanged"
    code, out = run("summary", "--as-of", "2022-12-31")
    assert code == 0
    assert out.splitlines()[:2] == [
        "JPN as of 2022-12-31: 7 agreements, in force with 21 countries and the EU",
        "  states covered directly: 3, through succession: 18; undecided: 0",
    ]


def test_commands_refuse_an_uninitialised_database(run) -> None:  # type: ignore[no-untyped-def]
    code, out = run("agreements", "coverage")
    assert code == 7
    assert "the database is empty: run `scidip init` first" in out


def test_a_bad_dataset_exits_3_and_loads_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad"
    bad.mkdir()
    for f in FIXTURE.iterdir():
        (bad / f.name).write_text(f.read_text())
    (bad / "meetings.yaml").write_text(
        (FIXTURE / "meetings.yaml").read_text().replace("committee: jc-rus", "committee: jc-xxx")
    )
    run("init")
    code, out = run("load", str(bad))
    assert code == 3
    assert "meetings.yaml:12: jc-rus-13: committee: no joint_committee with key 'jc-xxx'" in out
    code, out = run("agreements", "list", "--format", "csv")
    assert (code, out) == (0, "agreement,title,kind,parties,actions\n")


def test_unknown_dataset_name_exits_4(run) -> None:  # type: ignore[no-untyped-def]
    run("init")
    code, out = run("load", "no-such-dataset")
    assert code == 4
    assert "'no-such-dataset' is neither a folder nor a bundled dataset" in out


def test_export_round_trip_through_the_command_line(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("init")
    run("load", str(FIXTURE))
    code, out = run("export", str(tmp_path / "out"), "--name", "backup")
    assert code == 0
    assert out.splitlines()[-1] == f"written to {tmp_path / 'out'}"
    code, out = run("load", str(tmp_path / "out"))
    assert out.splitlines()[-1] == "backup: 0 inserted, 0 updated, 89 unchanged"
