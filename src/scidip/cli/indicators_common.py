"""Options and helpers the indicator command groups share (``scidip indicators``, ``tech``,
``mobility``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from scidip.cli.output import err
from scidip.config import Settings

STORE_OPTION = typer.Option(
    None, "--store", help="Indicator store folder (default: <data_dir>/indicators)."
)
COUNTRY_OPTION = typer.Option(..., "--country", "-c", help="ISO 3166-1 alpha-3 code, e.g. JPN.")
WINDOW_OPTION = typer.Option(
    1, "--period-years", "-p", help="1: single years; 3 (the default window): 3-year moving."
)


def store_of(ctx: typer.Context, store: Path | None) -> Any:
    from scidip.indicators.store import Store

    if store is not None:
        return Store(store)
    obj = ctx.find_root().obj
    settings = obj if isinstance(obj, Settings) else Settings()
    return Store(settings.data_dir / "indicators")


def synthetic_banner(store: Any) -> bool:
    from scidip.indicators.synthetic_label import CHART_LABEL

    synthetic = bool(store.read_meta("compute").get("synthetic", False))
    if synthetic:
        err().print(f"[bold red]{CHART_LABEL}[/]")
    return synthetic


def years_note(last_complete: int | None, included: bool) -> str:
    if last_complete is None:
        return "the data's date is unknown: every publication year is counted"
    if included:
        return f"years after {last_complete} are incomplete: counted, flagged incomplete_period"
    return f"years after {last_complete} are incomplete: left out (--include-incomplete-year)"


def period_span(end: int, years: int) -> str:
    """A period as titles write it: ``2020-2022``, or ``2022`` for a single year."""
    return f"{end - years + 1}-{end}" if years > 1 else str(end)
