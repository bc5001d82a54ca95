"""``compute``: execute the indicator pipeline on an engine and write the result tables."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from scidip.errors import InvalidData
from scidip.indicators.country_stability import BOUND_COLUMNS as COUNTRY_BOUNDS
from scidip.indicators.country_stability import KEYS as COUNTRY_KEYS
from scidip.indicators.country_stability import country_intervals
from scidip.indicators.engine import engine_name, materialiser
from scidip.indicators.institutions import BOUND_COLUMNS, UNIT_KEYS, stability_intervals
from scidip.indicators.pipeline import (
    COVERAGE_ITEMS,
    ComputeOptions,
    country_paper_rows,
    coverage_expression,
    excluded_types,
    indicator_expressions,
    institution_expressions,
    population,
    reference_levels_of,
    year_range,
)
from scidip.indicators.stability import with_bounds
from scidip.indicators.store import Store, write_arrow, write_parquet


@dataclass
class ComputeReport:
    """What a compute run produced."""

    engine: str
    options: dict[str, Any]
    #: The method's choices (:class:`~scidip.indicators.method.Method`).
    method: dict[str, Any]
    #: Which works were counted (:class:`~scidip.indicators.counts.Population`).
    population: dict[str, Any]
    first_year: int
    last_year: int
    #: The date the ingested data stand at, and the last publication year complete by then
    #: (None when the ingest recorded no date).
    data_as_of: str
    last_complete_year: int | None
    synthetic: bool
    coverage: dict[str, int]
    result_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    computed_at: str = ""


def _label(expr: ir.Table, synthetic: bool) -> ir.Table:
    return expr.mutate(synthetic_data=ibis.literal(synthetic))


#: Columns of ``works`` that today's rules read (a store ingested before them lacks them).
NEEDED_COLUMNS = ("has_country", "references_count", "source_type", "topic_id", "field_source")


def _with_intervals(
    con: ibis.BaseBackend, summary: ir.Table, papers: ir.Table, options: ComputeOptions
) -> pa.Table:
    """The institutions' table with the bootstrap bounds of :func:`stability_intervals` (null
    when ``options.stability_samples`` is 0)."""
    table = con.to_pyarrow(summary.order_by(UNIT_KEYS))
    bounds = None
    if options.stability_samples > 0:
        bounds = stability_intervals(
            con.to_pyarrow(papers), samples=options.stability_samples, seed=options.seed
        )
    return with_bounds(table, bounds, UNIT_KEYS, BOUND_COLUMNS)


def _with_country_intervals(
    con: ibis.BaseBackend, store: Store, rows: ir.Table, options: ComputeOptions
) -> pa.Table:
    """The countries' table as written, with the bounds of
    :func:`~scidip.indicators.country_stability.country_intervals` (null when
    ``options.stability_samples`` is 0)."""
    table = pq.read_table(store.result_path("country_field_period"))
    bounds = None
    if options.stability_samples > 0:
        bounds = country_intervals(
            con.to_pyarrow(rows), samples=options.stability_samples, seed=options.seed
        )
    return with_bounds(table, bounds, COUNTRY_KEYS, COUNTRY_BOUNDS)


def _label_arrow(table: pa.Table, synthetic: bool, last_complete: int | None) -> pa.Table:
    """``synthetic_data`` and ``incomplete_period`` for a table computed outside the engine."""
    ends = table.column("period_end").to_numpy(zero_copy_only=False)
    late = [last_complete is not None and int(e) > last_complete for e in ends]
    return table.append_column(
        "synthetic_data", pa.array([synthetic] * table.num_rows)
    ).append_column("incomplete_period", pa.array(late, pa.bool_()))


def last_complete_year(data_as_of: str) -> int | None:
    """The last publication year complete at ``data_as_of`` (``YYYY-MM-DD``): the year before
    the data's own; None when the date is unknown."""
    return int(data_as_of[:4]) - 1 if data_as_of[:4].isdigit() else None


def compute(
    store: Store, con: ibis.BaseBackend, options: ComputeOptions | None = None
) -> ComputeReport:
    """Compute every indicator from ``store``'s tables on ``con`` and write ``results/``.

    Works of years after the last complete one (the year before the data's date, ``ingest``'s
    ``data_as_of``) are left out unless ``options.include_incomplete_year``; then their periods
    are flagged ``incomplete_period``. Raises :class:`scidip.errors.NotFound` when nothing was
    ingested and :class:`InvalidData` when no work counts (the message says why).
    """
    options = options or ComputeOptions()
    if options.moving_window_years < 1:
        raise InvalidData("the moving window must span at least one year")
    with store.writing() as built:  # the results switch in with the store, all or none
        return _compute(built, con, options)


def read_records(meta: dict[str, Any]) -> dict[str, int]:
    """The ingest's accounting, which the coverage report opens with: ``records_read`` (=
    ``works`` + ``superseded_records``, the earlier versions of works read more than once) and
    ``malformed_skipped`` (lines or rows that were no work record); none from an ingest that
    did not record them."""
    if "records_read" not in meta:
        return {}
    return {
        "records_read": int(meta["records_read"]),
        "superseded_records": int(meta.get("superseded_records", 0)),
        "malformed_skipped": int(meta.get("malformed", 0)),
    }


def _compute(store: Store, con: ibis.BaseBackend, options: ComputeOptions) -> ComputeReport:
    started = time.perf_counter()
    meta = store.read_meta("ingest")
    synthetic = bool(meta.get("synthetic", False))
    as_of = str(meta.get("data_as_of") or "")
    last_complete = last_complete_year(as_of)
    scope = population(options, last_complete)
    tables = store.tables(con)
    missing = [c for c in NEEDED_COLUMNS if c not in tables["works"].columns]
    if missing:
        raise InvalidData(
            f"{store.root} was ingested by an earlier SciDip (no {', '.join(missing)}): "
            "run `scidip indicators ingest` again"
        )
    cache = materialiser(con)
    by_year = con.to_pyarrow(coverage_expression(tables, scope).order_by("publication_year"))
    coverage = read_records(meta)
    coverage |= {k: sum(int(v or 0) for v in by_year.column(k).to_pylist()) for k in COVERAGE_ITEMS}
    types = con.to_pyarrow(excluded_types(tables["works"], scope).order_by("work_type")).to_pylist()
    coverage.update({f"excluded_type:{t['work_type']}": int(t["works"]) for t in types})
    prepared = reference_levels_of(tables, options, cache, scope)
    years = con.to_pyarrow(year_range(prepared[0])).to_pylist()[0]
    if years["first_year"] is None:
        raise InvalidData(
            f"no counted works to compute on: {coverage['works']:,} works read, "
            + ", ".join(
                f"{k} {v:,}" for k, v in coverage.items() if k.startswith("excluded_") and v
            )
        )
    exprs = indicator_expressions(
        tables, years["first_year"], years["last_year"], options, cache, prepared, scope,
        last_complete,
    )  # fmt: skip
    report = ComputeReport(
        engine=engine_name(con),
        options=asdict(options),
        method=asdict(options.choices),
        population=asdict(scope),
        first_year=int(years["first_year"]),
        last_year=int(years["last_year"]),
        data_as_of=as_of,
        last_complete_year=last_complete,
        synthetic=synthetic,
        coverage=coverage,
    )
    for name, expr in exprs.items():
        report.result_rows[name] = write_parquet(
            con, _label(expr, synthetic), store.result_path(name)
        )
    first, last = int(years["first_year"]), int(years["last_year"])
    rows = country_paper_rows(tables, first, last, options, prepared, scope)
    report.result_rows["country_field_period"] = write_arrow(
        _with_country_intervals(con, store, rows, options),
        store.result_path("country_field_period"),
    )
    summary, papers = institution_expressions(tables, first, last, options, prepared, scope)
    institutions = _with_intervals(con, summary, papers, options)
    institutions = _label_arrow(institutions, synthetic, last_complete)
    report.result_rows["institution_period"] = write_arrow(
        institutions, store.result_path("institution_period")
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
    by_year = by_year.append_column(
        "synthetic_data", pa.array([synthetic] * by_year.num_rows, pa.bool_())
    )
    report.result_rows["coverage_by_year"] = write_arrow(
        by_year, store.result_path("coverage_by_year")
    )
    report.seconds = round(time.perf_counter() - started, 3)
    report.computed_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.write_meta("compute", asdict(report))
    return report
