"""What every command shares: settings, a session, the as-of date, error handling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from scidip.cli.settings import settings as settings  # re-exported for the commands
from scidip.dates import PartialDate
from scidip.db.migrate import current_revision, head_revision
from scidip.db.session import make_engine, make_sessionmaker
from scidip.errors import Conflict, InvalidData, NotFound, PermissionDenied, SciDipError

err_console = Console(stderr=True)

EXIT_CODES: dict[type[SciDipError], int] = {
    InvalidData: 3,
    NotFound: 4,
    Conflict: 5,
    PermissionDenied: 6,
}
"""Exit codes by error (2 is Typer's own, for a usage error)."""


class NotInitialised(SciDipError):
    """The database has no schema, or an older one."""


EXIT_CODES[NotInitialised] = 7


def parse_as_of(value: str | None) -> date:
    """``--as-of``: a day (YYYY-MM-DD), or today when left out; resolved once, here."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_partial(value: str) -> PartialDate:
    """A partial date from the command line (YYYY, YYYY-MM, YYYY-MM-DD)."""
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


AS_OF_HELP = "The date the question is asked for (YYYY-MM-DD); default: today."
AS_OF_OPTION = typer.Option(None, "--as-of", help=AS_OF_HELP)


@contextmanager
def session(ctx: typer.Context, *, write: bool = False) -> Iterator[Session]:
    """A session on the configured database, refusing one whose schema is not current.

    Commits at the end when ``write`` is set, otherwise always rolls back. A domain error inside
    is printed and turned into the exit code of :data:`EXIT_CODES`.
    """
    engine = make_engine(settings(ctx).resolved_database_url())
    try:
        revision = current_revision(engine)
        if revision is None:
            raise NotInitialised("the database is empty: run `scidip init` first")
        if revision != head_revision():
            raise NotInitialised(
                f"the database schema is at {revision}, this SciDip needs {head_revision()}: "
                "run `scidip init` to upgrade it (data is kept)"
            )
        with make_sessionmaker(engine)() as s:
            try:
                yield s
                if write:
                    s.commit()
            finally:
                s.rollback()
    except SciDipError as exc:
        raise fail(exc) from exc
    finally:
        engine.dispose()


def fail(exc: SciDipError) -> typer.Exit:
    """Print a domain error and give the exit to raise."""
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
    code = next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
    return typer.Exit(code)


def home_of(ctx: typer.Context, db: Session) -> str:
    """The home party in force (:func:`scidip.registry.home.home_party`): ``--home`` or
    ``SCIDIP_HOME_PARTY``, else ``--dataset``'s, else the first loaded dataset's."""
    from scidip.registry.home import home_party

    given = settings(ctx)
    try:
        return home_party(db, given.home_party, given.dataset)
    except SciDipError as exc:
        raise fail(exc) from exc
