"""``scidip <concept> show / add / update / end / delete``: records written from a file or
options through the registry's write path, with exact output and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scidip.cli.main import app
from scidip.db.session import make_engine, make_sessionmaker
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.committee.service import MEETING

FIXTURE = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"

MEETING_YAML = """\
key: jc-deu-25
committee: jc-deu
number: 25
date: 2025-03
place: Berlin
mode: in_person
action_items:
  - {description: Exchange young researchers, owner: MOFA, due: "2026"}
  - {description: Joint call on hydrogen, status: in_progress}
"""


@pytest.fixture
def url(empty_database_url: str) -> str:
    runner = CliRunner()
    for step in (["init"], ["load", str(FIXTURE)]):
        done = runner.invoke(app, ["--database-url", empty_database_url, *step])
        assert done.exit_code == 0, done.output
    return empty_database_url


def cli(url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["--database-url", url, *args], env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return result.output


def test_add_from_a_file_and_options_then_update_and_delete(url: str, tmp_path: Path) -> None:
    path = tmp_path / "meeting.yaml"
    path.write_text(MEETING_YAML, encoding="utf-8")
    out = cli(
        url, "meetings", "add", str(path), "--set", "sectors=[quantum, hydrogen]", "--actor", "ci"
    )
    assert out == "Added committee meeting jc-deu-25 (version 1).\n"
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        stored = record.snapshot(s, MEETING, record.get(s, MEETING, "jc-deu-25"))
        assert stored.model_dump(mode="json") == {
            "key": "jc-deu-25",
            "sensitivity": "public",
            "sources": [],
            "committee": "jc-deu",
            "number": 25,
            "date": "2025-03",
            "end": None,
            "place": "Berlin",
            "mode": "in_person",
            "delegations": [],
            "sectors": ["quantum", "hydrogen"],
            "outcomes": None,
            "action_items": [
                {
                    "description": "Exchange young researchers",
                    "owner": "MOFA",
                    "due": "2026",
                    "status": "open",
                },
                {
                    "description": "Joint call on hydrogen",
                    "owner": None,
                    "due": None,
                    "status": "in_progress",
                },
            ],
            "note": None,
        }
        entry = s.query(AuditEntry).filter_by(record_key="jc-deu-25").one()
        assert (entry.action, entry.actor) == ("create", "ci")

    # update changes only what it names, over the version named
    out = cli(url, "meetings", "update", "jc-deu-25", "--set", "place=Bonn", "--version", "1")
    assert out == "Updated committee meeting jc-deu-25 (version 2).\n"
    shown = json.loads(cli(url, "meetings", "show", "jc-deu-25", "-f", "json"))
    assert (shown["place"], shown["number"], shown["version"]) == ("Bonn", 25, 2)
    stale = cli(
        url, "meetings", "update", "jc-deu-25", "--set", "place=Köln", "--version", "1", code=5
    )
    assert stale == (
        "error: committee_meeting 'jc-deu-25' is at version 2, the update was based on \n"
        "version 1: reload and apply the change again\n"
    )
    assert cli(url, "meetings", "delete", "jc-deu-25", "--version", "1", code=5) == (
        "error: committee_meeting 'jc-deu-25' is at version 2, not 1\n"
    )
    assert cli(url, "meetings", "delete", "jc-deu-25") == "Deleted committee meeting jc-deu-25.\n"
    cli(url, "meetings", "show", "jc-deu-25", code=4)
    engine.dispose()


def test_clear_errors_and_nothing_written(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli(url, "meetings", "add", "--set", "key=x", "--set", "date=2025-13", code=3) == (
        "error: committee_meeting not saved:\n"
        "  committee: Field required\n"
        "  date: Value error, not a valid date: '2025-13' (month must be in 1..12)\n"
    )
    assert cli(url, "meetings", "add", "--set", "key=x", "--set", "committee=nope", code=3) == (
        "error: committee: no joint_committee with key 'nope'\n"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\ncommittee: [\n", encoding="utf-8")
    assert cli(url, "meetings", "add", "bad.yaml", code=3) == (
        "error: bad.yaml:3: not valid YAML or JSON\n"
    )
    listed = tmp_path / "list.yaml"
    listed.write_text("- key: x\n", encoding="utf-8")
    assert cli(url, "meetings", "add", "list.yaml", code=3) == (
        "error: list.yaml: expected one record (a mapping of fields)\n"
    )
    assert cli(url, "meetings", "add", "--set", "nonsense", code=3) == (
        "error: --set 'nonsense': write FIELD=VALUE\n"
    )
    shown = json.loads(cli(url, "committees", "list", "-f", "json"))
    assert [c["last_number"] for c in shown if c["committee"] == "jc-deu"] == [24]


def test_end_an_appointment_and_add_an_agreement_action(url: str) -> None:
    out = cli(url, "appointments", "end", "matsumoto-advisor", "--on", "2031-04", "-f", "json")
    assert json.loads(out)["end"] == "2031-04"
    assert "No such command 'end'" in cli(url, "meetings", "end", "x", code=2)
    agreement = json.loads(cli(url, "agreements", "show", "jpn-deu-1974", "-f", "json"))
    actions = [*agreement["actions"], {"kind": "extension", "taken": "2024", "until": "2030"}]
    out = cli(
        url, "agreements", "update", "jpn-deu-1974", "--set", f"actions={json.dumps(actions)}"
    )
    assert out == "Updated agreement jpn-deu-1974 (version 2).\n"
    after = json.loads(cli(url, "agreements", "show", "jpn-deu-1974", "-f", "json"))
    assert after["actions"][-1] == {
        "kind": "extension",
        "party": None,
        "taken": "2024",
        "effective": None,
        "until": "2030",
        "via": None,
        "replaced_by": None,
        "note": None,
        "sources": [],
    }


def test_the_show_table_fits_80_columns(url: str) -> None:
    out = cli(url, "agreements", "show", "jpn-deu-1974")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[-4:] == [
        '│ actions     │ {"kind": "signature", "party": "JPN", "taken": "1974-10-08"}   │',
        '│             │ {"kind": "signature", "party": "DEU", "taken": "1974-10-08"}   │',
        '│             │ {"kind": "entry_into_force", "effective": "1974-10-08"}        │',
        "└─────────────┴────────────────────────────────────────────────────────────────┘",
    ]
