"""docs/web.md names every `scidip users` command, `scidip serve` and every concept's routes."""

from __future__ import annotations

from pathlib import Path

from scidip.cli.web import users_app
from scidip.registry.concepts import CONCEPTS

DOC = Path(__file__).parents[2] / "docs" / "web.md"


def test_the_web_page_documents_every_users_command_and_concept() -> None:
    text = DOC.read_text()
    commands = [f"scidip users {c.name}" for c in users_app.registered_commands]
    assert len(commands) == 4
    assert [c for c in commands if f"`{c}" not in text] == []
    assert "`scidip serve`" in text
    assert [c.name for c in CONCEPTS if f"`{c.name}`" not in text] == []
