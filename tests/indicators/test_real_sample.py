"""Real OpenAlex records (``shared/data/openalex-real-sample``, see its SOURCES.md), end to end.

Every expected count here was computed independently of SciDip, with plain ``json`` over the
sample's files (latest version of each work by its ``updated_date``; article or review, not
retracted; an authorship's country from ``countries``, else from its institutions, blank codes
ignored), and the smaller ones checked by eye against the files: 1,409 snapshot lines are 780
works (629 earlier versions), of which 651 are counted and 129 excluded for their type (66 books,
38 book chapters…); 110 counted works have no country, 91 no reference, 2 no ``primary_topic``
(their field comes from their concepts: Medicine, Physics).
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scidip.indicators.compute import compute
from scidip.indicators.flatten import concept_fields
from scidip.indicators.ingest import ingest
from scidip.indicators.method import MethodName
from scidip.indicators.openalex import STAGING_SCHEMA, parse_work
from scidip.indicators.pipeline import ComputeOptions
from scidip.indicators.store import Store

RESULT_KEYS = {
    "country_field_period": ["period_years", "period_end", "field_id", "country_code"],
    "world_field_period": ["period_years", "period_end", "field_id"],
    "collaboration": ["period_years", "period_end", "country_code", "partner_code"],
    "coverage": ["item"],
    "coverage_by_year": ["publication_year"],
}

INSTITUTION_KEYS = ["institution_id", "period_years", "period_end"]
SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "openalex-real-sample"
pytestmark = pytest.mark.skipif(
    not SAMPLE.is_dir(), reason=f"the real sample is not beside the checkout: {SAMPLE}"
)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Any]:
    store = Store(tmp_path_factory.mktemp("real") / "store")
    report = ingest(SAMPLE / "snapshot", store)
    compute(store, ibis.duckdb.connect())
    return store, report


def _works(store: Store) -> dict[str, dict[str, Any]]:
    return {r["work_id"]: r for r in pq.read_table(store.table_path("works")).to_pylist()}


def _countries(store: Store, work_id: str) -> dict[str, float]:
    key = _works(store)[work_id]["work_key"]
    rows = pq.read_table(store.table_path("work_country")).to_pylist()
    return {
        r["country_code"]: round(r["paper_weight_frac"], 12) for r in rows if r["work_key"] == key
    }


def test_every_snapshot_record_is_accounted_for(snapshot):
    store, report = snapshot
    assert report.read_from == f"snapshot root: read {SAMPLE / 'snapshot' / 'data' / 'works'} only"
    assert (report.files, report.records_read, report.malformed) == (85, 1409, 0)
    assert (report.works, report.superseded_records) == (780, 629)
    assert report.data_as_of == "2026-07-22"
    coverage = {
        r["item"]: r["works"] for r in pq.read_table(store.result_path("coverage")).to_pylist()
    }
    assert coverage == {
        "records_read": 1409,
        "superseded_records": 629,
        "malformed_skipped": 0,
        "works": 780,
        "counted": 651,
        "excluded_type": 129,
        "excluded_retracted": 0,
        "excluded_incomplete_year": 0,
        "excluded_no_references": 0,
        "excluded_no_country": 0,
        "counted_without_country": 110,
        "counted_without_field": 0,
        "counted_field_from_concepts": 2,
        "counted_without_references": 91,
        "counted_with_unmapped_country": 0,
        "excluded_type:book": 66,
        "excluded_type:book-chapter": 38,
        "excluded_type:conference-paper": 2,
        "excluded_type:dataset": 3,
        "excluded_type:dissertation": 4,
        "excluded_type:letter": 4,
        "excluded_type:other": 3,
        "excluded_type:paratext": 2,
        "excluded_type:peer-review": 1,
        "excluded_type:preprint": 6,
    }
    # By year: the rows add up to the totals, and each year's works are counted or excluded.
    by_year = pq.read_table(store.result_path("coverage_by_year")).to_pylist()
    assert sum(r["works"] for r in by_year) == 780
    for r in by_year:
        excluded = sum(v for k, v in r.items() if k.startswith("excluded_"))
        assert r["counted"] + excluded == r["works"], r["publication_year"]
    assert [(r["publication_year"], r["works"], r["counted"]) for r in by_year[-3:]] == [
        (2023, 5, 1),
        (2025, 2, 1),
        (2026, 2, 0),
    ]


def test_country_counts_match_the_independent_count(snapshot):
    store, _ = snapshot
    rows = pq.read_table(
        store.result_path("country_field_period"),
        filters=[("period_years", "=", 1), ("field_id", "=", "all")],
    ).to_pylist()
    whole: dict[str, int] = defaultdict(int)
    frac: dict[str, float] = defaultdict(float)
    share: dict[int, float] = defaultdict(float)
    for r in rows:
        whole[r["country_code"]] += r["papers_whole"]
        frac[r["country_code"]] += r["papers_frac"]
        share[r["period_end"]] += r["world_share_frac_pct"]
    assert len(whole) == 56  # 55 countries and XXX
    assert [(c, whole[c]) for c in ("USA", "GBR", "DEU", "FRA", "XXX")] == [
        ("USA", 285), ("GBR", 61), ("DEU", 47), ("FRA", 40), ("XXX", 110),
    ]  # fmt: skip
    assert frac["USA"] == pytest.approx(245.778459, abs=1e-6)
    assert frac["GBR"] == pytest.approx(41.987659, abs=1e-6)
    assert sum(frac.values()) == pytest.approx(651, abs=1e-9)
    # No code is lost: every year's fractional shares add up to 100 %.
    assert all(s == pytest.approx(100.0, abs=1e-9) for s in share.values())


def test_fields_from_concepts_when_there_is_no_primary_topic(snapshot):
    store, _ = snapshot
    works = _works(store)
    from_concepts = sorted(
        (w["work_id"], w["field_id"], w["work_type"])
        for w in works.values()
        if w["field_source"] == "concepts"
    )
    # Six works have no primary_topic: their top level-0 concept gives the field (W4230972471:
    # Medicine → 27; W4251478550: Physics → 31); the two articles among them are counted.
    assert len(from_concepts) == 6
    assert ("W4230972471", "27", "article") in from_concepts
    assert ("W4251478550", "31", "article") in from_concepts


def test_the_concept_mapping_agrees_with_primary_topic_for_303_of_773_works():
    latest: dict[str, tuple[str, dict[str, Any]]] = {}
    for part in sorted((SAMPLE / "snapshot" / "data" / "works").glob("*/part_*.gz")):
        with gzip.open(part, "rt") as handle:
            for line in handle:
                record = json.loads(line)
                if record["updated_date"] >= latest.get(record["id"], ("",))[0]:
                    latest[record["id"]] = (record["updated_date"], record)
    rows = [parse_work(r) for _, r in latest.values()]
    staged = pa.Table.from_pylist(rows, schema=STAGING_SCHEMA)
    mapped = concept_fields(staged).to_pylist()
    both = [(m, r["field_id"]) for m, r in zip(mapped, rows, strict=True) if m and r["field_id"]]
    assert (sum(m == f for m, f in both), len(both)) == (303, 773)


def test_api_bodies_list_pages_and_pretty_printed_works(tmp_path: Path):
    store = Store(tmp_path / "api")
    report = ingest(SAMPLE / "api", store)
    # 28 single-work bodies and 2 list pages of 1 and 5 works: 34 records; three bodies are the
    # same book (10.1017/9781108348843, requested three times): 32 works.
    assert (report.files, report.records_read, report.malformed) == (30, 34, 0)
    assert (report.works, report.superseded_records) == (32, 2)
    one = ingest(SAMPLE / "api" / "test_get_random_id_from_openalex_01.json", Store(tmp_path / "l"))
    assert (one.records_read, one.works, one.malformed) == (5, 5, 0)
    single = ingest(SAMPLE / "api" / "test_journal_article_00.json", Store(tmp_path / "s"))
    assert (single.records_read, single.works, single.malformed) == (1, 1, 0)
    assert single.data_as_of == "2026-07-22"


def test_the_same_work_in_2022_2023_and_2025_formats(tmp_path: Path):
    old = SAMPLE / "old"
    v2022 = Store(tmp_path / "2022")
    ingest(old / "W2741809807_research_assistant_2022-06-19_d34c823e.json", v2022)
    [w] = _works(v2022).values()
    # 2022: Crossref type, no countries (institutions give them: 6 Canadian, 3 US authorships),
    # concepts of level 2 and 3 only (no level-0 one: no field), 34 references listed.
    assert (w["work_type"], w["type_crossref"], w["field_id"], w["field_source"]) == (
        "article", "journal-article", "unknown", None,
    )  # fmt: skip
    assert (w["references_count"], w["updated_date"]) == (34, "2022-05-27")
    assert _countries(v2022, "W2741809807") == {"CAN": round(6 / 9, 12), "USA": round(3 / 9, 12)}
    # Counted (it used to abort compute with "no counted works"): the data stand at 2022-05-27,
    # so 2018 is complete.
    report = compute(v2022, ibis.duckdb.connect())
    assert (report.last_complete_year, report.coverage["counted"]) == (2021, 1)
    v2023 = Store(tmp_path / "2023")
    ingest(old / "W2741809807_research_assistant_2023-11-03_817b4a0c.json", v2023)
    # 2023: authorships' own countries (5 US, 4 Canadian) win over their institutions'.
    assert _countries(v2023, "W2741809807") == {"CAN": round(4 / 9, 12), "USA": round(5 / 9, 12)}
    every = Store(tmp_path / "all")
    report = ingest(old, every)
    assert (report.records_read, report.works, report.superseded_records) == (6, 1, 5)
    [latest] = _works(every).values()
    # The latest version by its own updated_date (the 2025 record), whatever the file order.
    assert (latest["updated_date"], latest["field_id"], latest["field_source"]) == (
        "2025-06-11T00:03:37.532706", "18", "primary_topic",
    )  # fmt: skip
    assert report.data_as_of == "2025-06-11"


def test_snapshot_and_api_bodies_together(tmp_path: Path):
    report = ingest([SAMPLE / "snapshot", SAMPLE / "api", SAMPLE / "old"], Store(tmp_path / "s"))
    # The API bodies come from the same test suite as the snapshot: their 32 works are among the
    # snapshot's 780, and W2741809807 (old/) is one more.
    assert (report.files, report.records_read, report.malformed) == (121, 1449, 0)
    assert (report.works, report.superseded_records) == (781, 668)


@pytest.mark.parametrize("method", list(MethodName))
def test_duckdb_and_spark_agree_on_the_real_sample(snapshot, spark_session, tmp_path, method):
    store, _ = snapshot
    results = []
    for name, con in (
        ("duckdb", ibis.duckdb.connect()),
        ("spark", ibis.pyspark.connect(spark_session)),
    ):
        copy = Store(tmp_path / name)
        shutil.copytree(store.tables_dir, copy.tables_dir)
        shutil.copy(store.base / "ingest.json", copy.base / "ingest.json")
        # Seeded bounds drawn from rows sorted in Python: the same on both engines.
        compute(copy, con, ComputeOptions(method=method, stability_samples=50))
        results.append(copy)
    for table, keys in {**RESULT_KEYS, "institution_period": INSTITUTION_KEYS}.items():
        a, b = (
            pq.read_table(s.result_path(table))
            .sort_by([(k, "ascending") for k in keys])
            .to_pylist()
            for s in results
        )
        assert len(a) == len(b) > 0, table
        for x, y in zip(a, b, strict=True):
            assert x.keys() == y.keys(), table
            for k in x:
                if isinstance(x[k], float) and y[k] is not None:
                    assert x[k] == pytest.approx(y[k], rel=1e-9, abs=1e-12), (table, k, x)
                else:
                    assert x[k] == y[k], (table, k, x)


def test_institution_table_with_stability_intervals(snapshot, tmp_path):
    store, _ = snapshot
    copy = Store(tmp_path / "inst")
    shutil.copytree(store.tables_dir, copy.tables_dir)
    shutil.copy(store.base / "ingest.json", copy.base / "ingest.json")
    compute(copy, ibis.duckdb.connect(), ComputeOptions(stability_samples=1000))
    rows = pq.read_table(copy.result_path("institution_period")).to_pylist()
    # 778 institutions (OpenAlex ids) sign the 651 counted papers (independent count).
    assert len({r["institution_id"] for r in rows}) == 778
    per_period: dict[int, int] = defaultdict(int)
    for r in rows:
        per_period[r["period_end"]] += 1
    for r in rows:
        for name in ("pp_top10_pct", "mncs", "pp_intl_collab_pct"):
            assert r[f"{name}_lb"] <= r[name] + 1e-9 and r[name] <= r[f"{name}_ub"] + 1e-9
        # A rank's bounds need not hold the rank itself: with one to three papers each, many
        # institutions draw none in a sample and fall to the bottom, lifting the others.
        assert 1 <= r["rank_p_frac_lb"] <= r["rank_p_frac_ub"] <= per_period[r["period_end"]]
    countries = pq.read_table(copy.result_path("country_field_period")).to_pylist()
    for r in countries:
        for name in ("world_share_frac_pct", "top10_own_share_frac_pct", "intl_coauthorship_pct"):
            assert r[f"{name}_lb"] <= r[name] + 1e-9 and r[name] <= r[f"{name}_ub"] + 1e-9
        ranked = r["country_code"] != "XXX"
        assert (r["rank_papers_frac_lb"] is not None) == ranked
        if ranked:
            assert 1 <= r["rank_papers_frac_lb"] <= r["rank_papers_frac_ub"]
    columbia = next(
        r for r in rows if r["ror"] == "00hj8s172" and r["period_end"] == 2012
    )  # Columbia University, 2010–2012: 3 papers
    assert (columbia["p_full"], columbia["period_start"], columbia["rank_p_frac"]) == (3, 2010, 1)


def _independent_merged(parent: str) -> dict[int, tuple[int, float]]:
    """By publication year: (papers, fractional weight) of ``parent`` with every institution
    whose lineage names it merged into it, from the raw files (plain ``json``): the latest
    version of each counted work; an authorship's ``1 / n`` split over its distinct
    institutions."""
    latest: dict[str, dict[str, Any]] = {}
    for part in sorted((SAMPLE / "snapshot").rglob("*.gz")):
        with gzip.open(part, "rt") as handle:
            for line in handle:
                w = json.loads(line)
                if w["id"] not in latest or w["updated_date"] > latest[w["id"]]["updated_date"]:
                    latest[w["id"]] = w
    found: dict[int, tuple[int, float]] = {}
    for w in latest.values():
        if w["type"] not in ("article", "review") or w.get("is_retracted"):
            continue
        auths = w.get("authorships") or []
        weight = 0.0
        for a in auths:
            ids = {i["id"] for i in a.get("institutions") or [] if i.get("id")}
            inside = {i["id"] for i in a.get("institutions") or []
                      if i.get("id") and parent in (i.get("lineage") or [])}  # fmt: skip
            weight += len(inside) / len(ids) / len(auths) if inside else 0.0
        if weight:
            n, total = found.get(w["publication_year"], (0, 0.0))
            found[w["publication_year"]] = (n + 1, total + weight)
    return found


def test_institutions_merged_to_their_top_level_parents(snapshot, tmp_path):
    store, _ = snapshot
    copy = Store(tmp_path / "top")
    shutil.copytree(store.tables_dir, copy.tables_dir)
    shutil.copy(store.base / "ingest.json", copy.base / "ingest.json")
    given = pq.read_table(store.result_path("institution_period")).to_pylist()
    compute(copy, ibis.duckdb.connect(), ComputeOptions(institution_level="top"))
    rows = pq.read_table(copy.result_path("institution_period")).to_pylist()
    # 778 institutions as given, 739 top-level units; no weight is lost or made up.
    assert len({r["institution_id"] for r in rows}) == 739
    assert sum(r["p_frac"] for r in rows) == pytest.approx(sum(r["p_frac"] for r in given))
    # The Max Planck Society: itself and six of its institutes in the sample (their lineages
    # name it, and it has no parent), against a count from the raw files.
    mpg = "https://openalex.org/I149899117"
    by_year = _independent_merged(mpg)
    got = {r["period_end"]: (r["p_full"], r["p_frac"]) for r in rows
           if r["institution_id"] == "I149899117"}  # fmt: skip
    assert got, "the Max Planck Society has papers in the sample"
    for end, (p_full, p_frac) in got.items():
        window = [by_year.get(y, (0, 0.0)) for y in range(end - 2, end + 1)]
        assert p_full == sum(n for n, _ in window)
        assert p_frac == pytest.approx(sum(f for _, f in window))


def test_both_readers_stage_every_real_partition_alike():
    """Arrow's reader and projection, and the line-by-line reader, give the same staging rows
    (lineage, references, keywords and all) on each partition of the sample that Arrow reads."""
    from scidip.indicators.openalex import SnapshotFile, read_json_file
    from scidip.indicators.openalex_arrow import read_json_clean

    compared = 0
    for part in sorted((SAMPLE / "snapshot" / "data" / "works").glob("*/part_000.gz")):
        file = SnapshotFile(part, part.parent.name.split("=")[1], False)
        fast = read_json_clean(file)
        if fast is None:
            continue
        slow = pa.concat_tables([t for t, _ in read_json_file(file)])
        assert pa.concat_tables([t for t, _ in fast]).equals(slow), part
        compared += 1
    assert compared == 85
