"""``scidip materials`` analysis commands: risk, suppliers, CRMA benchmarks, the ledger, the
EU method and scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render
from scidip.cli.settings import settings
from scidip.config import DEFAULT_HOME_PARTY, Settings
from scidip.errors import InvalidData, NotFound

if TYPE_CHECKING:
    from scidip.materials.grid import Mode
    from scidip.materials.risk import RiskResult
    from scidip.materials.service import Context

from scidip.cli.materials_base import (
    CHART_OPTION,
    COMPAT_OPTION,
    GROUP_OPTION,
    IMPORTER_OPTION,
    MATERIALS_OPTION,
    STORE_OPTION,
    app,
    comma_list,
    finite,
    open_store,
    show,
    table,
)

PCT_OPTION = typer.Option(
    ..., "--pct", help="Export cut, recycling input rate, demand cut or share moved, in %."
)


SUPPLIER_OPTION = typer.Option(None, "--supplier", help="restrict: the exporter that cuts.")


RESOURCE_OPTION = typer.Option(
    False, "--resource", help="restrict: re-source the lost tonnes from the other suppliers."
)


RESOURCE_TO_OPTION = typer.Option(
    None, "--resource-to", help="restrict: re-source from these: 'agreements' or USA,AUS,..."
)


PARTNERS_OPTION = typer.Option(
    None, "--partners", help="diversify: 'agreements' or a list such as USA,DEU."
)


SPLIT_OPTION = typer.Option(
    "pro-rata", "--split", help="Share among partners pro-rata (to current imports) or equal."
)


MIN_STABILITY_OPTION = typer.Option(
    None, "--min-stability",
    help="Keep partners whose WGI political stability estimate (-2.5..2.5) is at least this.",
)  # fmt: skip


EXCLUDE_OPTION = typer.Option(None, "--exclude", help="Partners to leave out, e.g. CHN,RUS.")


AS_OF_OPTION = typer.Option(
    None, "--as-of", help="Partners from agreements: the date (default today)."
)


RISK_COLUMNS = [
    "material", "economy", "year", "status", "score", "score_peer", "hhi", "import_risk",
    "imports_t", "production_t", "price_usd_per_kg", "cf_kg_cu_eq", "cf_peer", "cf_reason",
    "reason", "corrections",
]  # fmt: skip


COMPAT_COLUMNS = [
    "material", "economy", "year", "status", "score", "cf_peer", "hhi", "import_risk",
    "price_usd_per_kg", "imports_t", "production_t", "cf_reason", "reason", "corrections",
]  # fmt: skip


@app.command()
def risk(
    ctx: typer.Context,
    importer: list[str] = IMPORTER_OPTION,
    year: str = typer.Option(..., "--year", "-y", help="2022, 2018-2024 or 2018,2020."),
    materials: str | None = MATERIALS_OPTION,
    compat: str | None = COMPAT_OPTION,
    group: list[str] = GROUP_OPTION,
    chart: Path | None = CHART_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """GeoPolRisk score per material, importer and year, with reasons and corrections."""
    from scidip.materials.grid import Mode
    from scidip.materials.service import parse_years
    from scidip.materials.service import risk as compute_risk

    with domain_errors():
        mode = Mode.default if compat is None else _mode(compat)
        mctx = open_store(ctx, store, group)
        years = parse_years(year)
        with err().status(f"computing {len(importer) * len(years)} importer-years"):
            results = compute_risk(mctx, importer, years, comma_list(materials), mode)
        if chart is not None:
            _risk_chart(results, chart, len(years) > 1)
    rows = [finite(r.as_row()) for r in results]
    if fmt is Format.table:
        _render_risk_table(rows, mode is Mode.default)
        return
    cols = RISK_COLUMNS if mode is Mode.default else COMPAT_COLUMNS
    doc = {"mode": mode.value, "vintage": mctx.store.vintage(), "results": rows}
    render(rows, fmt, columns=cols, document=doc)


def _render_risk_table(rows: list[dict[str, Any]], default_mode: bool) -> None:
    """Scores by material, highest first; reasons and corrections as numbered notes below."""
    from scidip.materials.tables import RISK

    cols = [c for c in RISK if default_mode or c.key not in {"score_peer", "cf_kg_cu_eq"}]
    table(rows, cols, lambda r: [r["reason"], r["cf_reason"], *r["corrections"]],
           sort_key="score")  # fmt: skip


def _mode(text: str) -> Mode:
    from scidip.materials.grid import Mode

    if text != Mode.peer.value:
        raise InvalidData(
            f"--compat {text!r}: the only compatible implementation is {Mode.peer.value}"
        )
    return Mode.peer


def _risk_chart(results: list[RiskResult], path: Path, over_time: bool) -> None:
    from scidip.materials import charts

    if over_time:
        charts.time_series(results, path)
    else:
        charts.risk_by_material(results, path)
    err().print(f"chart written to {path}")


@app.command()
def suppliers(
    ctx: typer.Context,
    importer: str = typer.Argument(..., help="Importing economy (ISO3, BACI name, EU27, group)."),
    material: str = typer.Argument(..., help="Material name, e.g. 'Rare earth'."),
    year: int = typer.Option(..., "--year", "-y"),
    group: list[str] = GROUP_OPTION,
    chart: Path | None = CHART_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Import shares by exporter, their governance weights, and the CRMA 65 % check."""
    from scidip.materials.service import suppliers as list_suppliers

    with domain_errors():
        mctx = open_store(ctx, store, group)
        rows, summary = list_suppliers(mctx, importer, material, year)
        if chart is not None:
            from scidip.materials.charts import supplier_shares

            supplier_shares(
                rows, chart, f"{summary['material']} imports of {summary['economy']}, {year}"
            )
    crma = summary["crma"]
    if fmt is Format.table:
        head = (
            f"{summary['material']} → {summary['economy']} {year}: imports "
            f"{summary['imports_t']:.6g} t, own production {summary['own_production_t']:.6g} t"
        )
        if crma["share_pct"] is None:
            tail = f"no CRMA check: {crma['reason']}"
            if summary["world_producers"]:
                tail += f". World production: {summary['world_producers']}"
        else:
            verdict = "exceeded" if crma["exceeds"] else "met"
            tail = (f"largest third-country share {crma['top_supplier']} "
                    f"{_pct(crma['share_pct'])} (CRMA benchmark 65 %: {verdict})")  # fmt: skip
        err().print(f"{head}; {tail}", markup=False, highlight=False)
        if rows:
            from scidip.materials.tables import SUPPLIERS

            table(rows, SUPPLIERS, sort_key="share_pct")
        return
    show(rows, fmt, document=summary)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


@app.command()
def crma(
    ctx: typer.Context,
    importer: str = typer.Option("EU27", "--importer", "-i"),
    year: int = typer.Option(..., "--year", "-y"),
    materials: str | None = MATERIALS_OPTION,
    group: list[str] = GROUP_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """EU Critical Raw Materials Act: largest single third-country share against 65 %."""
    from scidip.materials.service import crma as check

    with domain_errors():
        mctx = open_store(ctx, store, group)
        rows = [c.__dict__ for c in check(mctx, importer, year, comma_list(materials))]
    if fmt is Format.table:
        from scidip.materials.tables import CRMA

        head = "CRMA: at most 65 % of supply from one third country (Regulation (EU) 2024/1252)"
        table(rows, CRMA, lambda r: [r["reason"]], head, sort_key="share_pct")
        return
    show(rows, fmt)


@app.command()
def ledger(
    ctx: typer.Context,
    partner: str = typer.Argument(..., help="The partner (ISO3, BACI name, EU27, group)."),
    home: str | None = typer.Option(None, "--home", help="Home economy (default: home party)."),
    year: int = typer.Option(..., "--year", "-y"),
    group: list[str] = GROUP_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Two-way ledger: what we depend on the partner for, and what it depends on us for."""
    from scidip.materials.service import two_way_ledger

    with domain_errors():
        mctx = open_store(ctx, store, group)
        me = home or settings(ctx).home_party or DEFAULT_HOME_PARTY
        lines, moved = two_way_ledger(mctx, me, partner, year)
    rows = [line.__dict__ for line in lines]
    shifts = [{**s.__dict__, "change_pp": s.change_pp} for s in moved]
    if fmt is Format.table:
        from scidip.materials.tables import LEDGER

        def key(r: dict[str, Any]) -> float:
            return max(r["partner_share_of_home_imports_pct"] or 0,
                       r["home_share_of_partner_imports_pct"] or 0)  # fmt: skip

        rows.sort(key=lambda r: -key(r))
        table(rows, LEDGER, prefix=f"{me} and {partner}: shares of tonnes (BACI HS92; "
               "production: World Mining Data)")  # fmt: skip
        for s in moved:
            err().print(f"shift {s.first_year}-{s.last_year}: {s.material}, {s.direction}: "
                         f"{s.first_pct:.1f}% -> {s.last_pct:.1f}%", markup=False)  # fmt: skip
        return
    show(rows, fmt, document={"home": me, "partner": partner, "year": year, "materials": rows,
                               "shifts": shifts})  # fmt: skip


@app.command("eu-risk")
def eu_risk(
    ctx: typer.Context,
    importer: str = typer.Option("EU27", "--importer", "-i"),
    year: int = typer.Option(..., "--year", "-y"),
    materials: str | None = MATERIALS_OPTION,
    substitution_index: float = typer.Option(1.0, help="SI_SR, 0–1 (1: no substitute)."),
    group: list[str] = GROUP_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """EU supply risk (2017 methodology) with recycling input rate and substitution index."""
    from scidip.materials.service import eu_risk as compute_eu

    with domain_errors():
        mctx = open_store(ctx, store, group)
        found = compute_eu(mctx, importer, year, comma_list(materials), substitution_index)
        rows = [r.__dict__ for r in found]
    if fmt is Format.table:
        from scidip.materials.tables import EU_RISK

        def notes(r: dict[str, Any]) -> list[str]:
            shares = f"world production {r['global_supply']}" if r["global_supply"] else ""
            if r["sourcing"]:
                shares += f"; sourcing {r['sourcing']}"
            return [r["reason"], shares, r["note"]]

        table(rows, EU_RISK, notes, "EU supply risk (2017 method)", sort_key="supply_risk")
        return
    show(rows, fmt)


@app.command()
def scenario(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="restrict, recycling, substitution or diversify."),
    importer: str = typer.Option(..., "--importer", "-i"),
    year: int = typer.Option(..., "--year", "-y"),
    pct: float = PCT_OPTION,
    supplier: str | None = SUPPLIER_OPTION,
    resource: bool = RESOURCE_OPTION,
    resource_to: str | None = RESOURCE_TO_OPTION,
    partners: str | None = PARTNERS_OPTION,
    split: str = SPLIT_OPTION,
    min_stability: float | None = MIN_STABILITY_OPTION,
    exclude: str | None = EXCLUDE_OPTION,
    as_of: str | None = AS_OF_OPTION,
    materials: str | None = MATERIALS_OPTION,
    group: list[str] = GROUP_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Score before and after a scenario, per material: the shortfall, where supply moves, and
    every share that changed."""
    from scidip.materials.service import ScenarioSpec
    from scidip.materials.service import scenario as run

    with domain_errors():
        if not 0 <= pct <= 100:
            raise InvalidData(f"--pct {pct:g}: give a percentage from 0 to 100")
        mctx = open_store(ctx, store, group)
        chosen = resource_to if kind == "restrict" else partners
        if kind == "diversify" and not partners:
            raise InvalidData("diversify needs --partners agreements or --partners USA,DEU,...")
        codes = _partner_codes(chosen, as_of, mctx, settings(ctx)) if chosen else []
        spec = ScenarioSpec(kind, supplier, pct / 100.0, resource or bool(codes), tuple(codes),
                            split, min_stability, tuple(comma_list(exclude)))  # fmt: skip
        results = run(mctx, importer, year, comma_list(materials), spec)
    rows = [finite(r.as_row()) for r in results]
    if fmt is Format.table:
        _render_scenario_table(rows)
        return
    if fmt is Format.csv:
        for row in rows:
            row["shares"] = _moves(row["shares"])
    show(rows, fmt)


def _moves(shares: list[dict[str, Any]]) -> str:
    """``CHN 60.1% -> 0.0%, (shortfall) 0.0% -> 60.1%``: shares of supply that moved."""

    def pct(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.1f}%"

    moves = [f"{s['source']} {pct(s['before_pct'])} -> {pct(s['after_pct'])}" for s in shares]
    more = f", and {len(moves) - 10} more (--format json)" if len(moves) > 10 else ""
    return ", ".join(moves[:10]) + more


def _render_scenario_table(rows: list[dict[str, Any]]) -> None:
    """Scores, change and shortfall per material; the moves and notes numbered below."""
    from scidip.materials.tables import SCENARIO

    def notes(row: dict[str, Any]) -> list[str]:
        moves = _moves(row["shares"])
        return [f"shares of supply: {moves}" if moves else "", row["note"]]

    table(rows, SCENARIO, notes, prefix=rows[0]["scenario"] if rows else "")


def _partner_codes(
    partners: str | None, as_of: str | None, mctx: Context, settings: Settings
) -> list[str]:
    """Explicit ISO3 codes, or the agreement partners in force on ``as_of`` from the registry."""
    if not partners:
        return []
    if partners.strip().lower() != "agreements":
        return comma_list(partners)
    from sqlalchemy.exc import SQLAlchemyError

    from scidip.cli.common import parse_as_of
    from scidip.db.session import session_scope
    from scidip.registry.agreement.service import (
        partner_codes_in_force,
    )
    from scidip.registry.home import home_party

    day = parse_as_of(as_of)
    try:
        with session_scope(settings) as session:
            home = home_party(session, settings.home_party, settings.dataset)
            codes = sorted(partner_codes_in_force(session, home, day))
    except SQLAlchemyError as exc:
        raise NotFound(
            "--partners agreements reads the registry, which has no tables here: run "
            "`scidip init` and load a dataset first, or give the partners as a list "
            f"(--partners USA,AUS) [{type(exc).__name__}]"
        ) from exc
    known = [c for c in codes if mctx.index.knows(c)]
    skipped = sorted(set(codes) - set(known))
    if skipped:
        err().print(f"partners without trade data, left out: {', '.join(skipped)}")
    err().print(f"agreement partners of {home} on {day}: {', '.join(known)}")
    return known
