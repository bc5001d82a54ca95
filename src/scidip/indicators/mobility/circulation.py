"""Brain circulation from authorships over time: each scholar's country per year, their moves
between countries, the country series (padded population, in-, out- and net migration, rates),
the bilateral flows, and the OECD typology.

Definitions (after Akbaritabar, Theile & Zagheni, "Bilateral flows and rates of international
migration of scholars for 210 countries for the period 1998–2020", *Scientific Data* 11:816,
2024, the MPIDR method; where a detail is SciDip's own, it says so):

* **Scholar**: an OpenAlex author id (``authorships[].author.id``).
* **Country of a scholar in a year** (MPIDR): the modal country of the scholar's affiliations
  over that year's publications (each authorship counts once per country it has). Equal counts:
  the alphabetically first code (SciDip's tie rule; the paper's is not reproduced here).
* **Scholars at risk** (SciDip's choice, following MPIDR's use of scholars with more than one
  publication year): only scholars with publications in at least two distinct years are
  counted; one year cannot show a move.
* **Migration** (MPIDR): a change of the scholar's country between two consecutive publication
  years; it is dated to the later year, an out-migration of the earlier country and an
  in-migration of the later one.
* **Padded population** (MPIDR's ``padded_population_of_researchers``): the scholar counts in a
  country every year from their first to their last publication year, a year without
  publications in the country of the latest year before it.
* **Rates** (as the MPIDR series): ``outmigrationrate = out / padded population``,
  ``inmigrationrate = in / padded population``, ``netmigrationrate = (in − out) / padded``;
  the year's padded population counts a mover in the destination (SciDip's reading), and a
  rate is empty (null) where the population is 0.
* **OECD typology** (OECD, *Science, Technology and Industry Scoreboard 2017*, "scientists on
  the move"), per scholar and country ``c`` they were in, over the whole span: **stayer** (only
  ever in ``c``), **outflow** (first in ``c``, last elsewhere), **inflow** (first elsewhere,
  last in ``c``), **returnee** (first and last in ``c``, abroad in between); **transient**
  (SciDip's name for the rest: in ``c`` only between two other countries).
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scidip.indicators.normalise import UNKNOWN_COUNTRY

TYPES = ("stayer", "inflow", "outflow", "returnee", "transient")
COUNTRY_YEAR_SCHEMA = pa.schema(
    [
        ("country_code", pa.string()),
        ("year", pa.int32()),
        *((name, pa.int64()) for name in
          ("padded_population", "inmigrations", "outmigrations", "netmigration")),
        *((name, pa.float64()) for name in
          ("outmigrationrate", "inmigrationrate", "netmigrationrate")),
    ]
)  # fmt: skip


def scholar_years(work_author: ir.Table) -> ir.Table:
    """(author_id, year, country_code): each scholar's modal country in each publication year,
    for scholars with at least two publication years."""
    a = work_author.filter(
        work_author.country_code.notnull() & (work_author.country_code != UNKNOWN_COUNTRY)
    )
    counts = a.group_by(["author_id", "publication_year", "country_code"]).aggregate(n=a.count())
    w = ibis.window(
        group_by=[counts.author_id, counts.publication_year],
        order_by=[ibis.desc(counts.n), counts.country_code],
    )
    ranked = counts.mutate(_r=ibis.row_number().over(w))
    modal = ranked.filter(ranked._r == 0)
    years = modal.group_by("author_id").aggregate(_years=modal.count())
    kept = modal.join(years.filter(years._years >= 2), "author_id")
    return kept.select(
        "author_id", year=kept.publication_year.cast("int32"), country_code=kept.country_code
    )


def scholar_fields(work_author: ir.Table, work_field: ir.Table) -> ir.Table:
    """(author_id, field_id, field_name): each scholar's field, the modal OpenAlex field of
    their works over their whole career (each work once, its field that of its primary topic);
    equal counts: the lowest field id (SciDip's rules). Works without a field do not count; a
    scholar none of whose works has a field has none (no row)."""
    a = work_author.select("author_id", "work_key").distinct()
    f = work_field.filter(work_field.field_id.notnull()).select("work_key", "field_id",
                                                                 "field_name")  # fmt: skip
    j = a.join(f, "work_key")
    counts = j.group_by(["author_id", "field_id"]).aggregate(
        n=j.count(), field_name=j.field_name.max()
    )
    w = ibis.window(group_by=counts.author_id, order_by=[ibis.desc(counts.n), counts.field_id])
    ranked = counts.mutate(_r=ibis.row_number().over(w))
    return ranked.filter(ranked._r == 0).select("author_id", "field_id", "field_name")


def by_field(years: pa.Table, fields: pa.Table) -> dict[str, pa.Table]:
    """:func:`circulation` for the scholars of each field (``fields``: :func:`scholar_fields`),
    each table with ``field_id`` and ``field_name`` first. A scholar counts in one field only,
    so each figure summed over the fields (and the scholars without one, left out here) is the
    figure of :func:`circulation`."""
    codes = dict(zip(fields.column("author_id").to_pylist(),
                     fields.column("field_id").to_pylist(), strict=True))  # fmt: skip
    names = dict(zip(fields.column("field_id").to_pylist(),
                     fields.column("field_name").to_pylist(), strict=True))  # fmt: skip
    field_of = pa.array([codes.get(a) for a in years.column("author_id").to_pylist()],
                        pa.string())  # fmt: skip
    parts: dict[str, list[pa.Table]] = {}
    present = sorted({f for f in field_of.to_pylist() if f is not None})
    if not present:  # nothing to break down: the tables, empty, with their field columns
        empty = circulation(years.slice(0, 0))
        return {name: t.add_column(0, "field_name", pa.array([], pa.string()))
                .add_column(0, "field_id", pa.array([], pa.string()))
                for name, t in empty.items()}  # fmt: skip
    for field in present:
        found = circulation(years.filter(pc.equal(field_of, field)))
        for name, table in found.items():
            n = table.num_rows
            table = table.add_column(0, "field_name", pa.array([names[field]] * n, pa.string()))
            parts.setdefault(name, []).append(
                table.add_column(0, "field_id", pa.array([field] * n, pa.string()))
            )
    return {name: pa.concat_tables(tables, promote_options="default")
            for name, tables in parts.items()}  # fmt: skip


def _sorted(years: pa.Table) -> dict[str, Any]:
    """The rows by scholar and year, scholars and countries as integer codes (Arrow's
    dictionary encoding: no Python objects per row)."""
    t = years.sort_by([("author_id", "ascending"), ("year", "ascending")])

    def encoded(column: str) -> tuple[np.ndarray, np.ndarray]:
        d = pc.dictionary_encode(t.column(column)).combine_chunks()
        return np.asarray(d.indices, dtype=np.int64), np.asarray(d.dictionary.to_pylist(), object)

    author, _ = encoded("author_id")
    country, codes = encoded("country_code")
    # Country codes renumbered alphabetically: the tables come out sorted by country.
    order = np.argsort(codes)
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    country, codes = renumber[country], codes[order]
    return {"author": author, "ids": t.column("author_id"), "year": np.asarray(t.column("year"),
            dtype=np.int64), "country": country, "codes": codes}  # fmt: skip


def circulation(years: pa.Table) -> dict[str, pa.Table]:
    """``moves`` (author_id, year, origin, destination), ``flows`` (year, origin, destination,
    n_migrations), ``country_year`` (country_code, year, padded_population, inmigrations,
    outmigrations, netmigration and the three rates) and ``typology`` (country_code and the
    number of scholars of each of :data:`TYPES`), from :func:`scholar_years` rows."""
    s = _sorted(years)
    author, year, country, codes = s["author"], s["year"], s["country"], s["codes"]
    n = len(year)
    same_next = np.zeros(n, dtype=bool)
    if n > 1:
        same_next[:-1] = author[1:] == author[:-1]
    moved = np.zeros(n, dtype=bool)  # row i moved from row i - 1
    moved[1:] = same_next[:-1] & (country[1:] != country[:-1])
    idx = np.flatnonzero(moved)
    moves = pa.table({
        "author_id": s["ids"].take(pa.array(idx)),
        "year": pa.array(year[idx], pa.int32()),
        "origin": pa.array(codes[country[idx - 1]].tolist(), pa.string()),
        "destination": pa.array(codes[country[idx]].tolist(), pa.string()),
    })  # fmt: skip
    flows = moves.group_by(["year", "origin", "destination"]).aggregate([("author_id", "count")])
    flows = flows.rename_columns(["year", "origin", "destination", "n_migrations"]).sort_by(
        [("year", "ascending"), ("origin", "ascending"), ("destination", "ascending")]
    )
    return {
        "moves": moves,
        "flows": flows,
        "country_year": _country_year(year, country, codes, same_next, idx),
        "typology": _typology(country, codes, same_next),
    }


def _country_year(
    year: np.ndarray, country: np.ndarray, codes: np.ndarray, same_next: np.ndarray,
    moved: np.ndarray,
) -> pa.Table:  # fmt: skip
    if len(year) == 0:
        return pa.table(
            {"country_code": pa.array([], pa.string()), "year": pa.array([], pa.int32())}
        )
    first, last = int(year.min()), int(year.max())
    span = last - first + 2
    # Each observed year covers itself up to the next observed year of the same scholar.
    end = np.where(same_next, np.r_[year[1:], 0] - 1, year)
    pop = np.zeros((len(codes), span), dtype=np.int64)
    np.add.at(pop, (country, year - first), 1)
    np.add.at(pop, (country, end - first + 1), -1)
    pop = np.cumsum(pop, axis=1)[:, :-1]
    ins = np.zeros_like(pop)
    outs = np.zeros_like(pop)
    np.add.at(ins, (country[moved], year[moved] - first), 1)
    np.add.at(outs, (country[moved - 1], year[moved] - first), 1)
    c, y = np.nonzero(pop + ins + outs)
    p, i, o = pop[c, y], ins[c, y], outs[c, y]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = {name: np.where(p > 0, v / np.maximum(p, 1), np.nan)
                for name, v in (("out", o), ("in", i), ("net", i - o))}  # fmt: skip
    return pa.table({
        "country_code": pa.array(codes[c].tolist(), pa.string()),
        "year": pa.array(y + first, pa.int32()),
        "padded_population": p, "inmigrations": i, "outmigrations": o, "netmigration": i - o,
        "outmigrationrate": pa.array(rate["out"], from_pandas=True),
        "inmigrationrate": pa.array(rate["in"], from_pandas=True),
        "netmigrationrate": pa.array(rate["net"], from_pandas=True),
    }).cast(COUNTRY_YEAR_SCHEMA)  # fmt: skip


def _typology(country: np.ndarray, codes: np.ndarray, same_next: np.ndarray) -> pa.Table:
    """Scholars of each type per country (vectorised over scholars)."""
    k = len(codes)
    group = np.r_[0, np.cumsum(~same_next[:-1])] if len(country) else country
    ends = np.flatnonzero(~same_next)
    starts = np.r_[0, ends[:-1] + 1] if len(ends) else ends
    first, last = country[starts], country[ends]
    pairs = np.unique(group * k + country)
    g, c = pairs // k, pairs % k
    n_countries = np.bincount(g, minlength=len(ends))
    kind = np.select(
        [n_countries[g] == 1, (first[g] == c) & (last[g] == c), first[g] == c, last[g] == c],
        [0, 3, 2, 1],
        default=4,
    )  # indices into TYPES
    counts = np.bincount(c * len(TYPES) + kind, minlength=k * len(TYPES)).reshape(k, len(TYPES))
    present = np.flatnonzero(counts.sum(axis=1))
    columns: dict[str, Any] = {"country_code": pa.array(codes[present].tolist(), pa.string())}
    for j, name in enumerate(TYPES):
        columns[f"{name}s"] = pa.array(counts[present, j], pa.int64())
    return pa.table(columns)
