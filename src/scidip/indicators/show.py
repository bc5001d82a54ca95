"""Reading computed indicators back: one country's rows, its partners, the coverage report."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow.parquet as pq

from scidip.errors import InvalidData, NotFound
from scidip.indicators import collaboration
from scidip.indicators.counts import ALL_FIELDS_ID
from scidip.indicators.store import Store

#: The columns ``show`` prints by default, in order.
SHOW_COLUMNS = [
    "period",
    "field_id",
    "papers_whole",
    "papers_frac",
    "world_share_frac_pct",
    "top10_frac",
    "top10_own_share_frac_pct",
    "top10_world_share_frac_pct",
    "top1_own_share_frac_pct",
    "intl_coauthorship_pct",
    "rsi",
    "rank_papers_frac",
    "rank_top10_frac",
]
#: What a terminal table of ``show`` prints by default: (header, column, format). It fits 80
#: columns (``--wide`` prints :data:`SHOW_COLUMNS`; JSON and CSV carry every column).
COMPACT_COLUMNS: list[tuple[str, str, str]] = [
    ("period", "period", "{}"),
    ("field", "field_name", "{}"),
    ("papers", "papers_frac", "{:,.1f}"),
    ("share_%", "world_share_frac_pct", "{:.2f}"),
    ("top10_%", "top10_own_share_frac_pct", "{:.1f}"),
    ("intl_%", "intl_coauthorship_pct", "{:.1f}"),
    ("rank", "rank_papers_frac", "{}"),
]
#: The columns of ``list`` (one row per country) besides the one it is sorted by.
LIST_COLUMNS: list[tuple[str, str, str]] = [
    ("country", "country_code", "{}"),
    ("papers", "papers_frac", "{:,.1f}"),
    ("share_%", "world_share_frac_pct", "{:.2f}"),
    ("top10", "top10_frac", "{:,.2f}"),
    ("top10_%", "top10_own_share_frac_pct", "{:.1f}"),
    ("intl_%", "intl_coauthorship_pct", "{:.1f}"),
    ("papers rank (95%)", "papers_rank", "{}"),
]
#: The columns of ``institutions`` (one row per institution).
INSTITUTION_COLUMNS: list[tuple[str, str, str]] = [
    ("institution", "institution_label", "{}"),
    ("cty", "country_code", "{}"),
    ("papers", "p_frac", "{:,.1f}"),
    ("top10_%", "pp_top10_pct", "{:.1f}"),
    ("95% interval", "pp_top10_interval", "{}"),
    ("mncs", "mncs", "{:.2f}"),
    ("intl_%", "pp_intl_collab_pct", "{:.1f}"),
]
#: What a terminal table of ``partners`` prints (fits 80 columns; JSON and CSV carry
#: :data:`PARTNER_COLUMNS`).
PARTNER_TABLE_COLUMNS: list[tuple[str, str, str]] = [
    ("period", "period", "{}"),
    ("#", "partner_rank", "{}"),
    ("partner", "partner_code", "{}"),
    ("copapers", "copapers_whole", "{:,}"),
    ("of_intl_%", "share_of_country_intl_pct", "{:.1f}"),
    ("salton", "salton_index", "{:.3f}"),
]
PARTNER_COLUMNS = [
    "period_start",
    "period_end",
    "partner_rank",
    "partner_code",
    "copapers_whole",
    "share_of_country_intl_pct",
    "salton_index",
]


def _read(store: Store, name: str, filters: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    path = store.result_path(name)
    if not path.exists():
        raise NotFound(f"no indicators computed in {store.root}: run `scidip indicators compute`")
    return list(pq.read_table(path, filters=filters or None).to_pylist())


def country_indicators(
    store: Store, country: str, field: str | None = ALL_FIELDS_ID, period_years: int = 1
) -> list[dict[str, Any]]:
    """Rows of ``country`` (alpha-3), one field (``None``: every field), by period then field.

    ``period`` is the period as text, marked ``*`` when it reaches past the last complete year
    (``incomplete_period``, only when ``compute --include-incomplete-year`` counted such years).

    Raises :class:`NotFound` when nothing was computed or the country has no papers.
    """
    filters: list[tuple[str, str, Any]] = [
        ("country_code", "=", country.upper()),
        ("period_years", "=", period_years),
    ]
    if field is not None:
        filters.append(("field_id", "=", field))
    rows = _read(store, "country_field_period", filters)
    if not rows:
        what = f"field {field!r}" if field else "any field"
        raise NotFound(f"no {period_years}-year indicators for {country.upper()} in {what}")
    for r in rows:
        r["period"] = _period(r)
    return sorted(rows, key=lambda r: (r["period_end"], r["field_id"]))


def compact(
    rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]
) -> list[dict[str, str]]:
    """``rows`` as short, formatted cells for a terminal table: ``columns`` are (header, column,
    format); a null prints empty."""
    return [{h: "" if r.get(c) is None else f.format(r[c]) for h, c, f in columns} for r in rows]


def countries_in_period(
    store: Store,
    period_end: int,
    *,
    period_years: int = 1,
    field: str = ALL_FIELDS_ID,
    sort: str = "papers_frac",
    ascending: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every country's row for one period and field, sorted by the indicator ``sort`` (any
    numeric column of ``country_field_period``, compared to 9 decimals; ties by country code,
    nulls last), with ``rank_interval`` (the 95 % stability interval of ``rank_papers_frac``,
    "lb–ub", empty without them) and ``papers_rank`` (the rank and that interval, "5 (2–13)")
    for printing; ``XXX`` (no known country) is listed too.
    Raises :class:`InvalidData` for an unknown column and :class:`NotFound` when the period has
    no rows."""
    filters: list[tuple[str, str, Any]] = [
        ("period_end", "=", period_end),
        ("period_years", "=", period_years),
        ("field_id", "=", field),
    ]
    rows = _read(store, "country_field_period", filters)
    if not rows:
        raise NotFound(f"no {period_years}-year indicators ending {period_end} in field {field!r}")
    for r in rows:
        r["rank_interval"] = interval(r, "rank_papers_frac", "{}")
        rank = r.get("rank_papers_frac")
        r["papers_rank"] = (
            "" if rank is None else f"{rank} ({r['rank_interval']})".replace(" ()", "")
        )
    return _sorted_by(rows, sort, "country_code", ascending, limit)


def interval(row: dict[str, Any], name: str, fmt: str) -> str:
    """``"lb–ub"`` of the stability interval of ``name`` in ``row``, "" when not computed."""
    lb, ub = row.get(f"{name}_lb"), row.get(f"{name}_ub")
    return "" if lb is None or ub is None else f"{fmt.format(lb)}–{fmt.format(ub)}"


def institutions_in_period(
    store: Store,
    period_end: int,
    *,
    period_years: int,
    sort: str = "p_frac",
    ascending: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every institution's row for one period (all fields), sorted by any numeric column of
    ``institution_period`` (compared to 9 decimals; ties by institution id, nulls last), with
    ``pp_top10_interval`` ("lb–ub", empty without stability intervals) and
    ``institution_label`` (the name, or the id where the records give no name) for printing."""
    filters: list[tuple[str, str, Any]] = [
        ("period_end", "=", period_end),
        ("period_years", "=", period_years),
    ]
    rows = _read(store, "institution_period", filters)
    if not rows:
        window = store.read_meta("compute").get("options", {}).get("moving_window_years")
        hint = f" (computed: --period-years {window}, compute --window)"
        if window in (None, period_years):
            hint = ""
        raise NotFound(f"no {period_years}-year institution indicators ending {period_end}{hint}")
    for r in rows:
        r["pp_top10_interval"] = interval(r, "pp_top10_pct", "{:.1f}")
        r["institution_label"] = r["institution_name"] or r["institution_id"]
    return _sorted_by(rows, sort, "institution_id", ascending, limit)


def _sorted_by(
    rows: list[dict[str, Any]], sort: str, tie: str, ascending: bool, limit: int | None
) -> list[dict[str, Any]]:
    """``rows`` by the numeric column ``sort`` (compared to 9 decimals, as ranks are, so that
    values equal in exact arithmetic tie; ties by ``tie``; nulls last), the first ``limit``.
    Raises :class:`InvalidData` when ``sort`` is not a numeric column."""
    numeric = sorted(
        k for k, v in rows[0].items() if isinstance(v, int | float) and not isinstance(v, bool)
    )
    if sort not in numeric:
        raise InvalidData(f"cannot sort by {sort!r}: one of {', '.join(numeric)}")
    present = sorted((r for r in rows if r[sort] is not None), key=lambda r: r[tie])
    present.sort(key=lambda r: round(r[sort], 9), reverse=not ascending)
    absent = sorted((r for r in rows if r[sort] is None), key=lambda r: r[tie])
    return (present + absent)[:limit]


def top_partners(
    store: Store, country: str, limit: int = 10, period_years: int = 1
) -> list[dict[str, Any]]:
    """The ``limit`` strongest co-authoring partners of ``country`` per period, by co-papers."""
    path = store.result_path("collaboration")
    if not path.exists():
        raise NotFound(f"no indicators computed in {store.root}: run `scidip indicators compute`")
    con = ibis.duckdb.connect()
    matrix = con.read_parquet(str(path))
    matrix = matrix.filter(matrix.period_years == period_years)
    expr = collaboration.top_partners(matrix, country.upper(), limit)
    rows = list(con.to_pyarrow(expr.order_by(["period_end", "partner_rank"])).to_pylist())
    for r in rows:
        r["period"] = _period(r)
    return rows


def _period(row: dict[str, Any]) -> str:
    """The period as text ("2020" or "2018-2020"), marked ``*`` when incomplete."""
    start, end = row["period_start"], row["period_end"]
    return (str(end) if start == end else f"{start}-{end}") + (
        "*" if row.get("incomplete_period") else ""
    )


#: The columns ``coverage --by-year`` prints as a table (it fits 80 columns; JSON and CSV carry
#: every column of ``coverage_by_year``, and ``coverage`` the exclusions by reason).
COVERAGE_YEAR_COLUMNS = [
    "year",
    "works",
    "counted",
    "excluded",
    "no_country",
    "no_field",
    "no_refs",
]
_SHORT = {
    "publication_year": "year",
    "counted_without_country": "no_country",
    "counted_without_field": "no_field",
    "counted_without_references": "no_refs",
}


def coverage(store: Store) -> list[dict[str, Any]]:
    """The coverage report of the last compute: works read, counted, excluded and why."""
    return _read(store, "coverage", [])


def coverage_by_year(store: Store) -> list[dict[str, Any]]:
    """The coverage report by publication year: every column of ``coverage_by_year``, plus
    the short names :data:`COVERAGE_YEAR_COLUMNS` prints."""
    rows = _read(store, "coverage_by_year", [])
    for r in rows:
        r.update({short: r[name] for name, short in _SHORT.items()})
        r["excluded"] = sum(v for k, v in r.items() if k.startswith("excluded_"))
    return rows


def fields(store: Store) -> list[dict[str, Any]]:
    """The fields present in the results (id and name), sorted by id."""
    path = store.result_path("world_field_period")
    if not path.exists():
        raise NotFound(f"no indicators computed in {store.root}: run `scidip indicators compute`")
    t = pq.read_table(path, columns=["field_id", "field_name"])
    pairs = t.group_by(["field_id", "field_name"]).aggregate([]).sort_by("field_id")
    return list(pairs.to_pylist())


__all__ = [
    "COMPACT_COLUMNS",
    "INSTITUTION_COLUMNS",
    "LIST_COLUMNS",
    "PARTNER_COLUMNS",
    "PARTNER_TABLE_COLUMNS",
    "SHOW_COLUMNS",
    "compact",
    "countries_in_period",
    "country_indicators",
    "coverage",
    "fields",
    "institutions_in_period",
]
