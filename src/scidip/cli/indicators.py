"""``scidip indicators ...``: S&T capability indicators from OpenAlex-format records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TypeVar

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

from scidip.cli import indicators_read as read
from scidip.cli.indicators_common import (
    STORE_OPTION,
    store_of,
    years_note,
)
from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render
from scidip.errors import InvalidData

_E = TypeVar("_E", bound=StrEnum)
app = typer.Typer(help="S&T capability indicators from OpenAlex-format bibliographic records.")


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
        TimeElapsedColumn(), console=err(), transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("generate", total=works)
        parts = write_snapshot(spec, out, parquet=parquet, on_part=lambda n: bar.advance(task, n))
    err().print(f"wrote {works:,} SYNTHETIC works in {len(parts)} file(s) under {out}")


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

    target = store_of(ctx, store)
    with domain_errors():
        scope = input_scope(paths)
        err().print(scope.read_from)
        total = sum(f.path.stat().st_size for f in scope.files)
        with Progress(
            TextColumn("ingesting"), BarColumn(), DownloadColumn(),
            TextColumn("{task.fields[records]:,} records"), TimeElapsedColumn(),
            console=err(), transient=True,
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
    err().print(f"data as of {report.data_as_of or 'unknown'} (latest updated_date)")
    if report.synthetic:
        err().print("[bold red]input is SYNTHETIC data[/]")
    for bad in report.malformed_examples[:5]:
        err().print(f"skipped {bad['source_file']}:{bad['source_line']}: {bad['reason']}")
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
        help="Bootstrap samples of the stability intervals of institutions and countries "
        "(the Leiden Ranking: 1000; default 0, none).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap draws (default 0)."),
    parents: bool = typer.Option(
        False,
        "--parents",
        help="Count institutions merged to their top-level parents (OpenAlex's lineage); "
        "default: as the records name them.",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compute every indicator from the ingested tables and write them to the store."""
    from scidip.indicators.compute import compute as run_compute
    from scidip.indicators.engine import EngineName, IndicatorSettings, connect
    from scidip.indicators.pipeline import ComputeOptions

    target = store_of(ctx, store)
    with domain_errors():
        settings = IndicatorSettings.from_settings()
        if spark_master:
            settings.spark_master, engine = spark_master, "spark"
        try:
            name = EngineName(engine) if engine else settings.engine
        except ValueError:
            raise InvalidData(f"unknown engine {engine!r}: duckdb or spark") from None
        from scidip.indicators.lineage import InstitutionLevel
        from scidip.indicators.method import MethodName

        chosen = _choice(MethodName, method, "method")
        options = ComputeOptions(
            method=chosen,
            moving_window_years=window,
            citation_window_years=citation_window,
            include_incomplete_year=include_incomplete_year,
            without_country=without_country,
            stability_samples=stability_samples,
            seed=seed,
            institution_level=InstitutionLevel.top if parents else InstitutionLevel.given,
        )
        doing = f"computing indicators on {name.value}"
        if stability_samples:
            doing += f", {stability_samples:,} bootstrap samples (minutes per million works)"
        with err().status(doing):
            report = run_compute(target, connect(name, settings), options)
    if report.synthetic:
        err().print("[bold red]computed from SYNTHETIC data[/]")
    err().print(years_note(report.last_complete_year, include_incomplete_year))
    rows = [{"item": k, "works": v} for k, v in report.coverage.items()]
    rows += [{"item": f"rows in {k}", "works": v} for k, v in report.result_rows.items()]
    render(rows, fmt, columns=["item", "works"], document=vars(report))


def _choice(kind: type[_E], value: str, what: str) -> _E:
    """``value`` as one of ``kind``'s members; :class:`InvalidData` naming them otherwise."""
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(m.value for m in kind)
        raise InvalidData(f"unknown {what} {value!r}: {names}") from None


# The reading commands, defined in their own module.
app.command()(read.show)
app.command("list")(read.list_countries)
app.command()(read.institutions)
app.command()(read.partners)
app.command()(read.coverage)
app.command()(read.chart)
