"""``scidip report ...``: the annual report chapter, country briefs, reconciliation."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer

from scidip.cli.common import AS_OF_HELP, home_of, parse_as_of, session, settings
from scidip.db.base import Sensitivity
from scidip.materials.store import resolve_store_dir
from scidip.reports.context.annual import build_annual
from scidip.reports.context.country import build_country
from scidip.reports.context.sections import (
    evidence_annex,
    flows_section,
    indicators_section,
    materials_section,
    technologies_section,
)
from scidip.reports.reconcile import reconcile as build_reconciliation
from scidip.reports.render import ReportFormat, render_report

app = typer.Typer(help="Reports from the registry: annual chapter, country brief, reconciliation.")

FORMAT = typer.Option(ReportFormat.md, "--format", "-f", help="md, html or pdf.")
OUT = typer.Option(None, "--out", "-o", help="File to write; default: standard output.")
CLEARANCE = typer.Option(
    Sensitivity.restricted,
    "--clearance",
    help="Leave out records above this sensitivity: public, internal or restricted (all).",
)
GENERATED_ON = typer.Option(
    None, "--generated-on", help="Date printed as the generation date (YYYY-MM-DD); default today."
)


def _write(content: bytes, out: Path | None, fmt: ReportFormat) -> None:
    if out is not None:
        out.write_bytes(content)
        typer.echo(f"wrote {out} ({fmt.value}, {len(content)} bytes)", err=True)
    elif fmt is ReportFormat.pdf and sys.stdout.isatty():
        raise typer.BadParameter("a PDF is not printed on a terminal: give --out FILE")
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()


@app.command()
def reconcile(
    ctx: typer.Context,
    fmt: ReportFormat = FORMAT,
    out: Path | None = OUT,
    clearance: Sensitivity = CLEARANCE,
    as_of: str | None = typer.Option(None, "--as-of", help="Date for figures that give none."),
    generated_on: str | None = GENERATED_ON,
) -> None:
    """Every published figure beside the registry's count on its date: match or differs, and
    what makes up a difference.

    Example: scidip report reconcile
    """
    today = parse_as_of(generated_on)
    with session(ctx) as s:
        result = build_reconciliation(s, today, clearance, parse_as_of(as_of))
        content = render_report("reconcile", fmt, r=result)
    _write(content, out, fmt)


@app.command()
def annual(
    ctx: typer.Context,
    year: int = typer.Option(..., "--year", help="The year the chapter reports, e.g. 2022."),
    fmt: ReportFormat = FORMAT,
    out: Path | None = OUT,
    clearance: Sensitivity = CLEARANCE,
    generated_on: str | None = GENERATED_ON,
    chart: bool = typer.Option(True, "--chart/--no-chart", help="Chart of the year's engagements."),
    annex: bool = typer.Option(
        False, "--evidence-annex", help="Add the technology positions and net scholar migration."
    ),
) -> None:
    """The year's chapter (posts, advisory board, recommendations, exchanges, visits, seminars,
    agreements with the successions footnote, joint committees, multilateral participation),
    computed from the registry alone.

    Example: scidip report annual --year 2022 --format pdf --out chapter-2022.pdf
    """
    today = parse_as_of(generated_on)
    with session(ctx) as s:
        home = home_of(ctx, s)
        report = build_annual(s, home, year, today, clearance, chart=chart)
        if annex:
            store_dir = settings(ctx).data_dir / "indicators"
            report.annex = evidence_annex(s, store_dir, home, year, clearance)
        content = render_report("annual", fmt, a=report)
    _write(content, out, fmt)


@app.command()
def country(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="The partner's code, e.g. KAZ or EU."),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    fmt: ReportFormat = FORMAT,
    out: Path | None = OUT,
    clearance: Sensitivity = CLEARANCE,
    generated_on: str | None = GENERATED_ON,
) -> None:
    """Everything the registry knows about one partner: agreements (inherited ones with their
    predecessor and date), joint committees and when the next is due, recent engagements,
    recommendations that concern it.

    Example: scidip report country KAZ --as-of 2022-12-31
    """
    on: date = parse_as_of(as_of)
    with session(ctx) as s:
        home = home_of(ctx, s)
        data_dir = settings(ctx).data_dir
        sections = [
            materials_section(resolve_store_dir(settings(ctx)), home),
            indicators_section(data_dir / "indicators", home),
            technologies_section(data_dir / "indicators", home),
            flows_section(data_dir / "indicators", home),
        ]
        brief = build_country(
            s, home, code.upper(), on, parse_as_of(generated_on), clearance, sections
        )
        content = render_report("country", fmt, c=brief)
    _write(content, out, fmt)
