"""``scidip tech ...``: the open critical-technology tracker (docs/tech.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from scidip.cli.indicators_common import (
    STORE_OPTION,
    store_of,
)
from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render, render_compact
from scidip.cli.settings import home_code
from scidip.errors import InvalidData, NotFound

app = typer.Typer(help="Who leads each critical technology, how sure we are, and why.")

DEFINITIONS_OPTION = typer.Option(
    None, "--definitions", "-d", help="A technology list file (YAML) of your own; repeatable."
)
LIST_OPTION = typer.Option(None, "--list", "-l", help="One list: us-cet, jp-esp, aspi...")
METHOD_OPTION = typer.Option("scidip", "--method", "-m", help="scidip, cwts or nistep.")
COUNTING_OPTION = typer.Option("frac", "--counting", help="frac (default) or whole counting.")
SWITCH_OPTION = typer.Option(
    False, "--exclude-same-country", help="Top 10 % decided without same-country citations."
)
YEARS_OPTION = typer.Option(5, "--years", "-y", help="Window length: 5 (default) or 1.")
PERIOD_OPTION = typer.Option(None, "--period", "-p", help="The window's last year (default: last).")
COUNTRY_OPTION = typer.Option(None, "--country", "-c", help="Country (default: the home party).")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _method(name: str) -> Any:
    from scidip.indicators.method import MethodName

    try:
        return MethodName(name)
    except ValueError:
        raise InvalidData(f"method must be one of scidip, cwts, nistep, not {name!r}") from None


def _of_list(rows: list[dict[str, Any]], name: str | None) -> list[dict[str, Any]]:
    """The rows of list ``name``'s technologies (all when None)."""
    return [r for r in rows if name is None or r["tech_key"].startswith(f"{name}/")]


def _span(row: dict[str, Any]) -> str:
    start, end = row["period_start"], row["period_end"]
    return str(end) if start == end else f"{start}-{end}"


def _banner(meta: dict[str, Any]) -> dict[str, Any]:
    """The synthetic-data banner on stderr when the tracked works are synthetic."""
    if meta.get("synthetic"):
        from scidip.indicators.synthetic_label import CHART_LABEL

        err().print(f"[bold red]{CHART_LABEL}[/]")
    return meta


def _title(meta: dict[str, Any], what: str) -> str:
    """A table's title: what it shows, and the definitions (list, edition, mapping version)."""
    labels = "; ".join(d["label"] for d in meta["definitions"])
    synthetic = "SYNTHETIC DATA. " if meta.get("synthetic") else ""
    return f"{synthetic}{what}. Definitions: {labels}"


@app.command("lists")
def lists_(
    definitions: list[Path] | None = DEFINITIONS_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """The technology lists: edition, SciDip's mapping version, coverage and source."""
    from scidip.indicators.tech.definitions import load_lists

    with domain_errors():
        found = load_lists(definitions)
    rows = [{"list": t.list_id, "label": t.label, "technologies": len(t.technologies),
             "coverage": t.coverage, "source": t.source.get("citation", ""),
             "url": t.source.get("url", "")} for t in found]  # fmt: skip
    cols = ["list", "technologies", "coverage"] if fmt is Format.table else None
    render(rows, fmt, columns=cols, title="Technology lists")


@app.command()
def definitions(
    name: str = typer.Argument(..., help="The list: us-cet, jp-esp, aspi..."),
    extra: list[Path] | None = DEFINITIONS_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Each technology of a list and its query (subfields, topics, keywords)."""
    from scidip.indicators.tech.definitions import load_lists, select

    with domain_errors():
        techs = select(load_lists(extra), name)
    rows = [{"technology": t.key, "name": t.name, "subfields": list(t.subfields),
             "topics": list(t.topics), "keywords": list(t.keywords),
             "crosswalk": list(t.crosswalk)} for t in techs]  # fmt: skip
    cols = ["technology", "subfields", "keywords"] if fmt is Format.table else None
    render(rows, fmt, columns=cols, title=f"{name}: technologies and their queries")


@app.command("crosswalk")
def crosswalk_(extra: list[Path] | None = DEFINITIONS_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """Technologies of different lists that are the same or overlap."""
    from scidip.indicators.tech.definitions import crosswalk, load_lists

    with domain_errors():
        pairs = crosswalk(load_lists(extra))
    render([{"technology": a, "same_or_overlapping": b} for a, b in pairs], fmt,
           title="Crosswalk between the lists")  # fmt: skip


LAST_YEAR_HELP = (
    "Leave out works published later (default: the year before the data's date, the last "
    "complete one)."
)


@app.command()
def compute(
    ctx: typer.Context,
    extra: list[Path] | None = DEFINITIONS_OPTION,
    name: str | None = LIST_OPTION,
    last_year: int | None = typer.Option(
        None,
        "--last-year",
        help="Leave out works published later (default: the year before "
        "the data's date, the last complete one).",
    ),
    store: Path | None = STORE_OPTION,
) -> None:
    """Track every technology of the lists on the ingested works.

    Every method (scidip, cwts, nistep), with and without same-country citations.
    """
    from scidip.indicators.tech import service
    from scidip.indicators.tech.definitions import load_lists

    target = store_of(ctx, store)
    with domain_errors():
        lists = [t for t in load_lists(extra) if name is None or t.list_id == name]
        if not lists:
            raise InvalidData(f"no technology list {name!r}")
        if last_year is None:
            as_of = str(target.read_meta("ingest").get("data_as_of") or "")
            last_year = int(as_of[:4]) - 1 if as_of else None
        meta = service.compute(target, lists, last_year=last_year)
    labels = "; ".join(d["label"] for d in meta["definitions"])
    typer.echo(
        f"tracked {len(meta['technologies'])} technologies, {meta['first_year']}-"
        f"{meta['last_year']}: {meta['rows']:,} rows ({labels})"
    )
    _banner(meta)


LEADER_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("technology", "tech_key", str), ("lead", "lead", str), ("%", "lead_share_pct", _pct),
    ("2nd", "second", lambda v: v or ""), ("%2", "second_share_pct", _pct),
    ("x2nd", "lead_ratio", lambda v: "" if v is None else f"{v:.1f}"),
    ("hhi", "hhi", lambda v: f"{v:.2f}"), ("risk", "risk", str),
    ("inst", "lead_top10_institutions", lambda v: "" if v is None else f"{v}/10"),
]  # fmt: skip


@app.command()
def leaders(
    ctx: typer.Context,
    method: str = METHOD_OPTION,
    counting: str = COUNTING_OPTION,
    exclude_same_country: bool = SWITCH_OPTION,
    years: int = YEARS_OPTION,
    period: int | None = PERIOD_OPTION,
    rule: str = typer.Option("lead-ratio", "--risk-rule", help="lead-ratio (default) or hhi."),
    name: str | None = LIST_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Who leads each technology, by how much, and the monopoly risk.

    The lead is rank 1 by share of the technology's top-10 % papers; 'inst' is how many of the
    technology's top-10 institutions are in the lead country.
    """
    from scidip.indicators.tech import service
    from scidip.indicators.tech.institutions import with_lead_institutions
    from scidip.indicators.tech.leaders import leaders as lead_rows

    target = store_of(ctx, store)
    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = service.read_rows(target, _method(method), exclude_same_country, years)
        rows = service.latest_window(rows, period)
        found = _of_list(lead_rows(rows, counting, rule), name)
        concentration = service.institution_concentration(
            target, _method(method), exclude_same_country, years, counting
        )
        found = with_lead_institutions(found, concentration)
    span = _span(found[0]) if found else ""
    switch = ", no same-country citations" if exclude_same_country else ""
    title = _title(meta, f"Leaders {span} ({method}, {counting}{switch}, risk: {rule})")
    render_compact(found, fmt, LEADER_COLUMNS, title, {"meta": meta, "rows": found})


@app.command()
def show(
    ctx: typer.Context,
    technology: str = typer.Argument(..., help="The technology, e.g. us-cet/hypersonics."),
    method: str = METHOD_OPTION,
    counting: str = COUNTING_OPTION,
    exclude_same_country: bool = SWITCH_OPTION,
    years: int = YEARS_OPTION,
    period: int | None = PERIOD_OPTION,
    bootstrap: int = typer.Option(1000, "--bootstrap", help="Samples of the intervals (0: none)."),
    extra: list[Path] | None = DEFINITIONS_OPTION,
    limit: int = typer.Option(15, "--limit", help="Countries shown in the table."),
    level: str = typer.Option("country", "--level", help="country (default) or institution."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Every country (or institution) in one technology, with stability intervals.

    Shares of papers and of top-10 % papers, rank, and the 95 % stability intervals
    (bootstrap) of the top-10 % share and of the rank; --level institution: each
    institution's shares and rank, and its country (no intervals).
    """
    from scidip.indicators.tech import service
    from scidip.indicators.tech.definitions import load_lists

    with domain_errors():
        if level not in ("country", "institution"):
            raise InvalidData(f"level must be country or institution, not {level!r}")
    target = store_of(ctx, store)
    if level == "institution":
        _show_institutions(target, technology, method, counting, exclude_same_country, years,
                           period, limit, fmt)  # fmt: skip
        return
    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = service.country_table(
            target, load_lists(extra), technology, method=_method(method), counting=counting,
            exclude_same_country=exclude_same_country, period_years=years, period_end=period,
            samples=bootstrap,
        )  # fmt: skip
    for r in rows:
        r["_int"] = "" if r["share_lb"] is None else f"{r['share_lb']:.1f}-{r['share_ub']:.1f}"
        r["_rank"] = "" if r["rank_lb"] is None else f"{r['rank_lb']}-{r['rank_ub']}"
    span = _span(rows[0])
    title = _title(meta, f"{technology} {span} ({method}, {counting})")
    if fmt is Format.table:
        render_compact(rows[:limit], fmt, SHOW_COLUMNS, title, {})
        return
    for r in rows:
        del r["_int"], r["_rank"]
    render(rows, fmt, document={"meta": meta, "rows": rows})


INSTITUTION_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("rank", "rank", str), ("institution", "_name", str), ("country", "country_code", str),
    ("papers %", "papers_share_pct", _pct), ("top10 %", "top10_share_pct", _pct),
]  # fmt: skip


def _show_institutions(
    target: Any, technology: str, method: str, counting: str, switch: bool, years: int,
    period: int | None, limit: int, fmt: Format,
) -> None:  # fmt: skip
    from scidip.indicators.tech import service

    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = service.institution_table(
            target, technology, method=_method(method), counting=counting,
            exclude_same_country=switch, period_years=years, period_end=period,
        )  # fmt: skip
        if not rows:
            raise NotFound(f"no institution in {technology} in this window")
    for r in rows:
        r["_name"] = (r["institution_name"] or r["institution_id"])[:34]
    title = _title(meta, f"{technology} {_span(rows[0])} by institution ({method}, {counting})")
    shown = rows[:limit] if fmt is Format.table else rows
    if fmt is not Format.table:
        for r in rows:
            del r["_name"]
    render_compact(shown, fmt, INSTITUTION_COLUMNS, title, {"meta": meta, "rows": rows})


SHOW_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("country", "country_code", str), ("rank", "rank", str),
    ("papers %", "papers_share_pct", _pct), ("top10 %", "top10_share_pct", _pct),
    ("top10 % (95 %)", "_int", str), ("rank (95 %)", "_rank", str),
]  # fmt: skip


def _lead(value: Any) -> str:
    return value or "-"


COMPARE_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("technology", "tech_key", str), ("scidip", "scidip_frac", _lead),
    ("whole", "scidip_whole", _lead), ("cwts", "cwts_frac", _lead),
    ("nistep", "nistep_frac", _lead), ("no same-c.", "scidip_frac_no_same_country", _lead),
    ("changes", "changes", lambda v: "yes" if v else ""),
]  # fmt: skip


@app.command()
def compare(
    ctx: typer.Context,
    years: int = YEARS_OPTION,
    period: int | None = PERIOD_OPTION,
    name: str | None = LIST_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Does the leader change with the method, the counting or the citations?

    The table shows five of the twelve answers; JSON and CSV all of them.
    """
    from scidip.indicators.tech import service

    target = store_of(ctx, store)
    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = _of_list(service.sensitivity(target, years, period), name)
    span = _span(rows[0]) if rows else ""
    title = _title(meta, f"Leader by method and counting, {span} (fractional unless 'whole')")
    if fmt is Format.table:
        render_compact(rows, fmt, COMPARE_COLUMNS, title, {})
    else:
        render(rows, fmt, document={"meta": meta, "rows": rows})


HOME_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("technology", "tech_key", str), ("rank", "rank", lambda v: "" if v is None else str(v)),
    ("top10 %", "share_pct", _pct), ("5 y before", "earlier_share_pct", _pct),
    ("rank then", "earlier_rank", lambda v: "" if v is None else str(v)), ("lead", "lead", str),
]  # fmt: skip


@app.command()
def home(
    ctx: typer.Context,
    country: str | None = COUNTRY_OPTION,
    method: str = METHOD_OPTION,
    counting: str = COUNTING_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The home country in each technology, now and five years earlier.

    Top-10 % share and rank in the latest 5-year window beside the window five years earlier,
    and the leader.
    """
    from scidip.indicators.tech import service
    from scidip.indicators.tech.partners import trend

    code = home_code(ctx, country)
    target = store_of(ctx, store)
    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = trend(service.read_rows(target, _method(method), False, 5), code, counting)
    title = _title(meta, f"{code} in each technology (5-year windows, {method}, {counting})")
    render_compact(rows, fmt, HOME_COLUMNS, title, {"country": code, "meta": meta, "rows": rows})


PARTNER_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("technology", "tech_key", str), ("ours %", "home_share_pct", _pct),
    ("partner", "partner", str), ("theirs %", "share_pct", _pct), ("rank", "rank", str),
    ("agreement", "agreement", str),
]  # fmt: skip


@app.command()
def partners(
    ctx: typer.Context,
    country: str | None = COUNTRY_OPTION,
    method: str = METHOD_OPTION,
    period: int | None = PERIOD_OPTION,
    limit: int = typer.Option(3, "--limit", help="Countries ahead of us, per technology."),
    as_of: str | None = typer.Option(None, "--as-of", help="Agreement status on (YYYY-MM-DD)."),
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Partners strong where we are weak, with their agreement status.

    In each technology the home country does not lead, the countries ahead of it, with their
    S&T agreement status from the registry.
    """
    from scidip.cli.common import parse_as_of, session
    from scidip.indicators.tech import service
    from scidip.indicators.tech.partners import agreement_status, strong_where_weak

    code = home_code(ctx, country)
    target = store_of(ctx, store)
    day = parse_as_of(as_of)
    with session(ctx) as s:
        status = agreement_status(s, code, day)
    with domain_errors():
        meta = _banner(service.read_meta(target))
        rows = service.latest_window(service.read_rows(target, _method(method), False, 5), period)
        found = strong_where_weak(rows, code, status, limit=limit)
    title = _title(meta, f"Strong where {code} is weak, agreements as of {day}")
    render_compact(
        found, fmt, PARTNER_COLUMNS, title, {"country": code, "meta": meta, "rows": found}
    )
