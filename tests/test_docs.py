"""The documentation names every command the application has (docs that tests enforce)."""

from __future__ import annotations

from pathlib import Path

import typer

from scidip.cli.main import app

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"
SKIP_GROUPS = {"materials", "indicators", "report", "users"}  # documented in their own pages


def _commands(typer_app: typer.Typer, prefix: str) -> list[str]:
    found = [
        f"{prefix} {c.name or (c.callback.__name__ if c.callback else '')}".strip()
        for c in typer_app.registered_commands
    ]
    for group in typer_app.registered_groups:
        if group.name in SKIP_GROUPS or group.typer_instance is None:
            continue
        found += _commands(group.typer_instance, f"{prefix} {group.name}")
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    text = DOCS.read_text()
    commands = _commands(app, "scidip")
    assert len(commands) == 21
    missing = [c for c in commands if f"`{c}" not in text]
    assert missing == []
