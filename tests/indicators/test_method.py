"""``compute --method``: SciDip's, CWTS's and NISTEP's choices on hand-computed sets, on every
engine (ingested from JSON records, computed on DuckDB and on Spark)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scidip.indicators.compute import compute
from scidip.indicators.highly_cited import reference_levels
from scidip.indicators.ingest import ingest
from scidip.indicators.method import MethodName
from scidip.indicators.pipeline import ComputeOptions
from scidip.indicators.store import Store


def _work(n: int, year: int, country: str | None, cites: int, **extra: Any) -> dict[str, Any]:
    record = {
        "id": f"W{n}", "publication_year": year, "type": "article", "cited_by_count": cites,
        "referenced_works_count": 5, "updated_date": "2024-06-01",
        "primary_location": {"source": {"type": "journal"}},
        "primary_topic": {"id": "https://openalex.org/T1",
                          "field": {"id": "https://openalex.org/fields/17", "display_name": "CS"}},
        "authorships": [{"countries": [country] if country else []}],
    }  # fmt: skip
    return record | extra


def _store(root: Path, works: list[dict[str, Any]]) -> Store:
    folder = root / "snap" / "data" / "works" / "updated_date=2024-06-01"
    folder.mkdir(parents=True)
    with gzip.open(folder / "part_000.gz", "wt") as handle:
        handle.write("\n".join(json.dumps(w) for w in works) + "\n")
    store = Store(root / "store")
    ingest(root / "snap", store)
    return store


def _rows(store: Store, name: str, **where: Any) -> list[dict[str, Any]]:
    rows = pq.read_table(store.result_path(name)).to_pylist()
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def _by_country(store: Store, *cols: str, **where: Any) -> dict[str, tuple[Any, ...]]:
    rows = _rows(store, "country_field_period", field_id="all", **where)
    return {r["country_code"]: tuple(r[c] for c in cols) for r in rows}


#: 100 papers of 2020 in one field: A's cited 100, 99, 98, 97; B's 96, 95; C's 94; five of D's
#: tied at 50; 88 of E's at 1 (Cabinet Office's example of NISTEP's rule: 7 papers within the
#: top 10 %, A 4, B 2, C 1). Plus one A paper in 2018 and one in 2019.
TIES = (
    [("JP", c) for c in (100, 99, 98, 97)] + [("US", 96), ("US", 95), ("DE", 94)]
    + [("FR", 50)] * 5 + [("IT", 1)] * 88
)  # fmt: skip


@pytest.fixture(scope="module")
def ties(tmp_path_factory: pytest.TempPathFactory) -> Store:
    works = [_work(i, 2020, c, n) for i, (c, n) in enumerate(TIES)]
    works += [_work(900, 2018, "JP", 3), _work(901, 2019, "JP", 4)]
    return _store(tmp_path_factory.mktemp("ties"), works)


def test_scidip_splits_the_tie_at_the_threshold(ties: Store, engine: Any):
    compute(ties, engine, ComputeOptions(method=MethodName.scidip))
    # 10 top papers: 7 above the tie, the 5 tied at 50 share the other 3 (0.6 each).
    got = _by_country(ties, "top10_frac", "rank_top10_frac", period_years=1, period_end=2020)
    assert got == {
        "JPN": (pytest.approx(4.0), 1), "FRA": (pytest.approx(3.0), 2),
        "USA": (pytest.approx(2.0), 3), "DEU": (pytest.approx(1.0), 4),
        "ITA": (pytest.approx(0.0), 5),
    }  # fmt: skip
    window = _by_country(ties, "papers_whole", "world_papers", period_years=3, period_end=2020)
    assert window["JPN"] == (6, 102)


def test_nistep_extracts_7_papers_and_scales_them_by_10_over_7(ties: Store, engine: Any):
    compute(ties, engine, ComputeOptions(method=MethodName.nistep))
    got = _by_country(ties, "top10_frac", "rank_top10_frac", period_years=1, period_end=2020)
    # The tie at 50 would pass 10 %: not extracted; A 4 · 10/7, B 2 · 10/7, C 10/7; D and E
    # have none (tied at rank 4). Germany's rank falls from 4 to 3, France's from 2 to 4.
    assert got == {
        "JPN": (pytest.approx(40 / 7), 1), "USA": (pytest.approx(20 / 7), 2),
        "DEU": (pytest.approx(10 / 7), 3), "FRA": (pytest.approx(0.0), 4),
        "ITA": (pytest.approx(0.0), 4),
    }  # fmt: skip
    world = _rows(ties, "world_field_period", field_id="all", period_years=1, period_end=2020)
    assert (world[0]["world_top10"], world[0]["world_top1"]) == (pytest.approx(10.0), 1.0)
    # 3-year windows are averages: JPN (1 + 1 + 4) / 3 papers, the world (1 + 1 + 100) / 3.
    # A reference set of one paper extracts none (it is more than 10 % of the set).
    window = _by_country(ties, "papers_whole", "world_papers", "top10_frac",
                         period_years=3, period_end=2020)  # fmt: skip
    assert window["JPN"] == (pytest.approx(2.0), pytest.approx(34.0), pytest.approx(40 / 21))
    shares = _by_country(ties, "world_share_frac_pct", period_years=3, period_end=2020)
    assert shares["JPN"] == (pytest.approx(100 * 6 / 102),)  # a ratio of averages: unchanged


@pytest.mark.parametrize(
    ("rule", "expected"),
    # 20 papers cited 50, 30, 30, 30 and sixteen times 10 (the docs' example): top 10 % = 2.
    [
        ("split", [(50, 1.0), (30, 1 / 3), (10, 0.0)]),
        ("extract", [(50, 2.0), (30, 0.0), (10, 0.0)]),
    ],
)
def test_the_two_tie_rules_on_the_docs_example(load, run, rule, expected):
    cites = [50, 30, 30, 30] + [10] * 16
    papers = load(pa.table({"field_id": ["F"] * 20, "publication_year": [2020] * 20,
                            "citations": cites}))  # fmt: skip
    got = run(reference_levels(papers, rule=rule), ["citations"])
    assert [(r["citations"], r["top10_weight"]) for r in reversed(got)] == [
        (c, pytest.approx(w)) for c, w in expected
    ]


@pytest.fixture(scope="module")
def cwts(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Eleven works of 2020, field 17."""

    def source(kind: str) -> dict[str, Any]:
        return {"primary_location": {"source": {"type": kind}}}

    t2 = {"primary_topic": {"id": "https://openalex.org/T2",
                            "field": {"id": "https://openalex.org/fields/17"}}}  # fmt: skip
    works = [
        _work(1, 2020, "JP", 10),  # article, journal, topic T1: doc type 2
        _work(2, 2020, "US", 0, type="review"),  # review, journal: 2
        _work(3, 2020, "DE", 3, **source("conference")),  # article in proceedings: 4
        _work(4, 2020, "FR", 5, type="book-chapter", **source("book series")),  # 2
        _work(5, 2020, "JP", 1, type="book-chapter", **source("ebook platform")),  # 4
        _work(6, 2020, "US", 7, **t2),  # topic T2: its own reference set
        _work(7, 2020, "US", 9, **source("repository")),  # 1: not counted
        _work(8, 2020, "US", 9, referenced_works_count=0),  # no reference
        _work(9, 2020, None, 9),  # no country, no institution
        _work(10, 2020, "US", 9, type="preprint", **source("repository")),
        _work(11, 2020, "US", 9, type="conference-paper", **source("conference")),
    ]
    return _store(tmp_path_factory.mktemp("cwts"), works)


def test_cwts_document_types_metadata_and_reference_sets(cwts: Store, engine: Any):
    report = compute(cwts, engine, ComputeOptions(method=MethodName.cwts))
    assert {k: v for k, v in report.coverage.items() if not k.startswith("counted_")} == {
        "records_read": 11, "superseded_records": 0, "malformed_skipped": 0,
        "works": 11, "counted": 6, "excluded_type": 3, "excluded_retracted": 0,
        "excluded_incomplete_year": 0, "excluded_no_references": 1, "excluded_no_country": 1,
        "excluded_type:article": 1, "excluded_type:conference-paper": 1,
        "excluded_type:preprint": 1,
    }  # fmt: skip
    # Reference sets (topic, document type): T1/2 holds W1 (10), W4 (5), W2 (0): 0.3 top-10 %
    # papers, all W1's; T1/4 holds W3 (3), W5 (1): 0.2, W3's; T2/2 holds W6 alone: 0.1.
    got = _by_country(cwts, "papers_whole", "top10_frac", period_years=1, period_end=2020)
    assert got == {
        "JPN": (2, pytest.approx(0.3)), "USA": (2, pytest.approx(0.1)),
        "DEU": (1, pytest.approx(0.2)), "FRA": (1, pytest.approx(0.0)),
    }  # fmt: skip
    # Under SciDip's choices the same works give 7 papers: articles and reviews whatever their
    # source (W7 too), no references needed (W8), the one without a country kept as XXX (W9).
    report = compute(cwts, engine, ComputeOptions(method=MethodName.scidip))
    assert (report.coverage["counted"], report.coverage["excluded_type"]) == (7, 4)
    # NISTEP's are the same: articles and reviews (W3 and W7 too), no book chapter (W4, W5).
    report = compute(cwts, engine, ComputeOptions(method=MethodName.nistep))
    assert (report.coverage["counted"], report.coverage["excluded_type"]) == (7, 4)
    assert {k for k in report.coverage if k.startswith("excluded_type:")} == {
        "excluded_type:book-chapter",
        "excluded_type:conference-paper",
        "excluded_type:preprint",
    }


#: Computer science, a level-0 concept: field 17 for a record without ``primary_topic``.
NO_TOPIC = {
    "primary_topic": None,
    "concepts": [{"id": "https://openalex.org/C41008148", "level": 0, "score": 0.9,
                  "display_name": "Computer science"}],
}  # fmt: skip


@pytest.fixture(scope="module")
def cwts_ties(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Field 17, articles in journals. 2020: topic T1 holds the docs' example (50 JP; 30 US,
    DE, FR; sixteen times 10 IT) and two works without a topic (9 GB, 1 ES); 2019: JP 3 and
    a work without a country (0); 2018: JP 4."""
    works = [_work(1, 2020, "JP", 50), _work(2, 2020, "US", 30), _work(3, 2020, "DE", 30),
             _work(4, 2020, "FR", 30)]  # fmt: skip
    works += [_work(10 + i, 2020, "IT", 10) for i in range(16)]
    works += [_work(30, 2020, "GB", 9, **NO_TOPIC), _work(31, 2020, "ES", 1, **NO_TOPIC)]
    works += [_work(40, 2019, "JP", 3), _work(41, 2019, None, 0), _work(42, 2018, "JP", 4)]
    return _store(tmp_path_factory.mktemp("cwts_ties"), works)


def test_cwts_splits_ties_within_a_topic_and_sums_its_windows(cwts_ties: Store, engine: Any):
    compute(cwts_ties, engine, ComputeOptions(method=MethodName.cwts))
    cols = ("papers_whole", "top10_frac", "world_papers")
    got = _by_country(cwts_ties, *cols, period_years=1, period_end=2020)
    # T1 × article × 2020, 20 papers, 2 top: the 50 counts 1, each 30 (2 − 1) / 3. The works
    # without a topic are their own set in field 17 (2 papers, 0.2 top: the 9's). World: 22.
    assert got == {
        "JPN": (1, pytest.approx(1.0), 22), "USA": (1, pytest.approx(1 / 3), 22),
        "DEU": (1, pytest.approx(1 / 3), 22), "FRA": (1, pytest.approx(1 / 3), 22),
        "ITA": (16, pytest.approx(0.0), 22), "GBR": (1, pytest.approx(0.2), 22),
        "ESP": (1, pytest.approx(0.0), 22),
    }  # fmt: skip
    shares = _by_country(cwts_ties, "world_share_frac_pct", period_years=1, period_end=2020)
    assert sum(v for (v,) in shares.values()) == pytest.approx(100.0)
    # 2019 without the work without a country (left out): JP alone, 0.1. 2018: JP alone, 0.1.
    # Windows are sums: JPN 3 papers, 1 + 0.1 + 0.1 top; the world 22 + 1 + 1.
    window = _by_country(cwts_ties, *cols, period_years=3, period_end=2020)
    assert window["JPN"] == (3, pytest.approx(1.2), 24)
    assert "XXX" not in window
    world = _rows(cwts_ties, "world_field_period", field_id="all", period_years=3,
                  period_end=2020)  # fmt: skip
    assert world[0]["world_top10"] == pytest.approx(2.4)


def test_cwts_with_countryless_keeps_them_in_the_world(cwts_ties: Store, engine: Any):
    report = compute(
        cwts_ties, engine, ComputeOptions(method=MethodName.cwts, without_country=True)
    )
    assert (report.coverage["counted"], report.coverage["excluded_no_country"]) == (25, 0)
    # 2019's set is now JP 3 and XXX 0: 0.2 top, all JP's.
    got = _by_country(cwts_ties, "papers_whole", "top10_frac", "world_papers", "rank_top10_frac",
                      period_years=1, period_end=2019)  # fmt: skip
    assert got == {"JPN": (1, pytest.approx(0.2), 2, 1), "XXX": (1, pytest.approx(0.0), 2, None)}
    window = _by_country(cwts_ties, "papers_whole", "top10_frac", "world_papers",
                         period_years=3, period_end=2020)  # fmt: skip
    assert window["JPN"] == (3, pytest.approx(1.3), 25)


def test_the_three_rules_on_the_same_records(cwts_ties: Store, engine: Any):
    # Field 17 × 2020 under scidip and nistep: one set of 22 papers (topics ignored), top 10 %
    # = 2.2. scidip: the 50 counts 1, each 30 (2.2 − 1) / 3 = 0.4. nistep: the 50 alone is
    # extracted (4 papers cited 30 or more are more than 2.2) and counts 2.2.
    expected = {
        MethodName.scidip: {"JPN": 1.0, "USA": 0.4, "DEU": 0.4, "FRA": 0.4, "GBR": 0.0},
        MethodName.nistep: {"JPN": 2.2, "USA": 0.0, "DEU": 0.0, "FRA": 0.0, "GBR": 0.0},
    }
    for method, top in expected.items():
        compute(cwts_ties, engine, ComputeOptions(method=method))
        got = _by_country(cwts_ties, "top10_frac", period_years=1, period_end=2020)
        assert {c: v for c, (v,) in got.items() if c in top} == {
            c: pytest.approx(v) for c, v in top.items()
        }
        # Both keep the work without a country in the world totals (as XXX) by default.
        assert _by_country(cwts_ties, "papers_whole", period_years=1, period_end=2019) == {
            "JPN": (1,),
            "XXX": (1,),
        }


def _at(i: int, country: str) -> dict[str, Any]:
    """One authorship at institution ``I{i}`` of ``country``."""
    inst = {"id": f"https://openalex.org/I{i}", "display_name": f"Institute {i}",
            "country_code": country}  # fmt: skip
    return {"authorships": [{"countries": [country], "institutions": [inst]}]}


@pytest.fixture(scope="module")
def institutions(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The docs' example in 2020 (50 at I1; 30 at I2 twice and I3; sixteen times 10 at I4),
    and one I1 paper in 2019 (cited 3) and in 2018 (cited 4): one paper per set then."""
    cites = [(1, "JP", 50), (2, "US", 30), (2, "US", 30), (3, "DE", 30)]
    cites += [(4, "IT", 10)] * 16
    works = [_work(n, 2020, c, k, **_at(i, c)) for n, (i, c, k) in enumerate(cites)]
    works += [_work(40, 2019, "JP", 3, **_at(1, "JP")), _work(41, 2018, "JP", 4, **_at(1, "JP"))]
    return _store(tmp_path_factory.mktemp("institutions"), works)


def test_institutions_under_each_method(institutions: Store, engine: Any):
    # 2018-2020. Reference sets: 2020 of 20 papers, mean 300 / 20 = 15; 2019 and 2018 of one.
    # scidip and cwts split the tie: I1 has 0.1 + 0.1 + 1; each 30 counts 1/3. nistep extracts
    # the 50 alone (counting 2) and nothing from a set of one paper; its windows of the
    # institution table are sums (p_full 3), not averages. MNCS: I1 (50/15 + 1 + 1) / 3.
    expected = {
        MethodName.scidip: {"I1": (3, 1.2, 40.0), "I2": (2, 2 / 3, 100 / 3),
                            "I3": (1, 1 / 3, 100 / 3), "I4": (16, 0.0, 0.0)},
        MethodName.nistep: {"I1": (3, 2.0, 200 / 3), "I2": (2, 0.0, 0.0),
                            "I3": (1, 0.0, 0.0), "I4": (16, 0.0, 0.0)},
    }  # fmt: skip
    expected[MethodName.cwts] = expected[MethodName.scidip]
    for method, want in expected.items():
        compute(institutions, engine, ComputeOptions(method=method))
        rows = _rows(institutions, "institution_period", period_end=2020)
        got = {r["institution_id"]: (r["p_full"], r["p_top10_frac"], r["pp_top10_pct"])
               for r in rows}  # fmt: skip
        assert got == {k: (n, pytest.approx(t), pytest.approx(pp)) for k, (n, t, pp) in
                       want.items()}, method  # fmt: skip
        i1 = next(r for r in rows if r["institution_id"] == "I1")
        assert (i1["p_frac"], i1["mncs"]) == (pytest.approx(3.0), pytest.approx((50 / 15 + 2) / 3))


def test_an_unmapped_country_code_is_kept_and_reported(tmp_path: Path, engine: Any):
    # W2: one authorship from Japan, one with the code "ZZ", which names no country.
    store = _store(tmp_path, [_work(1, 2020, "JP", 1), _work(2, 2020, "JP", 0, authorships=[
        {"countries": ["JP"]}, {"countries": ["ZZ"]}])])  # fmt: skip
    report = compute(store, engine, ComputeOptions())
    assert (report.coverage["counted"], report.coverage["counted_with_unmapped_country"]) == (2, 1)
    got = _by_country(store, "papers_whole", "papers_frac", "rank_papers_frac",
                      period_years=1, period_end=2020)  # fmt: skip
    assert got == {"JPN": (2, pytest.approx(1.5), 1), "ZZ": (1, pytest.approx(0.5), 2)}


def test_mncs_is_1_in_a_reference_set_never_cited(tmp_path: Path, engine: Any):
    # Both papers of field 17 × 2020 are uncited: mean 0, so each ncs is 1 (CWTS's
    # calc_indicators_pubs), not 0 / 0.
    works = [_work(1, 2020, "JP", 0, **_at(1, "JP")), _work(2, 2020, "US", 0, **_at(2, "US"))]
    store = _store(tmp_path, works)
    compute(store, engine, ComputeOptions(moving_window_years=1))
    got = {r["institution_id"]: r["mncs"] for r in _rows(store, "institution_period")}
    assert got == {"I1": 1.0, "I2": 1.0}


@pytest.mark.parametrize("method", list(MethodName))
def test_every_method_counts_countries_by_author_country(tmp_path: Path, engine: Any, method):
    # Authorships JP | JP and US | no country: A = 2 authorships with a country, so JPN
    # 1/2 + 1/4 and USA 1/4, under every method (CWTS's and NISTEP's own units are not
    # reproduced in the country tables: docs/indicators.md).
    authorships = [{"countries": ["JP"]}, {"countries": ["JP", "US"]}, {"countries": []}]
    store = _store(tmp_path, [_work(1, 2020, "JP", 3, authorships=authorships)])
    compute(store, engine, ComputeOptions(method=method, moving_window_years=1))
    got = _by_country(store, "papers_whole", "papers_frac", period_years=1, period_end=2020)
    assert got == {"JPN": (1, pytest.approx(0.75)), "USA": (1, pytest.approx(0.25))}
