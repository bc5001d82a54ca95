"""``scidip indicators ...``: S&T capability indicators from OpenAlex-format records."""

from __future__ import annotations

import typer

app = typer.Typer(help="S&T capability indicators from OpenAlex-format bibliographic records.")
