"""The ``scidip`` application: one sub-command group per area, each imported only when run.

``scidip --help`` and ``--version`` import Typer and nothing of SciDip's areas; a registry command
imports the registry and SQLAlchemy, never the web app, the analytics engines (Ibis, DuckDB,
PySpark), matplotlib or WeasyPrint (``tests/cli/test_startup.py``; timed by
``benchmarks/cli_startup.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # Typer 0.29 carries its own copy of Click
    from typer import _click as click

from scidip import __version__

COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module, attribute, one line of help for `scidip --help`)
    "init": ("scidip.cli.database", "init", "Create the database, or upgrade its schema."),
    "load": ("scidip.cli.database", "load", "Load a dataset (never reverting users' changes)."),
    "export": ("scidip.cli.database", "export", "Write the whole registry as a dataset folder."),
    "summary": ("scidip.cli.database", "summary", "What the registry holds and its coverage."),
    "datasets": ("scidip.cli.database", "datasets", "List the datasets bundled with SciDip."),
    "serve": ("scidip.cli.web", "serve", "Run the web workbench and its JSON API."),
    "agreements": ("scidip.cli.agreements", "app", "Agreements: coverage, successions, terms."),
    "posts": ("scidip.cli.people", "posts_app", "Posts and who held them."),
    "people": ("scidip.cli.people", "people_app", "Persons, their posts and memberships."),
    "bodies": ("scidip.cli.people", "bodies_app", "Bodies (boards, networks) and members."),
    "committees": ("scidip.cli.committees", "app", "Joint committees: meetings, cadence."),
    "engagements": ("scidip.cli.engagements", "engagements_app", "Visits, meetings, seminars."),
    "documents": ("scidip.cli.engagements", "documents_app", "Recommendations and reports."),
    "sources": ("scidip.cli.records", "sources_app", "Sources: show, add, update, delete."),
    "parties": ("scidip.cli.records", "parties_app", "Parties: show, add, update, end, delete."),
    "successions": ("scidip.cli.records", "successions_app", "Successions of states: write."),
    "organisations": ("scidip.cli.records", "organisations_app", "Organisations: write."),
    "persons": ("scidip.cli.records", "persons_app", "Persons: show, add, update, delete."),
    "appointments": ("scidip.cli.records", "appointments_app", "Persons in posts: write, end."),
    "memberships": ("scidip.cli.records", "memberships_app", "Persons in bodies: write, end."),
    "meetings": ("scidip.cli.records", "meetings_app", "Committee meetings: write."),
    "figures": ("scidip.cli.records", "figures_app", "Published figures: write."),
    "report": ("scidip.cli.report", "app", "Annual chapter, country brief, reconciliation."),
    "users": ("scidip.cli.web", "users_app", "Users of the web workbench."),
    "materials": ("scidip.cli.materials", "app", "Supply risk of critical raw materials."),
    "indicators": ("scidip.cli.indicators", "app", "S&T capability indicators (OpenAlex)."),
    "tech": ("scidip.cli.tech", "app", "Critical-technology tracker: who leads, how sure."),
    "mobility": ("scidip.cli.mobility", "app", "Brain circulation beside the MPIDR series."),
}


def _load(name: str) -> click.Command:
    module, attribute, _ = COMMANDS[name]
    found: Any = getattr(importlib.import_module(module), attribute)
    if isinstance(found, typer.Typer):
        command: click.Command = typer.main.get_group(found)
    else:  # a function: a command of its own
        single = typer.Typer()
        single.command(name=name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """Typer's group, with the commands of :data:`COMMANDS` imported when they are run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in COMMANDS if n not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = _load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing's help comes from COMMANDS: listing imports no command.
        rows = [(name, help_) for name, (_, _, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    name="scidip",
    cls=LazyGroup,
    help=(
        "SciDip: the system of record and evidence workbench of an S&T diplomacy office.\n\n"
        "Start with `scidip init`, `scidip load <dataset>`, then `scidip summary`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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
        None,
        "--home",
        envvar="SCIDIP_HOME_PARTY",
        help="Home party code (default: the first loaded dataset's, else JPN).",
    ),
    dataset: str | None = typer.Option(
        None,
        "--dataset",
        envvar="SCIDIP_DATASET",
        help="Report from the side of this loaded dataset's home party.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    from scidip.config import Settings  # a command runs: it needs the settings

    overrides: dict[str, str] = {}
    if database_url:
        overrides["database_url"] = database_url
    if home:
        overrides["home_party"] = home.upper()
    if dataset:
        overrides["dataset"] = dataset
    ctx.obj = Settings(**overrides)  # type: ignore[arg-type]


def main() -> None:
    """The console script."""
    app()


if __name__ == "__main__":
    main()
