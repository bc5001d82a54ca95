"""Brain circulation: the planted careers' moves recovered exactly, the modal country, padding,
rates and the OECD typology on hand-made authorships."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa

from scidip.indicators.mobility.circulation import (
    by_field,
    circulation,
    scholar_fields,
    scholar_years,
)
from scidip.indicators.store import Store
from scidip.indicators.tech.synthetic import CAREERS, PLANTED_MOVES


def test_the_moves_are_exactly_the_planted_moves(planted_store: Store, engine: ibis.BaseBackend):
    years = engine.to_pyarrow(scholar_years(planted_store.links(engine)["work_author"]))
    # Only the career authors have two or more publication years.
    assert sorted(set(years.column("author_id").to_pylist())) == sorted(a for a, _ in CAREERS)
    got = circulation(years)
    moves = sorted(tuple(r.values()) for r in got["moves"].to_pylist())
    assert moves == sorted((a, 2016 + k, o, d) for a, k, o, d in PLANTED_MOVES)
    assert got["flows"].to_pylist() == [
        {"year": 2017, "origin": "CHN", "destination": "JPN", "n_migrations": 1},
        {"year": 2018, "origin": "JPN", "destination": "USA", "n_migrations": 1},
        {"year": 2019, "origin": "DEU", "destination": "JPN", "n_migrations": 1},
        {"year": 2019, "origin": "JPN", "destination": "CHN", "n_migrations": 1},
    ]
    japan = [r for r in got["country_year"].to_pylist() if r["country_code"] == "JPN"]
    # A_STAY all years; A_OUT 2016-17; A_RETURN 2017-18; A_IN 2019-20.
    assert [(r["year"], r["padded_population"], r["inmigrations"], r["outmigrations"])
            for r in japan] == [
        (2016, 2, 0, 0), (2017, 3, 1, 0), (2018, 2, 0, 1), (2019, 2, 1, 1), (2020, 2, 0, 0),
    ]  # fmt: skip
    assert got["typology"].to_pylist() == [
        {"country_code": "CHN", "stayers": 0, "inflows": 0, "outflows": 0, "returnees": 1,
         "transients": 0},
        {"country_code": "DEU", "stayers": 0, "inflows": 0, "outflows": 1, "returnees": 0,
         "transients": 0},
        {"country_code": "JPN", "stayers": 1, "inflows": 1, "outflows": 1, "returnees": 0,
         "transients": 1},
        {"country_code": "USA", "stayers": 0, "inflows": 1, "outflows": 0, "returnees": 0,
         "transients": 0},
    ]  # fmt: skip


def test_by_field_the_planted_scholars_moves_fall_in_their_planted_fields(
    planted_store: Store, engine: ibis.BaseBackend
):
    links, tables = planted_store.links(engine), planted_store.tables(engine)
    fields = engine.to_pyarrow(
        scholar_fields(links["work_author"], tables["work_field"]).order_by("author_id")
    )
    # A_RETURN: three works in 22, two in 17 → 22. Every one-year author has a field too.
    pairs = zip(*fields.select(["author_id", "field_id"]).to_pydict().values(), strict=True)
    careers = {a: f for a, f in pairs if a.startswith("A_") and "_W" not in a}
    assert careers == {"A_IN": "17", "A_OUT": "22", "A_RETURN": "22", "A_STAY": "17"}
    years = engine.to_pyarrow(scholar_years(links["work_author"]))
    got = by_field(years, fields)
    assert got["flows"].to_pylist() == [
        {"field_id": "17", "field_name": "Computer Science", "year": 2019, "origin": "DEU",
         "destination": "JPN", "n_migrations": 1},
        {"field_id": "22", "field_name": "Engineering", "year": 2017, "origin": "CHN",
         "destination": "JPN", "n_migrations": 1},
        {"field_id": "22", "field_name": "Engineering", "year": 2018, "origin": "JPN",
         "destination": "USA", "n_migrations": 1},
        {"field_id": "22", "field_name": "Engineering", "year": 2019, "origin": "JPN",
         "destination": "CHN", "n_migrations": 1},
    ]  # fmt: skip
    japan = [
        (r["field_id"], r["year"], r["padded_population"], r["inmigrations"], r["outmigrations"])
        for r in got["country_year"].to_pylist() if r["country_code"] == "JPN"
    ]  # fmt: skip
    # 17: A_STAY every year, A_IN from 2019. 22: A_OUT 2016-17, A_RETURN 2017-18 (out in 2019).
    assert japan == [
        ("17", 2016, 1, 0, 0), ("17", 2017, 1, 0, 0), ("17", 2018, 1, 0, 0),
        ("17", 2019, 2, 1, 0), ("17", 2020, 2, 0, 0),
        ("22", 2016, 1, 0, 0), ("22", 2017, 2, 1, 0), ("22", 2018, 1, 0, 1),
        ("22", 2019, 0, 0, 1),
    ]  # fmt: skip
    # Summed over the fields, the figures are those of all scholars.
    total = {r["year"]: r["padded_population"] for r in circulation(years)["country_year"]
             .to_pylist() if r["country_code"] == "JPN"}  # fmt: skip
    summed: dict[int, int] = {}
    for _, year, pop, _, _ in japan:
        summed[year] = summed.get(year, 0) + pop
    assert summed == total
    assert [(r["field_id"], r["country_code"], r["returnees"], r["transients"])
            for r in got["typology"].to_pylist() if r["returnees"] or r["transients"]] == [
        ("22", "CHN", 1, 0), ("22", "JPN", 0, 1),
    ]  # fmt: skip


def test_a_field_tie_goes_to_the_lowest_field_id_and_no_field_no_row():
    con = ibis.duckdb.connect()
    authors = ibis.memtable({"work_key": [1, 2, 3, 4], "author_id": ["A", "A", "B", "C"]})
    fields = ibis.memtable(
        {
            "work_key": [1, 2, 3, 4],
            "field_id": ["27", "13", "31", None],
            "field_name": ["Mathematics", "Biochemistry", "Physics", None],
        }
    )
    got = con.to_pyarrow(scholar_fields(authors, fields).order_by("author_id")).to_pylist()
    assert got == [
        {"author_id": "A", "field_id": "13", "field_name": "Biochemistry"},
        {"author_id": "B", "field_id": "31", "field_name": "Physics"},
    ]  # fmt: skip


def test_nothing_to_break_down_gives_empty_tables_with_their_field_columns():
    empty = pa.table({"author_id": pa.array([], pa.string()), "year": pa.array([], pa.int32()),
                      "country_code": pa.array([], pa.string())})  # fmt: skip
    fields = pa.table({"author_id": pa.array([], pa.string()),
                       "field_id": pa.array([], pa.string()),
                       "field_name": pa.array([], pa.string())})  # fmt: skip
    got = by_field(empty, fields)
    assert {k: (t.num_rows, t.column_names[:2]) for k, t in got.items()} == {
        k: (0, ["field_id", "field_name"]) for k in ("moves", "flows", "country_year", "typology")
    }


def _authorships(rows: list[tuple[str, int, str | None]]) -> ibis.Table:
    names = ("author_id", "publication_year", "country_code")
    return ibis.memtable(
        pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)},
                 schema=pa.schema([(names[0], pa.string()), (names[1], pa.int32()),
                                   (names[2], pa.string())]))
    )  # fmt: skip


def _years(rows: list[tuple[str, int, str | None]]) -> list[dict[str, Any]]:
    con = ibis.duckdb.connect()
    t = con.to_pyarrow(scholar_years(_authorships(rows)).order_by(["author_id", "year"]))
    return t.to_pylist()


def test_the_modal_country_ties_to_the_first_code_and_one_year_is_not_enough():
    rows = [
        ("A", 2010, "USA"), ("A", 2010, "JPN"), ("A", 2010, "JPN"),  # JPN 2 : USA 1
        ("A", 2012, "USA"), ("A", 2012, "DEU"),  # a tie: DEU before USA
        ("A", 2013, None), ("A", 2013, "XXX"),  # no country: the year is not observed
        ("B", 2011, "FRA"), ("B", 2011, "FRA"),  # one year only: not at risk
    ]  # fmt: skip
    assert _years(rows) == [
        {"author_id": "A", "year": 2010, "country_code": "JPN"},
        {"author_id": "A", "year": 2012, "country_code": "DEU"},
    ]


def test_padding_carries_a_country_over_years_without_publications():
    years = pa.table(
        {
            "author_id": ["A", "A", "A"],
            "year": pa.array([2010, 2013, 2014], pa.int32()),
            "country_code": ["JPN", "JPN", "KOR"],
        }
    )
    got = circulation(years)["country_year"].to_pylist()
    assert [(r["country_code"], r["year"], r["padded_population"], r["inmigrations"],
             r["outmigrations"], r["netmigrationrate"]) for r in got] == [
        ("JPN", 2010, 1, 0, 0, 0.0), ("JPN", 2011, 1, 0, 0, 0.0), ("JPN", 2012, 1, 0, 0, 0.0),
        ("JPN", 2013, 1, 0, 0, 0.0),
        ("JPN", 2014, 0, 0, 1, None),  # the mover counts in the destination: no rate
        ("KOR", 2014, 1, 1, 0, 1.0),
    ]  # fmt: skip


def test_nothing_in_nothing_out():
    empty = pa.table({"author_id": pa.array([], pa.string()), "year": pa.array([], pa.int32()),
                      "country_code": pa.array([], pa.string())})  # fmt: skip
    got = circulation(empty)
    assert [got[k].num_rows for k in ("moves", "flows", "country_year", "typology")] == [0] * 4
