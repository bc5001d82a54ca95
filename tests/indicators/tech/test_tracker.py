"""The tracker on the planted synthetic snapshot: planted leaders recovered exactly, the
citation switch flips the planted lead and nothing else, the same numbers on DuckDB and Spark."""

from __future__ import annotations

from typing import Any

import ibis
import pytest

from scidip.indicators.method import MethodName
from scidip.indicators.store import Store
from scidip.indicators.tech import service
from scidip.indicators.tech.definitions import TechList
from scidip.indicators.tech.leaders import leaders
from scidip.indicators.tech.match import query_terms, technology_works
from scidip.indicators.tech.tracker import TrackerOptions, same_country_citations, tracker_counts

#: Hand-computed from PLANTED: lead2's top 3 papers a year are CHN, CHN, USA; lead3's top 4
#: are USA ×3, JPN; switch's top 3 are CHN's (with the CHN cluster) or USA's (without).
LEADS = {
    "syn/lead2": (
        "CHN",
        round(200 / 3, 9),
        "USA",
        round(100 / 3, 9),
        2.0,
        round(5 / 9, 9),
        "medium",
    ),
    "syn/lead3": ("USA", 75.0, "JPN", 25.0, 3.0, 0.625, "high"),
}
SWITCH_WITH = ("CHN", 100.0, "JPN", 0.0, None, 1.0, "high")
SWITCH_WITHOUT = ("USA", 100.0, "CHN", 0.0, None, 1.0, "high")
FIELDS = ("lead", "lead_share_pct", "second", "second_share_pct", "lead_ratio", "hhi", "risk")


@pytest.fixture(scope="module")
def computed(planted_store: Store, syn_list: TechList) -> Store:
    service.compute(planted_store, [syn_list])
    return planted_store


def _leads(store: Store, method: MethodName, switch: bool, years: int) -> dict[Any, tuple]:
    rows = service.read_rows(store, method, switch, period_years=years)
    return {
        (r["tech_key"], r["period_end"]): tuple(
            round(r[f], 9) if isinstance(r[f], float) else r[f] for f in FIELDS
        )
        for r in leaders(rows)
    }


@pytest.mark.parametrize("method", list(MethodName))
@pytest.mark.parametrize("years", [1, 5])
def test_the_tracker_recovers_the_planted_leaders_exactly(computed, method, years):
    ends = range(2016, 2021) if years == 1 else [2020]
    expected = {(k, e): v for k, v in LEADS.items() for e in ends}
    expected |= {("syn/switch", e): SWITCH_WITH for e in ends}
    assert _leads(computed, method, False, years) == expected


@pytest.mark.parametrize("method", list(MethodName))
def test_the_citation_switch_flips_the_planted_lead_and_nothing_else(computed, method):
    with_all = _leads(computed, method, False, 1)
    without = _leads(computed, method, True, 1)
    changed = {k for k in with_all if with_all[k] != without[k]}
    assert changed == {("syn/switch", year) for year in range(2016, 2021)}
    assert {without[k] for k in changed} == {SWITCH_WITHOUT}
    # Counts other than the top 10 % do not move either.
    keep = ("papers_whole", "papers_frac", "world_papers", "world_top10")
    a = service.read_rows(computed, method, False, period_years=5)
    b = service.read_rows(computed, method, True, period_years=5)

    def key(r: dict[str, Any]) -> tuple[str, str]:
        return r["tech_key"], r["country_code"]

    assert {key(r): [r[k] for k in keep] for r in a} == {key(r): [r[k] for k in keep] for r in b}


def test_every_result_names_the_definitions_it_used(computed):
    meta = service.read_meta(computed)
    assert [d["label"] for d in meta["definitions"]] == ["syn test (mapping v1)"]
    assert (meta["first_year"], meta["last_year"], meta["synthetic"]) == (2016, 2020, True)
    assert meta["technologies"] == {
        "syn/lead2": "Planted lead2",
        "syn/lead3": "Planted lead3",
        "syn/switch": "Planted switch",
    }


def test_same_country_citations_are_the_planted_cluster(planted_store, engine):
    tables, links = planted_store.tables(engine), planted_store.links(engine)
    same = same_country_citations(links["work_reference"], tables["works"], tables["work_country"])
    got = engine.to_pyarrow(
        same.join(tables["works"], "work_key").select("work_id", "same_country")
    )
    expected = {f"W{y}_switch_{i}": 15 for y in range(2016, 2021) for i in range(3)}
    assert dict(zip(*got.to_pydict().values(), strict=True)) == expected


def test_duckdb_and_spark_give_the_same_counts(planted_store, syn_list, engine):
    def counts(con: ibis.BaseBackend) -> list[dict[str, Any]]:
        tables, links = planted_store.tables(con), planted_store.links(con)
        tw = technology_works(links, ibis.memtable(query_terms(list(syn_list.technologies))))
        expr = tracker_counts(
            tables, links, tw, TrackerOptions(MethodName.nistep, True), 2016, 2020
        )
        order = ["tech_key", "period_years", "period_end", "country_code"]
        return con.to_pyarrow(expr.order_by(order)).to_pylist()

    reference = counts(ibis.duckdb.connect())
    got = counts(engine)
    assert len(got) == len(reference) == 54
    assert got == [pytest.approx(r) for r in reference]
