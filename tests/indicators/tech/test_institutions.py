"""The tracker's institution level on the planted snapshot: each planted institution's shares
recovered exactly, the lead country's share of the top-10 institutions, the same counts on
DuckDB and Spark."""

from __future__ import annotations

from typing import Any

import ibis
import pytest

from scidip.indicators.method import MethodName
from scidip.indicators.store import Store
from scidip.indicators.tech import service
from scidip.indicators.tech.definitions import TechList
from scidip.indicators.tech.institutions import institution_counts, with_lead_institutions
from scidip.indicators.tech.leaders import leaders
from scidip.indicators.tech.match import query_terms, technology_works
from scidip.indicators.tech.tracker import TrackerOptions, scored_rows, weighted_rows


@pytest.fixture(scope="module")
def computed(planted_store: Store, syn_list: TechList) -> Store:
    service.compute(planted_store, [syn_list])
    return planted_store


def _table(store: Store, tech: str, **options: Any) -> list[tuple[Any, ...]]:
    rows = service.institution_table(store, tech, **options)
    return [
        (r["rank"], r["institution_id"], r["country_code"], round(r["papers_share_pct"], 9),
         round(r["top10_share_pct"], 9))
        for r in rows
    ]  # fmt: skip


@pytest.mark.parametrize("method", list(MethodName))
def test_the_planted_institutions_shares_are_recovered_exactly(computed, method):
    # lead3, each year: 40 papers; the top 4 are US 40 (paper 0: US_A), 39 (1: US_B),
    # 38 (2: US_A) and JP 37 (15: JP_B). Papers: US_A holds the even of US's 15 (8), US_B 7,
    # JP_B the odd of 15..27 (7), JP_A 6, DE_A and DE_B 6 each; one institution per paper.
    assert _table(computed, "syn/lead3", method=method) == [
        (1, "I_US_A", "USA", 20.0, 50.0),
        (2, "I_JP_B", "JPN", 17.5, 25.0),  # equal shares: by institution id
        (3, "I_US_B", "USA", 17.5, 25.0),
        (4, "I_DE_A", "DEU", 15.0, 0.0),
        (5, "I_DE_B", "DEU", 15.0, 0.0),
        (6, "I_JP_A", "JPN", 15.0, 0.0),
    ]


def test_without_same_country_citations_the_switch_institutions_change(computed):
    # switch: CHN's top 3 (papers 0, 1, 2: CN_A, CN_B, CN_A) lead with the CHN cluster; without
    # it USA's (papers 10, 11, 12: US_A, US_B, US_A) do. 30 papers a year.
    top = [r[:2] + r[4:] for r in _table(computed, "syn/switch")][:2]
    assert top == [(1, "I_CN_A", round(200 / 3, 9)), (2, "I_CN_B", round(100 / 3, 9))]
    top = [r[:2] + r[4:] for r in _table(computed, "syn/switch", exclude_same_country=True)][:2]
    assert top == [(1, "I_US_A", round(200 / 3, 9)), (2, "I_US_B", round(100 / 3, 9))]


def test_the_lead_countrys_share_of_the_top_ten_institutions(computed):
    rows = service.latest_window(service.read_rows(computed, period_years=5), None)
    found = with_lead_institutions(leaders(rows), service.institution_concentration(computed))
    assert [(r["tech_key"], r["lead"], r["lead_top10_institutions"]) for r in found] == [
        ("syn/lead2", "CHN", 2),  # CN_A, CN_B hold CHN's two top papers; US_A the third
        ("syn/lead3", "USA", 2),
        ("syn/switch", "CHN", 2),
    ]
    assert service.institution_concentration(computed)[("syn/lead3", 5, 2016, 2020)] == {
        "USA": 2,
        "JPN": 1,
    }


def test_institution_counts_add_up_to_the_countrys(computed):
    # One institution per paper: an institution level summed by country is the country level.
    inst = service.read_institution_rows(computed, MethodName.cwts, True, 5)
    countries = service.read_rows(computed, MethodName.cwts, True, 5)
    summed: dict[tuple[str, str], float] = {}
    for r in inst:
        key = (r["tech_key"], r["country_code"])
        summed[key] = summed.get(key, 0.0) + r["top10_frac"]
    assert summed == pytest.approx(
        {
            (r["tech_key"], r["country_code"]): r["top10_frac"]
            for r in countries
            if r["country_code"] in {c for _, c in summed}
        }
    )


def test_duckdb_and_spark_give_the_same_institution_counts(planted_store, syn_list, engine):
    def counts(con: ibis.BaseBackend) -> list[dict[str, Any]]:
        tables, links = planted_store.tables(con), planted_store.links(con)
        tw = technology_works(links, ibis.memtable(query_terms(list(syn_list.technologies))))
        options = TrackerOptions(MethodName.nistep, True)
        weighted, _ = weighted_rows(scored_rows(tables, links, tw, options), options)
        expr = institution_counts(tables["work_institution"], weighted, options, 2016, 2020)
        order = ["tech_key", "period_years", "period_end", "institution_id"]
        return con.to_pyarrow(expr.order_by(order)).to_pylist()

    reference = counts(ibis.duckdb.connect())
    got = counts(engine)
    # 3 technologies × 6 institutions × (5 single years + one 5-year window)
    assert len(got) == len(reference) == 108
    assert got == [pytest.approx(r) for r in reference]
