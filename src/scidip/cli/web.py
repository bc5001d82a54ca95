"""``scidip serve`` and ``scidip users ...``: the web workbench and its users."""

from __future__ import annotations

import typer

users_app = typer.Typer(help="Users of the web workbench: add, list, disable.")
