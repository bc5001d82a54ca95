"""``scidip indicators ...``: S&T capability indicators from OpenAlex-format records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.config import Settings
from scidip.errors import InvalidData, SciDipError

app = typer.Typer(help="S&T capability indicators from OpenAlex-format bibliographic records.")

STORE_OPTION = typer.Option(
    None, "--store", help="Indicator store folder (default: <data_dir>/indicators)."
)
COUNTRY_OPTION = typer.Option(..., "--country", "-c", help="ISO 3166-1 alpha-3 code, e.g. JPN.")
WINDOW_OPTION = typer.Option(
    1, "--period-years", "-p", help="1: single years; 3 (the default window): 3-year moving."
)


class ChartKind(StrEnum):
    """Charts ``scidip indicators chart`` draws."""

    share = "share"
    rank = "rank"
    network = "network"


def _err() -> Console:
    return Console(stderr=True)


@contextmanager
def _domain_errors() -> Iterator[None]:
    """Domain errors become one message on stderr and a non-zero exit."""
    try:
        yield
    except SciDipError as exc:
        from scidip.cli.common import fail

        raise fail(exc) from exc


def _store(ctx: typer.Context, store: Path | None) -> Any:
    from scidip.indicators.store import Store

    if store is not None:
        return Store(store)
    obj = ctx.find_root().obj
    settings = obj if isinstance(obj, Settings) else Settings()
    return Store(settings.data_dir / "indicators")


def _synthetic_banner(store: Any) -> bool:
    from scidip.indicators.synthetic_label import CHART_LABEL

    synthetic = bool(store.read_meta("compute").get("synthetic", False))
    if synthetic:
        _err().print(f"[bold red]{CHART_LABEL}[/]")
    return synthetic


@app.command()
def generate(
    out: Path = typer.Argument(..., help="Folder to write the snapshot into."),
    works: int = typer.Option(10_000, "--works", "-n", help="Number of works."),
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed, the same works."),
    parquet: bool = typer.Option(False, "--parquet", help="Write Parquet instead of gzip JSON."),
    works_per_file: int = typer.Option(250_000, "--works-per-file", help="Works per part file."),
) -> None:
    """Write a SYNTHETIC snapshot in the OpenAlex works format (labelled synthetic)."""
    from scidip.indicators.synthetic import SyntheticSpec
    from scidip.indicators.synthetic_writers import write_snapshot

    spec = SyntheticSpec(works=works, seed=seed, works_per_file=works_per_file)
    with Progress(
        TextColumn("generating"), BarColumn(), TextColumn("{task.completed:,} works"),
        TimeElapsedColumn(), console=_err(), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("generate", total=works)
        parts = write_snapshot(spec, out, parquet=parquet, on_part=lambda n: bar.advance(task, n))
    _err().print(f"wrote {works:,} SYNTHETIC works in {len(parts)} file(s) under {out}")


@app.command()
def ingest(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ...,
        help="Snapshot roots (data/works is read), works folders, API response bodies or files.",
    ),
    store: Path | None = STORE_OPTION,
    release: str = typer.Option("", "--release", help="The snapshot release, as you name it."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Normalise OpenAlex works (JSON Lines .gz, API bodies, Parquet) into the store's tables."""
    from scidip.indicators.ingest import ingest as run_ingest
    from scidip.indicators.openalex import input_scope

    target = _store(ctx, store)
    with _domain_errors():
        scope = input_scope(paths)
        _err().print(scope.read_from)
        total = sum(f.path.stat().st_size for f in scope.files)
        with Progress(
            TextColumn("ingesting"), BarColumn(), DownloadColumn(),
            TextColumn("{task.fields[records]:,} records"), TimeElapsedColumn(),
            console=_err(), transient=True,
        ) as bar:  # fmt: skip
            task = bar.add_task("ingest", total=total, records=0)

            def advance(done_bytes: int, records: int) -> None:
                current = bar.tasks[0].fields["records"]
                bar.update(task, advance=done_bytes, records=current + records)

            report = run_ingest(paths, target, progress=advance, release=release)
    rows = [{"table": name, "rows": n} for name, n in report.table_rows.items()]
    rows += [
        {"table": "records read", "rows": report.records_read},
        {"table": "earlier versions superseded", "rows": report.superseded_records},
        {"table": "malformed records skipped", "rows": report.malformed},
    ]
    _err().print(f"data as of {report.data_as_of or 'unknown'} (latest updated_date)")
    if report.synthetic:
        _err().print("[bold red]input is SYNTHETIC data[/]")
    for bad in report.malformed_examples[:5]:
        _err().print(f"skipped {bad['source_file']}:{bad['source_line']}: {bad['reason']}")
    render(rows, fmt, columns=["table", "rows"], document={**vars(report), "works": report.works})


@app.command()
def compute(
    ctx: typer.Context,
    store: Path | None = STORE_OPTION,
    engine: str = typer.Option(
        None, "--engine", "-e", help="duckdb (default) or spark; $SCIDIP_INDICATORS_ENGINE."
    ),
    spark_master: str | None = typer.Option(
        None, "--spark-master", help="Spark master URL (default local[*]); implies spark."
    ),
    window: int = typer.Option(3, "--window", help="Years of the moving windows."),
    citation_window: int | None = typer.Option(
        None, "--citation-window", help="Count citations in N years from publication only."
    ),
    include_incomplete_year: bool = typer.Option(
        False,
        "--include-incomplete-year",
        help="Count works of the data's own year (default: left out); flagged incomplete.",
    ),
    without_country: bool | None = typer.Option(
        None,
        "--with-countryless/--without-countryless",
        help="Keep works with no known country in world totals, as XXX, or not "
        "(default: the method's; scidip and nistep keep them).",
    ),
    method: str = typer.Option(
        "scidip", "--method", "-m", help="Whose definitions: scidip (default), cwts or nistep."
    ),
    stability_samples: int = typer.Option(
        0,
        "--stability-samples",
        help="Bootstrap samples of the institutions' stability intervals (the Leiden Ranking: "
        "1000; default 0, none).",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compute every indicator from the ingested tables and write them to the store."""
    from scidip.indicators.compute import compute as run_compute
    from scidip.indicators.engine import EngineName, IndicatorSettings, connect
    from scidip.indicators.pipeline import ComputeOptions

    target = _store(ctx, store)
    with _domain_errors():
        settings = IndicatorSettings()
        if spark_master:
            settings.spark_master, engine = spark_master, "spark"
        try:
            name = EngineName(engine) if engine else settings.engine
        except ValueError:
            raise InvalidData(f"unknown engine {engine!r}: duckdb or spark") from None
        from scidip.indicators.method import MethodName

        try:
            chosen = MethodName(method)
        except ValueError:
            raise InvalidData(f"unknown method {method!r}: scidip, cwts or nistep") from None
        options = ComputeOptions(
            method=chosen,
            moving_window_years=window,
            citation_window_years=citation_window,
            include_incomplete_year=include_incomplete_year,
            without_country=without_country,
            stability_samples=stability_samples,
        )
        with _err().status(f"computing indicators on {name.value}"):
            report = run_compute(target, connect(name, settings), options)
    if report.synthetic:
        _err().print("[bold red]computed from SYNTHETIC data[/]")
    _err().print(_years_note(report.last_complete_year, include_incomplete_year))
    rows = [{"item": k, "works": v} for k, v in report.coverage.items()]
    rows += [{"item": f"rows in {k}", "works": v} for k, v in report.result_rows.items()]
    render(rows, fmt, columns=["item", "works"], document=vars(report))


@app.command()
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

    target = _store(ctx, store)
    with _domain_errors():
        synthetic = _synthetic_banner(target)
        rows = country_indicators(target, country, None if field == "each" else field, period_years)
        chosen = _columns(columns, rows) if columns else (SHOW_COLUMNS if wide else None)
    title = f"{country.upper()}: indicators ({'SYNTHETIC DATA' if synthetic else 'OpenAlex'})"
    if any(r.get("incomplete_period") for r in rows):
        title += "; * = incomplete year"
    document = {"country": country.upper(), "synthetic": synthetic, "rows": rows}
    if fmt is Format.table and chosen is None:
        short = compact(rows, COMPACT_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in COMPACT_COLUMNS], title=title)
    else:
        render(rows, fmt, columns=chosen or SHOW_COLUMNS, title=title, document=document)


def _columns(text: str, rows: list[dict[str, Any]]) -> list[str]:
    """The columns ``--columns`` names, checked against the rows'."""
    names = [c.strip() for c in text.split(",") if c.strip()]
    known = list(rows[0]) if rows else []
    unknown = [c for c in names if c not in known]
    if unknown:
        raise InvalidData(f"unknown column(s) {', '.join(unknown)}: one of {', '.join(known)}")
    return names


@app.command("list")
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

    target = _store(ctx, store)
    with _domain_errors():
        synthetic = _synthetic_banner(target)
        rows = countries_in_period(
            target, period, period_years=period_years, field=field, sort=sort,
            ascending=ascending, limit=limit,
        )  # fmt: skip
    span = f"{period - period_years + 1}-{period}" if period_years > 1 else str(period)
    title = f"Countries, {span}, field {field}, by {sort}"
    document = {"synthetic": synthetic, "sort": sort, "rows": rows}
    if fmt is Format.table:
        cols = LIST_COLUMNS + (
            [] if sort in {c for _, c, _ in LIST_COLUMNS} else [(sort, sort, "{:.4g}")]
        )
        render(compact(rows, cols), fmt, columns=[h for h, _, _ in cols], title=title)
    else:
        others = [c for _, c, _ in LIST_COLUMNS[1:] if c != sort]
        render(rows, fmt, columns=["country_code", sort, *others], document=document)


@app.command()
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

    target = _store(ctx, store)
    with _domain_errors():
        synthetic = _synthetic_banner(target)
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
        cols = ["institution_id", "ror", *[c for _, c, _ in INSTITUTION_COLUMNS], "rank_p_frac"]
        render(rows, fmt, columns=cols, document=document)


@app.command()
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
    from scidip.indicators.show import PARTNER_COLUMNS, top_partners

    target = _store(ctx, store)
    if field is not None:
        _field_partners(target, country, field, period, period_years, limit, fmt)
        return
    with _domain_errors():
        synthetic = _synthetic_banner(target)
        rows = top_partners(target, country, limit, period_years)
    document = {"country": country.upper(), "synthetic": synthetic, "rows": rows}
    render(rows, fmt, columns=PARTNER_COLUMNS, title=f"{country.upper()}: partners",
           document=document)  # fmt: skip


def _field_partners(
    target: Any, country: str, field: str, period: int | None, years: int, limit: int, fmt: Format
) -> None:
    from scidip.indicators.partners import FIELD_PARTNER_COLUMNS, field_partners
    from scidip.indicators.show import compact

    with _domain_errors():
        if period is None:
            raise InvalidData("--field needs --period (the period's last year)")
        synthetic = _synthetic_banner(target)
        own, rows = field_partners(target, country, field, period, years)
    code = country.upper()
    mine = "no papers" if own is None else f"{own['papers_frac']:,.1f} papers"
    if own is not None and own["rsi"] is not None:
        mine += f", RSI {own['rsi']:+.2f}"
    name = rows[0]["field_name"] if rows else field
    span = f"{period - years + 1}-{period}" if years > 1 else str(period)
    title = f"{code} in {name}, {span} ({mine}): countries by top-10 % papers"
    document = {"country": code, "field_id": field, "own": own, "synthetic": synthetic,
                "rows": rows}  # fmt: skip
    if fmt is Format.table:
        short = compact(rows[:limit], FIELD_PARTNER_COLUMNS)
        render(short, fmt, columns=[h for h, _, _ in FIELD_PARTNER_COLUMNS], title=title)
    else:
        render(rows, fmt, columns=[c for _, c, _ in FIELD_PARTNER_COLUMNS], document=document)


def _years_note(last_complete: int | None, included: bool) -> str:
    if last_complete is None:
        return "the data's date is unknown: every publication year is counted"
    if included:
        return f"years after {last_complete} are incomplete: counted, flagged incomplete_period"
    return f"years after {last_complete} are incomplete: left out (--include-incomplete-year)"


@app.command()
def coverage(
    ctx: typer.Context,
    by_year: bool = typer.Option(False, "--by-year", help="One row per publication year."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Which works were counted, which were excluded and why, and gaps among counted works."""
    from scidip.indicators.show import COVERAGE_YEAR_COLUMNS, coverage_by_year
    from scidip.indicators.show import coverage as read_coverage

    target = _store(ctx, store)
    with _domain_errors():
        synthetic = _synthetic_banner(target)
        rows = coverage_by_year(target) if by_year else read_coverage(target)
    columns = COVERAGE_YEAR_COLUMNS if by_year else ["item", "works"]
    render(rows, fmt, columns=columns, document={"synthetic": synthetic, "rows": rows})


@app.command()
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

    target = _store(ctx, store)
    code = country.upper()
    with _domain_errors():
        synthetic = _synthetic_banner(target)
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
    _err().print(f"wrote {path}")
