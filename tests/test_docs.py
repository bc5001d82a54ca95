"""The documentation names every command the application has (docs that tests enforce)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from scidip.cli.main import app

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"
SKIP_GROUPS = {"materials", "indicators", "report", "users", "tech", "mobility"}  # own pages


def _commands(command: Any, prefix: str) -> list[str]:
    """Every command under ``command`` (the lazily loaded groups loaded), as typed."""
    ctx = typer.Context(command)
    found: list[str] = []
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if hasattr(sub, "list_commands"):
            if name not in SKIP_GROUPS:
                found += _commands(sub, f"{prefix} {name}")
        else:
            found.append(f"{prefix} {name}")
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    text = DOCS.read_text()
    commands = _commands(typer.main.get_command(app), "scidip")
    assert len(commands) == 21 + 14 * 4 + 4  # and show/add/update/delete of each concept, end
    missing = [c for c in commands if f"`{c}" not in text]
    assert missing == []
