"""The ``scidip`` application: mounts one sub-command group per area."""

from __future__ import annotations

import typer

from scidip import __version__
from scidip.cli import (
    agreements,
    committees,
    database,
    engagements,
    indicators,
    materials,
    people,
    report,
    web,
)
from scidip.config import Settings

app = typer.Typer(
    name="scidip",
    help=(
        "SciDip: the system of record and evidence workbench of an S&T diplomacy office.\n\n"
        "Start with `scidip init`, `scidip load <dataset>`, then `scidip summary`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scidip {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        envvar="SCIDIP_DATABASE_URL",
        help="Registry database (SQLAlchemy URL); default: SQLite in the data folder.",
    ),
    home: str | None = typer.Option(
        None, "--home", envvar="SCIDIP_HOME_PARTY", help="Home party code (default JPN)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    overrides: dict[str, str] = {}
    if database_url:
        overrides["database_url"] = database_url
    if home:
        overrides["home_party"] = home.upper()
    ctx.obj = Settings(**overrides)  # type: ignore[arg-type]


app.command()(database.init)
app.command()(database.load)
app.command()(database.export)
app.command()(database.summary)
app.command()(database.datasets)
app.command()(web.serve)
app.add_typer(agreements.app, name="agreements")
app.add_typer(people.posts_app, name="posts")
app.add_typer(people.people_app, name="people")
app.add_typer(people.bodies_app, name="bodies")
app.add_typer(committees.app, name="committees")
app.add_typer(engagements.engagements_app, name="engagements")
app.add_typer(engagements.documents_app, name="documents")
app.add_typer(report.app, name="report")
app.add_typer(web.users_app, name="users")
app.add_typer(materials.app, name="materials")
app.add_typer(indicators.app, name="indicators")


def main() -> None:
    """Console entry point."""
    app()
