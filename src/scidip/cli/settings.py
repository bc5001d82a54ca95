"""The settings of a command, in a module of its own: light to import (no database library)."""

from __future__ import annotations

import typer

from scidip.config import DEFAULT_HOME_PARTY, Settings


def settings(ctx: typer.Context) -> Settings:
    """The settings the top-level callback built (``--database-url``, ``--home``); the
    defaults (``SCIDIP_*`` variables) when a command group runs on its own."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


def home_code(ctx: typer.Context, country: str | None) -> str:
    """``--country`` when given, else the home party (``--home``, ``SCIDIP_HOME_PARTY``), else
    the reference deployment's (these commands read the analytics stores, not the registry's
    datasets)."""
    return (country or settings(ctx).home_party or DEFAULT_HOME_PARTY).upper()
