"""``scidip init``, ``load``, ``export`` and ``summary``: the database and its datasets."""

from __future__ import annotations

import getpass
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path

import typer

from scidip.cli.common import AS_OF_OPTION, fail, home_of, parse_as_of, session, settings
from scidip.datasets.bundled import bundled_datasets, resolve_dataset
from scidip.datasets.loader import Manifest, export_dataset, load_dataset
from scidip.db.migrate import upgrade
from scidip.db.session import make_engine
from scidip.errors import SciDipError
from scidip.registry.agreement.coverage import coverage
from scidip.registry.record import Outcome


def init(ctx: typer.Context) -> None:
    """Create the database, or upgrade it to this version's schema, keeping its data.

    Example: scidip init   (SQLite under the data folder; set SCIDIP_DATABASE_URL for PostgreSQL)
    """
    url = settings(ctx).resolved_database_url()
    engine = make_engine(url)
    try:
        before, after = upgrade(engine)
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        typer.echo(f"{shown}: schema already at {after}")
    else:
        typer.echo(f"{shown}: schema {before or 'empty'} -> {after}")


def load(
    ctx: typer.Context,
    dataset: str = typer.Argument(
        ..., help="A bundled dataset's name (see `scidip datasets`) or a dataset folder."
    ),
    overwrite: bool = typer.Option(
        False,
        "--overwrite",
        help="Write the dataset's version over records that users changed since it was loaded "
        "(and over lowered sensitivities). Audited as an overwrite by you.",
    ),
) -> None:
    """Load a dataset: all of it in one transaction, or nothing if any file is invalid.

    Loading the same dataset again changes nothing, and a load never reverts a user's work:
    records changed, deleted or renamed in the registry since the dataset last wrote them, or
    whose sensitivity it would lower, are kept and listed. Example: scidip load japan-mofa
    """
    try:
        folder = resolve_dataset(dataset)
    except SciDipError as exc:
        raise fail(exc) from exc
    who = getpass.getuser() if overwrite else None
    with session(ctx, write=True) as s:
        report = load_dataset(s, folder, overwrite=who)
    typer.echo(f"{report.dataset}: home party {report.home_party} (its dataset.yaml)")
    for name, counts in report.counts.items():
        typer.echo(f"{name:>14}: {_outcomes(counts)}")
    totals = Counter({o: report.total(o) for o in Outcome})
    typer.echo(f"{report.dataset}: {_outcomes(totals)}")
    if report.shared:
        by: dict[str, list[str]] = {}
        for item in report.shared:
            by.setdefault(item.reason, []).append(f"{item.concept} {item.key}")
        for other, items in by.items():
            text = f"left as {other} wrote them (shared): " + ", ".join(items)
            typer.echo(textwrap.fill(text, 78, subsequent_indent="  "))
    if report.kept:
        typer.echo("kept as the registry has them (scidip load --overwrite to replace):")
        for kept in report.kept:  # two lines each: they fit an 80-column terminal
            typer.echo(f"  {kept.concept} {kept.key}:")
            typer.echo(
                textwrap.fill(kept.reason, 78, initial_indent="    ", subsequent_indent="    ")
            )


def _outcomes(counts: Counter[Outcome]) -> str:
    optional = (Outcome.kept, Outcome.shared)
    shown = [f"{counts[o]} {o.value}" for o in Outcome if o not in optional or counts[o]]
    return ", ".join(shown)


def export(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Folder to write the dataset to."),
    name: str = typer.Option("export", help="Name written to dataset.yaml."),
    home: str | None = typer.Option(None, help="Home party code (default: configured)."),
) -> None:
    """Write the whole registry as a dataset folder that `scidip load` reads back unchanged.

    Example: scidip export ./backup --name backup
    """
    with session(ctx) as s:
        manifest = Manifest(
            name=name,
            title=f"Export of the registry on {date.today().isoformat()}",
            home_party=home or home_of(ctx, s),
        )
        written = export_dataset(s, folder, manifest)
    for concept, count in written.items():
        typer.echo(f"{concept:>14}: {count}")
    typer.echo(f"written to {folder}")


def datasets() -> None:
    """List the datasets bundled with SciDip."""
    for name, manifest in bundled_datasets().items():
        line = f"{name} (home party {manifest.home_party}): {manifest.title}"
        typer.echo(textwrap.fill(line, 78, subsequent_indent="  "))


def summary(
    ctx: typer.Context,
    as_of: str | None = AS_OF_OPTION,
) -> None:
    """Print what the registry holds and its agreement coverage, with how to ask more."""
    day = parse_as_of(as_of)
    with session(ctx) as s:
        home = home_of(ctx, s)
        cov = coverage(s, home, day)
    typer.echo(f"{home} as of {day}: {cov.sentence()}")
    typer.echo(
        f"  states covered directly: {len(cov.directly())}, "
        f"through succession: {len(cov.through_succession())}; undecided: {len(cov.undecided)}"
    )
    typer.echo(
        "Ask more, for example:\n"
        "  scidip agreements coverage --as-of 2022-12-31\n"
        "  scidip agreements with KAZ\n"
        "  scidip agreements suggestions\n"
        "  scidip posts list; scidip posts holders <post>\n"
        "  scidip committees overdue\n"
        "  scidip --help",
        err=True,
    )
