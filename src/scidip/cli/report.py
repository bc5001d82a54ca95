"""``scidip report ...``: the annual report chapter, country briefs, reconciliation."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports from the registry: annual chapter, country brief, reconciliation.")
