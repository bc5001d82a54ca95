"""The ``scidip`` application: mounts one sub-command group per area."""

from __future__ import annotations

import typer

from scidip.cli import indicators, materials

app = typer.Typer(
    name="scidip",
    help="SciDip: the system of record and evidence workbench of an S&T diplomacy office.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(materials.app, name="materials")
app.add_typer(indicators.app, name="indicators")


def main() -> None:
    """Console entry point."""
    app()
