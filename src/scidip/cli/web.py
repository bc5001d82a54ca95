"""``scidip serve`` and ``scidip users ...``: the web workbench and its users."""

from __future__ import annotations

import os

import typer

from scidip.auth.models import Role
from scidip.auth.passwords import generate_password
from scidip.auth.service import (
    add_user,
    disable_user,
    enabled_user,
    issue_token,
    list_users,
)
from scidip.cli.common import session, settings
from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.db.base import Sensitivity

users_app = typer.Typer(help="Users of the web workbench: add, list, disable, token.")


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Option(Role.viewer, "--role", help="viewer, editor or admin."),
    clearance: Sensitivity = typer.Option(
        Sensitivity.public, "--clearance", help="public, internal or restricted."
    ),
    generate: bool = typer.Option(
        False, "--generate", help="Generate a random password and print it once."
    ),
) -> None:
    """Add a user; the password is asked for (twice), or generated and printed once.

    Example: scidip users add alice --role editor --clearance internal --generate
    """
    if generate:
        password = generate_password()
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with session(ctx, write=True) as s:
        add_user(s, username, password, role, clearance)
    typer.echo(f"added {username} ({role.value}, clearance {clearance.value})")
    if generate:
        typer.echo(f"password (shown once): {password}")


@users_app.command("list")
def users_list(ctx: typer.Context, fmt: Format = FORMAT_OPTION) -> None:
    """List the users, their role, clearance and whether they are disabled."""
    with session(ctx) as s:
        rows = [
            {
                "username": u.username,
                "role": u.role,
                "clearance": u.clearance,
                "disabled": u.disabled,
                "created_at": u.created_at,
            }
            for u in list_users(s)
        ]
    render(rows, fmt, columns=["username", "role", "clearance", "disabled", "created_at"])


@users_app.command("disable")
def users_disable(
    ctx: typer.Context, username: str = typer.Argument(..., help="Login name.")
) -> None:
    """Disable a user: no more logins, and their API tokens stop working."""
    with session(ctx, write=True) as s:
        disable_user(s, username)
    typer.echo(f"disabled {username}")


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    label: str = typer.Option("", "--label", help="What the token is for."),
) -> None:
    """Issue an API bearer token for a user; it is printed once and only its digest is kept."""
    with session(ctx, write=True) as s:
        token = issue_token(s, enabled_user(s, username), label)
    typer.echo(f"token for {username} (shown once): {token}")


def bootstrap_admin(ctx: typer.Context) -> str | None:
    """When the database has no user yet, add ``admin`` (admin, restricted clearance) with a
    random password and return that password, to be printed once; otherwise ``None``."""
    with session(ctx, write=True) as s:
        if list_users(s):
            return None
        password = generate_password()
        add_user(s, "admin", password, Role.admin, Sensitivity.restricted)
        return password


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    first_admin: bool = typer.Option(
        True,
        "--first-admin/--no-first-admin",
        help="With no user yet, add 'admin' with a random password printed once.",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Server processes: one per core serves the most readers (each keeps its own cache "
        "of read answers, emptied by any write).",
    ),
) -> None:
    """Run the web workbench (pages and the JSON API under /api/v1).

    Example: scidip serve --port 8000 --workers 2
    """
    import uvicorn  # the server and the web app: only for this command

    from scidip.web.app import create_app

    password = bootstrap_admin(ctx) if first_admin else None
    url = f"http://{host}:{port}/"
    typer.echo(f"SciDip workbench: {url}  (API: {url}api/v1, OpenAPI: {url}docs)")
    if password is not None:
        typer.echo(f"first user: admin / {password}  (shown once; add others: scidip users add)")
    else:
        typer.echo("log in as a user added with `scidip users add NAME --role admin --generate`")
    if workers == 1:
        uvicorn.run(create_app(settings(ctx)), host=host, port=port, log_level="warning")
        return
    # Each process builds the app from the environment: hand it the settings in force.
    configured = settings(ctx)
    os.environ.update(
        SCIDIP_DATA_DIR=str(configured.data_dir),
        SCIDIP_DATABASE_URL=configured.resolved_database_url(),
        SCIDIP_HOME_PARTY=configured.home_party,
    )
    uvicorn.run(
        "scidip.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
