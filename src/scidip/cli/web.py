"""``scidip serve`` and ``scidip users ...``: the web workbench and its users."""

from __future__ import annotations

import os
from datetime import timedelta

import typer

from scidip.auth.models import Role
from scidip.auth.passwords import generate_password
from scidip.auth.service import (
    add_user,
    disable_user,
    enabled_user,
    issue_token,
    list_users,
    reset_password,
    retire_bootstrap,
    set_clearance,
    set_role,
)
from scidip.cli.common import session, settings
from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.db.base import Sensitivity

users_app = typer.Typer(
    help="Users of the web workbench: add, list, disable, token, reset-password, set-role, "
    "set-clearance. Every change is in the audit log (actor: the system user running it)."
)


def _actor() -> str:
    """Who the audit log names for a change made on the command line."""
    return f"cli:{os.environ.get('USER') or os.environ.get('LOGNAME') or 'unknown'}"


def _password(generate: bool) -> str:
    if generate:
        return generate_password()
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


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
    password = _password(generate)
    with session(ctx, write=True) as s:
        add_user(s, username, password, role, clearance, actor=_actor())
        retired = [u.username for u in list_users(s) if u.bootstrap and u.disabled]
    typer.echo(f"added {username} ({role.value}, clearance {clearance.value})")
    if generate:
        typer.echo(f"password (shown once): {password}")
    if role is Role.admin and retired:
        typer.echo(f"disabled the first admin ({', '.join(retired)}): another admin exists")


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
    """Disable a user: no more logins; their sessions end and their API tokens are revoked."""
    with session(ctx, write=True) as s:
        disable_user(s, username, actor=_actor())
    typer.echo(f"disabled {username}")


@users_app.command("reset-password")
def users_reset_password(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    generate: bool = typer.Option(
        False, "--generate", help="Generate a random password and print it once."
    ),
) -> None:
    """Set a new password for a user; their sessions end, their API tokens are revoked, and
    they must change it when they next log in.

    Example: scidip users reset-password alice --generate
    """
    password = _password(generate)
    with session(ctx, write=True) as s:
        reset_password(s, username, password, actor=_actor())
    typer.echo(
        f"reset the password of {username}: to be changed at next login; sessions, tokens ended"
    )
    if generate:
        typer.echo(f"password (shown once): {password}")


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    role: Role = typer.Argument(..., help="viewer, editor or admin."),
) -> None:
    """Change a user's role. Example: scidip users set-role alice editor"""
    with session(ctx, write=True) as s:
        set_role(s, username, role, actor=_actor())
    typer.echo(f"{username} is now {role.value}")


@users_app.command("set-clearance")
def users_set_clearance(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    clearance: Sensitivity = typer.Argument(..., help="public, internal or restricted."),
) -> None:
    """Change a user's clearance. Example: scidip users set-clearance alice internal"""
    with session(ctx, write=True) as s:
        set_clearance(s, username, clearance, actor=_actor())
    typer.echo(f"{username} is now cleared for {clearance.value}")


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Login name."),
    label: str = typer.Option("", "--label", help="What the token is for."),
    days: int = typer.Option(90, "--days", min=1, max=366, help="Days until it expires."),
) -> None:
    """Issue an API bearer token for a user; it is printed once and only its digest is kept.
    It expires after --days; the user lists and revokes theirs at /account or the API."""
    with session(ctx, write=True) as s:
        token = issue_token(s, enabled_user(s, username), label, timedelta(days=days))
    typer.echo(f"token for {username}, valid {days} days (shown once): {token}")


def bootstrap_admin(ctx: typer.Context) -> str | None:
    """When the database has no user yet, add ``admin`` (admin, restricted clearance) with a
    random password and return that password, to be printed once; otherwise ``None``.

    That first admin is disabled as soon as another enabled admin exists, unless its password
    was changed first (:func:`~scidip.auth.service.retire_bootstrap`; checked here too)."""
    with session(ctx, write=True) as s:
        if list_users(s):
            retire_bootstrap(s)
            return None
        password = generate_password()
        add_user(s, "admin", password, Role.admin, Sensitivity.restricted, bootstrap=True)
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
        typer.echo(f"first user: admin / {password}  (shown once; change it at /account,")
        typer.echo("or add your own admin: this one is then disabled)")
    else:
        typer.echo("log in as a user added with `scidip users add NAME --role admin --generate`")
    if workers == 1:
        uvicorn.run(
            create_app(settings(ctx)),
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=False,  # SCIDIP_TRUST_PROXY decides (scidip.web.security)
        )
        return
    # Each process builds the app from the environment: hand it the settings in force.
    configured = settings(ctx)
    os.environ.update(
        SCIDIP_DATA_DIR=str(configured.data_dir),
        SCIDIP_DATABASE_URL=configured.resolved_database_url(),
    )
    for name, value in (("HOME_PARTY", configured.home_party), ("DATASET", configured.dataset)):
        if value:
            os.environ[f"SCIDIP_{name}"] = value
    uvicorn.run(
        "scidip.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )
