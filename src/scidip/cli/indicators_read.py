"""The reading commands of ``scidip indicators``: show, list, institutions, partners,
coverage, chart (registered on the group by :mod:`scidip.cli.indicators`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from scidip.cli.indicators_common import (
    COUNTRY_OPTION,
    STORE_OPTION,
    WINDOW_OPTION,
    period_span,
    store_of,
    synthetic_banner,
)
from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render
from scidip.errors import InvalidData


class ChartKind(StrEnum):
    """Charts ``scidip indicators chart`` draws."""

    share = "share"
    rank = "rank"
    network = "network"


def show(
    ctx: typer.Context,
    country: str = COUNTRY_OPTION,
    field: str = typer.Option(
        "all", "--field", help="Field id (e.g. 17), 'all' (default) or 'each' for every field."
    ),
    period_years: int = WINDOW_OPTION,
    columns: str | None = typer.Option(
        None, "--columns", help="Comma-separated columns to print (any of the JSON's)."
    ),
    wide: bool = typer.Option(False, "--wide", help="Every default column, wider than 80."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A country's indicators over time: papers, shares, top 10 %/1 %, co-authorship, RSI, rank.

    The table fits 80 columns (field names wrap); --wide or --columns print more.
    """
    from scidip.indicators.show import COMPACT_COLUMNS, SHOW_COLUMNS, compact, country_indicators

    target = store_of(ctx, store)
    with domain_errors():
        synthetic = synthetic_banner(target)
        rows = country_indicators(target, country, None if field == "each" else field, period_years)
        chosen = _columns(columns, rows) if columns else (SHOW_COLUMNS if wide else None)
    title = f"{country.upper()}: indicators ({'SYNTHETIC DATA' if synthetic else 'OpenAlex'})"
    if any(r.get("incomplete_period") for r in rows):
        title += "; * = incomplete year"
    document = {"country": country.upper(), "synthetic": synthetic, "rows": rows}
    if fmt is Format.table and chosen is None:
        short = compact(rows, COMPACT_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in COMPACT_COLUMNS], title=title)
        return
    if chosen is None or (fmt is Format.csv and not columns):
        chosen = every_column(SHOW_COLUMNS, rows)
    render(rows, fmt, columns=chosen, title=title, document=document)


def every_column(first: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """``first``, then every other column of ``rows``: what CSV carries (JSON carries the rows
    whole), so that an export loses nothing, the bounds of the stability intervals included."""
    return [*first, *(c for c in (rows[0] if rows else {}) if c not in first)]


def _columns(text: str, rows: list[dict[str, Any]]) -> list[str]:
    """The columns ``--columns`` names, checked against the rows'."""
    names = [c.strip() for c in text.split(",") if c.strip()]
    known = list(rows[0]) if rows else []
    unknown = [c for c in names if c not in known]
    if unknown:
        raise InvalidData(f"unknown column(s) {', '.join(unknown)}: one of {', '.join(known)}")
    return names


def list_countries(
    ctx: typer.Context,
    period: int = typer.Option(..., "--period", help="The period's last year, e.g. 2022."),
    period_years: int = WINDOW_OPTION,
    field: str = typer.Option("all", "--field", help="Field id (e.g. 17) or 'all' (default)."),
    sort: str = typer.Option(
        "papers_frac", "--sort", help="Any indicator column, e.g. top10_own_share_frac_pct."
    ),
    ascending: bool = typer.Option(False, "--ascending", help="Smallest first."),
    limit: int | None = typer.Option(None, "--limit", help="Print only the first N."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every country in one period, sorted by any indicator (largest first)."""
    from scidip.indicators.show import LIST_COLUMNS, compact, countries_in_period

    target = store_of(ctx, store)
    with domain_errors():
        synthetic = synthetic_banner(target)
        rows = countries_in_period(
            target, period, period_years=period_years, field=field, sort=sort,
            ascending=ascending, limit=limit,
        )  # fmt: skip
    span = period_span(period, period_years)
    title = f"Countries, {span}, field {field}, by {sort}"
    document = {"synthetic": synthetic, "sort": sort, "rows": rows}
    if fmt is Format.table:
        cols = LIST_COLUMNS + (
            []
            if sort in {c for _, c, _ in LIST_COLUMNS}
            else [(sort.replace("_", " "), sort, "{:.4g}")]
        )
        render(compact(rows, cols), fmt, columns=[h for h, _, _ in cols], title=title)
    else:
        others = [c for _, c, _ in LIST_COLUMNS[1:] if c != sort]
        render(
            rows,
            fmt,
            columns=every_column(["country_code", sort, *others], rows),
            document=document,
        )


def institutions(
    ctx: typer.Context,
    period: int = typer.Option(..., "--period", help="The period's last year, e.g. 2022."),
    period_years: int = typer.Option(
        3, "--period-years", "-p", help="The window computed (compute --window; default 3)."
    ),
    sort: str = typer.Option("p_frac", "--sort", help="Any column, e.g. pp_top10_pct or mncs."),
    ascending: bool = typer.Option(False, "--ascending", help="Smallest first."),
    limit: int | None = typer.Option(25, "--limit", help="Print only the first N (default 25)."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Institutions in one period (Leiden Ranking style), with stability intervals if computed."""
    from scidip.indicators.show import INSTITUTION_COLUMNS, compact, institutions_in_period

    target = store_of(ctx, store)
    with domain_errors():
        synthetic = synthetic_banner(target)
        rows = institutions_in_period(
            target, period, period_years=period_years, sort=sort, ascending=ascending,
            limit=limit,
        )  # fmt: skip
    title = f"Institutions, {period - period_years + 1}-{period}, by {sort}"
    document = {"synthetic": synthetic, "sort": sort, "rows": rows}
    if fmt is Format.table:
        short = compact(rows, INSTITUTION_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in INSTITUTION_COLUMNS], title=title)
    else:
        shown = [c for _, c, _ in INSTITUTION_COLUMNS if c != "institution_label"]
        cols = ["institution_id", "ror", "institution_name", *shown, "rank_p_frac"]
        render(rows, fmt, columns=every_column(cols, rows), document=document)


def partners(
    ctx: typer.Context,
    country: str = COUNTRY_OPTION,
    limit: int = typer.Option(10, "--limit", help="Partners per period."),
    period_years: int = WINDOW_OPTION,
    field: str | None = typer.Option(
        None, "--field", help="One field: every country's strength in it and our co-papers."
    ),
    period: int | None = typer.Option(None, "--period", help="With --field: the period's end."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """A country's strongest co-authoring partners per period; with --field and --period, every
    country strong in the field (by top-10 % papers) and the papers co-authored with it there."""
    from scidip.indicators.show import PARTNER_COLUMNS, PARTNER_TABLE_COLUMNS, compact, top_partners

    target = store_of(ctx, store)
    if field is not None:
        _field_partners(target, country, field, period, period_years, limit, fmt)
        return
    with domain_errors():
        synthetic = synthetic_banner(target)
        rows = top_partners(target, country, limit, period_years)
    document = {"country": country.upper(), "synthetic": synthetic, "rows": rows}
    title = f"{country.upper()}: partners by co-papers"
    if fmt is Format.table:
        short = compact(rows, PARTNER_TABLE_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in PARTNER_TABLE_COLUMNS], title=title)
    else:
        render(rows, fmt, columns=every_column(PARTNER_COLUMNS, rows), document=document)


def _field_partners(
    target: Any, country: str, field: str, period: int | None, years: int, limit: int, fmt: Format
) -> None:
    from scidip.indicators.partners import FIELD_PARTNER_COLUMNS, field_partners
    from scidip.indicators.show import compact

    with domain_errors():
        if period is None:
            raise InvalidData("--field needs --period (the period's last year)")
        synthetic = synthetic_banner(target)
        own, rows = field_partners(target, country, field, period, years)
    code = country.upper()
    mine = "no papers" if own is None else f"{own['papers_frac']:,.1f} papers"
    if own is not None and own["rsi"] is not None:
        mine += f", RSI {own['rsi']:+.2f}"
    name = rows[0]["field_name"] if rows else field
    span = period_span(period, years)
    title = f"{code} in {name}, {span} ({mine}): countries by top-10 % papers"
    document = {"country": code, "field_id": field, "own": own, "synthetic": synthetic,
                "rows": rows}  # fmt: skip
    if fmt is Format.table:
        short = compact(rows[:limit], FIELD_PARTNER_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in FIELD_PARTNER_COLUMNS], title=title)
    else:
        fields = [c for _, c, _ in FIELD_PARTNER_COLUMNS]
        render(rows, fmt, columns=every_column(fields, rows), document=document)


def coverage(
    ctx: typer.Context,
    by_year: bool = typer.Option(False, "--by-year", help="One row per publication year."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every record read: earlier versions, works counted, excluded and why, and gaps among the
    counted."""
    from scidip.indicators.show import COVERAGE_YEAR_COLUMNS, coverage_by_year
    from scidip.indicators.show import coverage as read_coverage

    target = store_of(ctx, store)
    with domain_errors():
        synthetic = synthetic_banner(target)
        rows = coverage_by_year(target) if by_year else read_coverage(target)
    columns = COVERAGE_YEAR_COLUMNS if by_year else ["item", "works"]
    if by_year and fmt is Format.csv:
        # Every column of coverage_by_year (docs/indicators.md), not the table's short names.
        short = set(COVERAGE_YEAR_COLUMNS) - {"works", "counted", "excluded"}
        columns = [c for c in (rows[0] if rows else {}) if c not in short]
    elif fmt is Format.csv:
        columns = every_column(columns, rows)
    render(rows, fmt, columns=columns, document={"synthetic": synthetic, "rows": rows})


def chart(
    ctx: typer.Context,
    country: str = COUNTRY_OPTION,
    kind: ChartKind = typer.Option(ChartKind.share, "--kind", help="share, rank or network."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file: .svg, .png or .html."),
    period_years: int = WINDOW_OPTION,
    field: str = typer.Option("all", "--field", help="share, rank: field id (default all)."),
    limit: int = typer.Option(10, "--limit", help="network: partners to draw."),
    store: Path | None = STORE_OPTION,
) -> None:
    """Draw share or rank over time, or the network of top partners (latest period)."""
    from scidip.indicators import charts
    from scidip.indicators.show import country_indicators, top_partners

    target = store_of(ctx, store)
    code = country.upper()
    with domain_errors():
        synthetic = synthetic_banner(target)
        if kind is ChartKind.network:
            rows = top_partners(target, code, limit, period_years)
            last = max((r["period_end"] for r in rows), default=None)
            latest = [r for r in rows if r["period_end"] == last]
            path = charts.network_chart(latest, code, out, synthetic=synthetic)
        else:
            rows = country_indicators(target, code, field, period_years)
            draw = charts.share_chart if kind is ChartKind.share else charts.rank_chart
            name = None if field == "all" else str(rows[0]["field_name"])
            path = draw(rows, code, out, synthetic=synthetic, field=name)
    err().print(f"wrote {path}")
