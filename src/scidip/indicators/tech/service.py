"""The tracker as a service: compute it from an ingested store, read its results, and draw
stability intervals. The CLI (``scidip tech …``), the reports and the workbench call these.

``compute`` writes ``results/tech_country_period.parquet`` (the tracker's counts for every
method and both citation settings) and ``results/tech.json`` (the definitions' labels, the
options, the years), so every answer names the definition versions it used.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from scidip.errors import InvalidData, NotFound
from scidip.indicators.engine import EngineName, IndicatorSettings, connect
from scidip.indicators.method import MethodName
from scidip.indicators.store import Store, read_json, write_json, write_parquet
from scidip.indicators.tech.definitions import TechList
from scidip.indicators.tech.institutions import (
    institution_counts,
    ranked_institutions,
    top_institution_countries,
)
from scidip.indicators.tech.leaders import WINDOW_KEYS, leaders, ranked
from scidip.indicators.tech.match import query_terms, technology_works
from scidip.indicators.tech.stability import intervals
from scidip.indicators.tech.tracker import (
    WORLD,
    TrackerOptions,
    country_counts,
    scored_rows,
    weighted_rows,
)

RESULT = "tech_country_period"
INSTITUTIONS = "tech_institution_period"
META = "tech.json"


def _years(con: ibis.BaseBackend, works: Any, last_year: int | None) -> tuple[int, int]:
    t = works if last_year is None else works.filter(works.publication_year <= last_year)
    got = con.to_pyarrow(t.aggregate(lo=t.publication_year.min(), hi=t.publication_year.max()))
    lo, hi = got.to_pylist()[0].values()
    if lo is None:
        raise NotFound("no works to track (nothing ingested up to the last year)")
    return int(lo), int(hi)


def compute(
    store: Store,
    lists: list[TechList],
    *,
    last_year: int | None = None,
    methods: tuple[MethodName, ...] = tuple(MethodName),
    con: ibis.BaseBackend | None = None,
) -> dict[str, Any]:
    """Track every technology of ``lists`` on ``store``'s works, for each method in ``methods``
    and with and without same-country citations; returns (and writes) the run's metadata."""
    con = con or connect(EngineName.duckdb, IndicatorSettings.from_settings())
    with store.writing() as built:  # switched in whole, or not at all
        return _compute(built, lists, last_year, methods, con)


def _compute(
    store: Store,
    lists: list[TechList],
    last_year: int | None,
    methods: tuple[MethodName, ...],
    con: ibis.BaseBackend,
) -> dict[str, Any]:
    tables, links = store.tables(con), store.links(con)
    techs = [t for tl in lists for t in tl.technologies]
    tw = technology_works(links, ibis.memtable(query_terms(techs)))
    first, last = _years(con, tables["works"], last_year)
    countries, institutions = [], []
    for m in methods:
        for switch in (False, True):
            options = TrackerOptions(m, switch, last_year)
            weighted, levels = weighted_rows(scored_rows(tables, links, tw, options), options)
            countries.append(country_counts(weighted, levels, options, first, last))
            institutions.append(
                institution_counts(tables["work_institution"], weighted, options, first, last)
            )
    rows = write_parquet(con, ibis.union(*countries), store.result_path(RESULT))
    inst_rows = write_parquet(con, ibis.union(*institutions), store.result_path(INSTITUTIONS))
    meta = {
        "definitions": [
            {"list": tl.list_id, "label": tl.label, "edition": tl.edition, "version": tl.version,
             "path": tl.path, "technologies": len(tl.technologies)}
            for tl in lists
        ],
        "technologies": {t.key: t.name for t in techs},
        "methods": [m.value for m in methods],
        "first_year": first,
        "last_year": last,
        "rows": rows,
        "institution_rows": inst_rows,
        "synthetic": bool(store.read_meta("ingest").get("synthetic", False)),
        "computed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    write_json(store.results_dir / META, meta)
    return meta


def read_meta(store: Store) -> dict[str, Any]:
    """``results/tech.json``; :class:`NotFound` when the tracker was not computed."""
    missing = f"no technology tracker computed in {store.root}: run `scidip tech compute`"
    return read_json(store.results_dir / META, missing)


def read_rows(
    store: Store,
    method: MethodName = MethodName.scidip,
    exclude_same_country: bool = False,
    period_years: int | None = None,
    tech_key: str | None = None,
) -> list[dict[str, Any]]:
    """The tracker's rows for one method and citation setting (optionally one window length,
    one technology)."""
    return _read(store, store.result_path(RESULT), method, exclude_same_country, period_years,
                 tech_key)  # fmt: skip


def _read(
    store: Store, path: Path, method: MethodName, exclude_same_country: bool,
    period_years: int | None, tech_key: str | None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The rows of one of the tracker's results for one method and citation setting."""
    meta = read_meta(store)
    if method.value not in meta["methods"]:
        raise NotFound(f"method {method.value} was not computed: run `scidip tech compute`")
    filters: list[tuple[str, str, Any]] = [
        ("method", "=", method.value),
        ("same_country_excluded", "=", exclude_same_country),
    ]
    if period_years is not None:
        filters.append(("period_years", "=", period_years))
    if tech_key is not None:
        filters.append(("tech_key", "=", tech_key))
    rows: list[dict[str, Any]] = pq.read_table(path, filters=filters).to_pylist()
    return rows


def stability(
    store: Store,
    lists: list[TechList],
    tech_key: str,
    period_end: int,
    period_years: int,
    *,
    method: MethodName = MethodName.scidip,
    exclude_same_country: bool = False,
    samples: int = 1000,
    seed: int = 0,
    con: ibis.BaseBackend | None = None,
) -> list[dict[str, Any]]:
    """Bootstrap stability intervals of each country's top-10 % share and rank in one
    technology and window (:func:`scidip.indicators.tech.stability.intervals`)."""
    meta = read_meta(store)
    techs = [t for tl in lists for t in tl.technologies if t.key == tech_key]
    if not techs:
        raise NotFound(f"no technology {tech_key!r} in the definitions")
    con = con or connect(EngineName.duckdb, IndicatorSettings.from_settings())
    tables, links = store.tables(con), store.links(con)
    tw = technology_works(links, ibis.memtable(query_terms(techs)))
    options = TrackerOptions(method, exclude_same_country, meta["last_year"])
    weighted, _ = weighted_rows(scored_rows(tables, links, tw, options), options)
    start = period_end - period_years + 1
    rows = weighted.filter(weighted.publication_year.between(start, period_end))
    got: pa.Table = con.to_pyarrow(
        rows.select("work_key", "country_code", "paper_weight_frac", "top10_weight")
    )
    return intervals(got, samples=samples, seed=seed)


def latest_window(rows: list[dict[str, Any]], period_end: int | None) -> list[dict[str, Any]]:
    """The rows of the window ending ``period_end`` (None: the latest there is);
    :class:`NotFound` when there is none."""
    if not rows:
        raise NotFound("the tracker holds no row for these options")
    end = period_end if period_end is not None else max(r["period_end"] for r in rows)
    chosen = [r for r in rows if r["period_end"] == end]
    if not chosen:
        raise NotFound(f"no window ends in {end}")
    return chosen


def country_table(
    store: Store,
    lists: list[TechList],
    tech_key: str,
    *,
    method: MethodName = MethodName.scidip,
    counting: str = "frac",
    exclude_same_country: bool = False,
    period_years: int = 5,
    period_end: int | None = None,
    samples: int = 1000,
) -> list[dict[str, Any]]:
    """Every country in one technology and window: ``rank``, ``papers_share_pct``,
    ``top10_share_pct``, and the bootstrap bounds ``share_lb``/``share_ub``,
    ``rank_lb``/``rank_ub`` (None with ``samples`` 0), with the window's years."""
    rows = read_rows(store, method, exclude_same_country, period_years, tech_key)
    rows = latest_window(rows, period_end)
    top = next(iter(ranked(rows, counting).values()))  # one technology, one window
    by_papers = next(iter(ranked(rows, counting, "papers").values()))
    papers = {p["country_code"]: p["share_pct"] for p in by_papers}
    first = rows[0]
    bounds: dict[str, dict[str, Any]] = {}
    if samples:
        found = stability(store, lists, tech_key, first["period_end"], period_years,
                          method=method, exclude_same_country=exclude_same_country,
                          samples=samples)  # fmt: skip
        bounds = {b["country_code"]: b for b in found}
    keys = ("share_lb", "share_ub", "rank_lb", "rank_ub")
    return [
        {"tech_key": tech_key, "period_start": first["period_start"],
         "period_end": first["period_end"], "country_code": r["country_code"], "rank": r["rank"],
         "papers_share_pct": papers[r["country_code"]], "top10_share_pct": r["share_pct"],
         **{k: bounds.get(r["country_code"], {}).get(k) for k in keys}}
        for r in top
    ]  # fmt: skip


def sensitivity(
    store: Store, period_years: int = 5, period_end: int | None = None
) -> list[dict[str, Any]]:
    """Does the answer change? Per technology, the leader in the window under every computed
    method × counting (``frac``, ``whole``) × citation setting, keyed ``<method>_<counting>`` and
    ``<method>_<counting>_no_same_country``, and ``changes``: whether they differ."""
    found: dict[str, dict[str, Any]] = {}
    for method in read_meta(store)["methods"]:
        for switch in (False, True):
            rows = read_rows(store, MethodName(method), switch, period_years)
            rows = latest_window(rows, period_end)
            for counting in ("frac", "whole"):
                for lead in leaders(rows, counting):
                    name = f"{method}_{counting}" + ("_no_same_country" if switch else "")
                    found.setdefault(lead["tech_key"], {
                        "tech_key": lead["tech_key"], "period_start": lead["period_start"],
                        "period_end": lead["period_end"],
                    })[name] = lead["lead"]  # fmt: skip
    out = []
    for tech in sorted(found):
        row = found[tech]
        answers = {v for k, v in row.items() if k not in ("tech_key", "period_start", "period_end")}
        out.append({**row, "changes": len(answers) > 1})
    return out


def read_institution_rows(
    store: Store,
    method: MethodName = MethodName.scidip,
    exclude_same_country: bool = False,
    period_years: int | None = None,
    tech_key: str | None = None,
) -> list[dict[str, Any]]:
    """The institution level's rows (``results/tech_institution_period.parquet``) for one
    method and citation setting (optionally one window length, one technology);
    :class:`NotFound` when the tracker was computed before it had an institution level."""
    path = store.result_path(INSTITUTIONS)
    if store.results_dir.joinpath(META).exists() and not path.exists():
        raise NotFound("the tracker has no institution level yet: run `scidip tech compute`")
    return _read(store, path, method, exclude_same_country, period_years, tech_key)


def _world(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, float]]:
    """Window → the technology's ``world_papers`` and ``world_top10`` (from country rows)."""
    return {tuple(r[k] for k in WINDOW_KEYS): {w: r[w] for w in WORLD} for r in rows}


def institution_table(
    store: Store,
    tech_key: str,
    *,
    method: MethodName = MethodName.scidip,
    counting: str = "frac",
    exclude_same_country: bool = False,
    period_years: int = 5,
    period_end: int | None = None,
) -> list[dict[str, Any]]:
    """Every institution in one technology and window, ranked by its share of the world's
    top-10 % papers: ``rank``, ``institution_id``, ``institution_name``, ``country_code``,
    ``papers_share_pct``, ``top10_share_pct`` and the counts
    (:func:`scidip.indicators.tech.institutions.ranked_institutions`)."""
    countries = read_rows(store, method, exclude_same_country, period_years, tech_key)
    end = latest_window(countries, period_end)[0]["period_end"]
    rows = read_institution_rows(store, method, exclude_same_country, period_years, tech_key)
    rows = [r for r in rows if r["period_end"] == end]
    groups = ranked_institutions(rows, _world(countries), counting)
    return next(iter(groups.values()), [])


def institution_concentration(
    store: Store,
    method: MethodName = MethodName.scidip,
    exclude_same_country: bool = False,
    period_years: int = 5,
    counting: str = "frac",
) -> dict[tuple[Any, ...], dict[str, int]]:
    """Per technology and window: how many of its top-10 institutions each country holds
    (:func:`scidip.indicators.tech.institutions.top_institution_countries`)."""
    countries = read_rows(store, method, exclude_same_country, period_years)
    rows = read_institution_rows(store, method, exclude_same_country, period_years)
    return top_institution_countries(ranked_institutions(rows, _world(countries), counting))


def recorded_lists(meta: dict[str, Any]) -> list[TechList]:
    """The definitions a computed tracker used (``meta``: :func:`read_meta`), as far as they
    can still be read unchanged: the shipped lists and the user's files at their recorded
    paths, each kept only when its label (list, edition, mapping version) is the recorded
    one. What is left out cannot be redrawn (no stability intervals for its technologies)."""
    from scidip.indicators.tech.definitions import load_lists

    shipped = {t.list_id for t in load_lists(None)}
    files = [Path(d["path"]) for d in meta["definitions"] if d["list"] not in shipped]
    try:
        found = load_lists([p for p in files if p.is_file()])
    except InvalidData:
        found = load_lists(None)
    labels = {d["list"]: d["label"] for d in meta["definitions"]}
    return [t for t in found if labels.get(t.list_id) == t.label]
