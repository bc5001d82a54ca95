"""``compute``: execute the indicator pipeline on an engine and write the result tables."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from scidip.errors import InvalidData
from scidip.indicators.engine import engine_name, materialiser
from scidip.indicators.pipeline import (
    ComputeOptions,
    coverage_expression,
    indicator_expressions,
    reference_levels_of,
    year_range,
)
from scidip.indicators.store import Store, write_arrow, write_parquet


@dataclass
class ComputeReport:
    """What a compute run produced."""

    engine: str
    options: dict[str, Any]
    first_year: int
    last_year: int
    synthetic: bool
    coverage: dict[str, int]
    result_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    computed_at: str = ""


def _label(expr: ir.Table, synthetic: bool) -> ir.Table:
    return expr.mutate(synthetic_data=ibis.literal(synthetic))


def compute(
    store: Store, con: ibis.BaseBackend, options: ComputeOptions | None = None
) -> ComputeReport:
    """Compute every indicator from ``store``'s tables on ``con`` and write ``results/``.

    Raises :class:`scidip.errors.NotFound` when nothing was ingested and :class:`InvalidData`
    when no work counts (no article or review).
    """
    started = time.perf_counter()
    options = options or ComputeOptions()
    if options.moving_window_years < 1:
        raise InvalidData("the moving window must span at least one year")
    synthetic = bool(store.read_meta("ingest").get("synthetic", False))
    tables = store.tables(con)
    cache = materialiser(con)
    prepared = reference_levels_of(tables, options, cache)
    years = con.to_pyarrow(year_range(prepared[0])).to_pylist()[0]
    if years["first_year"] is None:
        raise InvalidData("no counted works (articles or reviews, not retracted) to compute on")
    coverage_row = con.to_pyarrow(coverage_expression(tables)).to_pylist()[0]
    coverage = {k: int(v or 0) for k, v in coverage_row.items()}
    exprs = indicator_expressions(
        tables, years["first_year"], years["last_year"], options, cache, prepared
    )
    report = ComputeReport(
        engine=engine_name(con),
        options=asdict(options),
        first_year=int(years["first_year"]),
        last_year=int(years["last_year"]),
        synthetic=synthetic,
        coverage=coverage,
    )
    for name, expr in exprs.items():
        report.result_rows[name] = write_parquet(
            con, _label(expr, synthetic), store.result_path(name)
        )
    # A few numbers already at hand: written from Python, not sent through the engine.
    coverage_table = pa.table(
        {
            "item": list(coverage),
            "works": list(coverage.values()),
            "synthetic_data": [synthetic] * len(coverage),
        }
    )
    report.result_rows["coverage"] = write_arrow(coverage_table, store.result_path("coverage"))
    report.seconds = round(time.perf_counter() - started, 3)
    report.computed_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.write_meta("compute", asdict(report))
    return report
