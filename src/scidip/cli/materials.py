"""``scidip materials ...``: supply risk of critical raw materials."""

from __future__ import annotations

import typer

app = typer.Typer(help="Supply risk of critical raw materials (GeoPolRisk, EU methods, scenarios).")
