"""``scidip mobility ...``: brain circulation, SciDip's own beside the MPIDR series."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from scidip.cli.indicators_common import (
    STORE_OPTION,
    store_of,
)
from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render_compact
from scidip.cli.settings import home_code
from scidip.errors import NotFound

app = typer.Typer(help="Brain circulation: scholars' moves, and the MPIDR series beside them.")

#: Where the MPIDR files lie beside a checkout (read there, never copied into the repository).
DEFAULT_REFERENCE = Path("..") / "shared" / "data" / "mpidr-scholarly-migration"
COUNTRY_OPTION = typer.Option(None, "--country", "-c", help="Country (default: the home party).")
FIELD_OPTION = typer.Option(
    None, "--field", help="Scholars of one OpenAlex field only (its id, e.g. 17); SciDip's data."
)


def _int(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def _rate(value: Any) -> str:
    return "" if value is None else f"{1000 * value:+.2f}"


@app.command("load-reference")
def load_reference(
    ctx: typer.Context,
    source: Path = typer.Argument(DEFAULT_REFERENCE, help="Folder of the MPIDR files."),
    store: Path | None = STORE_OPTION,
) -> None:
    """Load the MPIDR's published series (Akbaritabar, Theile & Zagheni 2024) as a reference."""
    from scidip.indicators.mobility.reference import load_reference as load

    target = store_of(ctx, store)
    with domain_errors():
        meta = load(source, target)
    for f in meta["files"]:
        typer.echo(f"loaded {f['file']}: {f['rows_kept']:,} rows")
    typer.echo(f"left out: {meta['rows_without_iso3_left_out']} rows without an ISO code")
    typer.echo(textwrap.fill(f"source: {meta['citation']}", width=80))


@app.command()
def compute(ctx: typer.Context, store: Path | None = STORE_OPTION) -> None:
    """Compute scholars' countries per year and their moves from the ingested authorships."""
    from scidip.indicators.mobility import service

    target = store_of(ctx, store)
    with domain_errors():
        meta = service.compute(target)
    rows = meta["rows"]
    typer.echo(f"{meta['scholars']:,} scholars with two or more publication years: "
               f"{rows['moves']:,} moves, {rows['flows']:,} flows")  # fmt: skip
    if meta["synthetic"]:
        err().print("[bold red]SYNTHETIC DATA[/]")


SHOW_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("year", "year", str),
    ("MPIDR pop.", "mpidr_padded_population", _int), ("in", "mpidr_inmigrations", _int),
    ("out", "mpidr_outmigrations", _int), ("net ‰", "mpidr_netmigrationrate", _rate),
    ("SciDip pop.", "scidip_padded_population", _int), ("in ", "scidip_inmigrations", _int),
    ("out ", "scidip_outmigrations", _int), ("net ‰ ", "scidip_netmigrationrate", _rate),
]  # fmt: skip


@app.command()
def show(
    ctx: typer.Context,
    country: str | None = COUNTRY_OPTION,
    series: str = typer.Option("openalex", "--series", help="MPIDR series: openalex or scopus."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A country's scholarly migration per year: the MPIDR series beside SciDip's own."""
    from scidip.indicators.mobility import service
    from scidip.indicators.mobility.reference import reference_meta

    code = home_code(ctx, country)
    target = store_of(ctx, store)
    with domain_errors():
        meta = reference_meta(target)
        rows = service.beside(target, code, series)
        try:
            synthetic = bool(service.read_meta(target)["synthetic"])
        except NotFound:
            synthetic = False
    own = "SciDip (SYNTHETIC DATA)" if synthetic else "SciDip (OpenAlex)"
    title = f"{code}: scholarly migration, MPIDR ({series}) beside {own}; net per 1,000"
    document = {"country": code, "reference": meta, "scidip_synthetic": synthetic, "rows": rows}
    render_compact(rows, fmt, SHOW_COLUMNS, title, document)
    if fmt is Format.table:
        typer.echo(textwrap.fill(f"MPIDR: {meta['citation']}", width=80))


FLOW_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("partner", "partner", str), ("to partner", "to_partner", _int),
    ("from partner", "from_partner", _int), ("net", "net", lambda v: f"{v:+,}"),
]  # fmt: skip


@app.command()
def flows(
    ctx: typer.Context,
    country: str | None = COUNTRY_OPTION,
    first: int = typer.Option(2016, "--from", help="First year."),
    last: int = typer.Option(2020, "--to", help="Last year."),
    source: str = typer.Option("mpidr", "--source", help="mpidr (Scopus flows) or scidip."),
    field: str | None = FIELD_OPTION,
    limit: int = typer.Option(15, "--limit", help="Partners shown in the table."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Researcher flows between a country and each partner, largest exchange first."""
    from scidip.indicators.mobility import service

    code = home_code(ctx, country)
    target = store_of(ctx, store)
    with domain_errors():
        rows = service.partner_flows(target, code, first, last, source, field)
    of_field = f", field {field}" if field else ""
    title = f"{code}: scholars moving to and from each partner, {first}-{last} ({source}{of_field})"
    shown = rows[:limit] if fmt is Format.table else rows
    render_compact(
        shown, fmt, FLOW_COLUMNS, title, {"country": code, "source": source, "rows": rows}
    )


TYPOLOGY_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("country", "country_code", str), ("stayers", "stayers", _int),
    ("inflows", "inflows", _int), ("outflows", "outflows", _int),
    ("returnees", "returnees", _int), ("transients", "transients", _int),
]  # fmt: skip


@app.command()
def typology(
    ctx: typer.Context,
    country: str | None = typer.Option(None, "--country", "-c", help="One country (default all)."),
    field: str | None = FIELD_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The OECD typology per country: stayers, inflows, outflows, returnees (SciDip's data)."""
    from scidip.indicators.mobility import service

    target = store_of(ctx, store)
    filters = [("country_code", "=", country.upper())] if country else []
    name, title = "typology", "Scholars by OECD type (SciDip)"
    if field:
        name, title = "field_typology", f"{title}, field {field}"
        filters.append(("field_id", "=", field))
    with domain_errors():
        rows = service.read(target, name, filters or None)
    render_compact(rows, fmt, TYPOLOGY_COLUMNS, title, {"field": field, "rows": rows})


FIELD_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("field", "field_id", str), ("name", "field_name", lambda v: (v or "")[:36]),
    ("in", "inmigrations", _int), ("out", "outmigrations", _int),
    ("net", "net", lambda v: f"{v:+,}"),
]  # fmt: skip


@app.command()
def fields(
    ctx: typer.Context,
    country: str | None = COUNTRY_OPTION,
    first: int = typer.Option(2016, "--from", help="First year."),
    last: int = typer.Option(2020, "--to", help="Last year."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A country's scholars moving in and out, by field (SciDip's own).

    A scholar's field is the modal OpenAlex field of their works over their career.
    """
    from scidip.indicators.mobility import service

    code = home_code(ctx, country)
    target = store_of(ctx, store)
    with domain_errors():
        rows = service.field_balance(target, code, first, last)
    title = f"{code}: scholars moving in and out by field, {first}-{last} (SciDip)"
    render_compact(rows, fmt, FIELD_COLUMNS, title, {"country": code, "rows": rows})
