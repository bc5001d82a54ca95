"""Rendering of command results as a table, JSON or CSV, the same way for every command."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from scidip.csvcells import csv_text
from scidip.dates import PartialDate, Tri
from scidip.errors import SciDipError


class Format(StrEnum):
    """Output formats every listing command accepts."""

    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(
    Format.table, "--format", "-f", help="Output format: table, json or csv."
)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, (Enum, Tri)):
        return value.value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def row_of(item: Any) -> dict[str, Any]:
    """A dataclass instance as a row, one level deep (partial dates stay whole)."""
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def render(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    document: Mapping[str, Any] | None = None,
    console: Console | None = None,
) -> None:
    """Print ``rows`` in ``fmt``.

    ``document``, when given, is what JSON prints instead of the bare rows (a summary with the rows
    inside it); the table and CSV formats always print the rows.
    """
    cols = list(columns) if columns is not None else (list(rows[0].keys()) if rows else [])
    if fmt is Format.json:
        payload = document if document is not None else [dict(r) for r in rows]
        sys.stdout.write(json.dumps(_plain(payload), indent=2, ensure_ascii=False) + "\n")
        return
    if fmt is Format.csv:
        sys.stdout.write(csv_text(cols, ([_cell(row.get(c)) for c in cols] for row in rows)))
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    (console or Console()).print(table)


#: A compact table's column: (header, field of the row, how to show its value).
Column = tuple[str, str, Callable[[Any], str]]


def render_compact(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    columns: Sequence[Column],
    title: str,
    document: Mapping[str, Any],
) -> None:
    """A table of short, formatted columns that fits 80 columns; JSON prints ``document`` and
    CSV the rows' raw fields (the columns' fields)."""
    if fmt is Format.table:
        short = [{h: show(r.get(c)) for h, c, show in columns} for r in rows]
        render(short, fmt, columns=[h for h, _, _ in columns], title=title)
    else:
        render(rows, fmt, columns=[c for _, c, _ in columns], document=document)


def err() -> Console:
    """The console of messages: standard error."""
    return Console(stderr=True)


@contextmanager
def domain_errors() -> Iterator[None]:
    """A domain error becomes one message on stderr and the exit code every command uses
    (:func:`scidip.cli.common.fail`)."""
    try:
        yield
    except SciDipError as exc:
        from scidip.cli.common import fail

        raise fail(exc) from exc
