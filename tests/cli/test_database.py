"""`scidip init`, `load`, `export`, `summary` against a real database file or server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from scidip.auth.models import Role
from scidip.auth.service import add_user, issue_token
from scidip.cli.main import app
from scidip.config import Settings
from scidip.db.base import Sensitivity
from scidip.db.migrate import head_revision
from scidip.db.session import make_engine, make_sessionmaker
from scidip.web.app import create_app

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


def test_the_run_command_twice_keeps_an_edit_made_between(  # type: ignore[no-untyped-def]
    run, empty_database_url: str, tmp_path: Path
) -> None:
    # What `make run` does before serving: init, then load the bundled dataset.
    assert run("init")[0] == run("load", "japan-mofa")[0] == 0
    settings = Settings(data_dir=tmp_path, database_url=empty_database_url)
    engine = make_engine(empty_database_url)
    with make_sessionmaker(engine).begin() as s:
        admin = add_user(s, "admin", "password-of-admin", Role.admin, Sensitivity.restricted)
        viewer = add_user(s, "reader", "password-of-reader", Role.viewer, Sensitivity.public)
        tokens = {"admin": issue_token(s, admin), "reader": issue_token(s, viewer)}
    engine.dispose()
    visit = "/api/v1/engagements/matsumoto-visit-usa-2022-06"

    def client(who: str) -> TestClient:
        app = create_app(settings, secret="test-secret-not-for-production")
        return TestClient(app, headers={"Authorization": f"Bearer {tokens[who]}"})

    with client("admin") as api:
        stored = api.get(visit).json()
        changed = {
            k: v
            for k, v in stored.items()
            if k not in ("id", "version", "created_at", "updated_at")
        }
        changed["sensitivity"] = "restricted"
        answer = api.put(visit, params={"version": stored["version"]}, json=changed)
        assert answer.status_code == 200, answer.text

    code, out = run("init")
    assert code == 0
    code, out = run("load", "japan-mofa")
    assert code == 0
    assert out.splitlines()[-3:] == [
        "kept as the registry has them (scidip load --overwrite to replace):",
        "  engagements matsumoto-visit-usa-2022-06:",
        "    changed in the registry by admin since the dataset was loaded",
    ]
    assert ", 0 updated, " in out.splitlines()[-4] and out.splitlines()[-4].endswith(", 1 kept")
    with client("admin") as api:
        after = api.get(visit).json()
        assert (after["sensitivity"], after["version"]) == ("restricted", stored["version"] + 1)
    with client("reader") as api:
        assert api.get(visit).status_code == 404


def test_the_home_party_comes_from_the_loaded_dataset(run) -> None:  # type: ignore[no-untyped-def]
    """No --home: a registry made from eu-st reports from the EU's side; --dataset names a loaded
    dataset's side, and an unknown one is refused."""
    assert run("init")[0] == 0
    code, out = run("load", "eu-st")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "eu-st: home party EU (its dataset.yaml)"
    assert lines[-1] == "eu-st: 23 inserted, 0 updated, 0 unchanged"
    code, out = run("summary", "--as-of", "2022-12-31")
    assert (code, out.splitlines()[0]) == (
        0,
        "EU as of 2022-12-31: 6 agreements, in force with 6 countries",
    )
    code, out = run("--dataset", "eu-st", "agreements", "coverage", "--as-of", "1995-12-31")
    assert code == 0 and "1 agreement, in force with 1 country" in out
    code, out = run("--home", "JPN", "summary", "--as-of", "2022-12-31")
    assert (
        out.splitlines()[0]
        == "JPN as of 2022-12-31: 1 agreement, in force with 0 countries and the EU"
    )
    code, out = run("--dataset", "nope", "summary")
    assert code == 4
    assert "no dataset 'nope' is loaded (loaded: eu-st)" in out
    code, out = run("datasets")
    assert (
        out.splitlines()[0]
        == "eu-st (home party EU): The European Union's bilateral S&T cooperation"
    )
