"""docs/web.md names every `scidip users` command, `scidip serve`, every concept's routes and
every page."""

from __future__ import annotations

from pathlib import Path

from fastapi.routing import APIRoute

from scidip.cli.web import users_app
from scidip.registry.concepts import CONCEPTS
from scidip.web.pages import (
    account,
    analytics,
    auth,
    calendar,
    confirmed,
    directory,
    edit,
    entities,
    lists,
    registry,
    workbench,
    writes,
)

DOC = Path(__file__).parents[2] / "docs" / "web.md"


def test_the_web_page_documents_every_users_command_and_concept() -> None:
    text = DOC.read_text()
    commands = [f"scidip users {c.name}" for c in users_app.registered_commands]
    assert len(commands) == 7
    assert [c for c in commands if f"`{c}" not in text] == []
    assert "`scidip serve`" in text
    assert [c.name for c in CONCEPTS if f"`{c.name}`" not in text] == []


def test_the_web_page_documents_every_page() -> None:
    pages = sorted(
        route.path
        for module in (
            account,
            auth,
            calendar,
            directory,
            edit,
            registry,
            workbench,
            writes,
            confirmed,
            entities,
            lists,
            analytics,
        )
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods and route.path != "/login"
    )
    assert len(pages) == 40  # /reports/annual sends the annual form on, or says what is wrong
    text = DOC.read_text()
    assert [p for p in pages if f"`{p}" not in text] == []
