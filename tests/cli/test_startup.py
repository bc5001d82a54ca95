"""A command imports only what it uses: `scidip --help`, `--version` and the registry commands
load neither the web app nor the analytics engines, charts or PDF (each checked in a new
process, as a user starts it; the times are in benchmarks/cli_startup.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "datasets" / "succession"
HEAVY = (
    "scidip.web",
    "fastapi",
    "uvicorn",
    "ibis",
    "duckdb",
    "pyspark",
    "pyarrow",
    "pandas",
    "matplotlib",
    "weasyprint",
    "jinja2",
    "alembic",
)

RUN = """
import json, sys
from scidip.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
names = sorted({m.split('.')[0] if not m.startswith('scidip.') else 'scidip.' + m.split('.')[1]
                for m in sys.modules})
print(json.dumps(names))
"""


def _imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('startup') / 'registry.sqlite3'}"
    for step in (["init"], ["load", str(FIXTURE)]):
        subprocess.run(
            [sys.executable, "-m", "scidip.cli.main", "--database-url", url, *step],
            check=True,
            capture_output=True,
        )
    return url


def test_help_and_version_import_no_command(database: str) -> None:
    for args in (["--version"], ["--help"]):
        imported = _imported(*args)
        assert imported & {"sqlalchemy", "pydantic", *HEAVY} == set(), args


@pytest.mark.parametrize(
    "args",
    [
        ["summary", "--as-of", "2022-12-31"],
        ["agreements", "coverage", "--as-of", "2022-12-31", "--format", "json"],
        ["agreements", "suggestions"],
        ["posts", "holders", "mofa-st-advisor", "--as-of", "2021-01-01"],
        ["committees", "overdue"],
        ["engagements", "list", "--period", "2022"],
        ["users", "list"],
        ["meetings", "show", "jc-deu-24", "--format", "json"],
        ["appointments", "end", "matsumoto-advisor", "--on", "2031-04"],
    ],
)
def test_registry_commands_import_no_web_app_nor_analytics(database: str, args: list[str]) -> None:
    imported = _imported("--database-url", database, *args)
    assert "sqlalchemy" in imported  # the command ran against the registry
    assert imported & set(HEAVY) == set()
