"""The links and the tracker on real OpenAlex records (``shared/data/openalex-real-sample``).

The expected figures are computed here independently of SciDip, with plain ``json`` over the
sample's files: the latest version of each work (its own ``updated_date``, else its partition's;
then partition, file and line), its distinct references and keyword ids, its authorships with
an author id and their countries (``countries``, else the institutions'; blank codes ignored),
and which works a technology's query matches (primary topic or any topic in its subfields or
topics, or one of its keywords).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import ibis
import pyarrow.parquet as pq
import pytest

from scidip.indicators.ingest import ingest
from scidip.indicators.store import LINK_TABLES, Store
from scidip.indicators.tech import service
from scidip.indicators.tech.definitions import load_lists, select
from scidip.indicators.tech.match import query_terms, technology_works

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "openalex-real-sample"
pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason=f"no real sample at {SAMPLE}")


def _latest() -> dict[str, dict[str, Any]]:
    latest: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {}
    for f in sorted((SAMPLE / "snapshot" / "data" / "works").rglob("*.gz")):
        found = re.search(r"updated_date=([\d-]+)", str(f))
        part = found.group(1) if found else ""
        with gzip.open(f, "rt") as handle:
            for n, line in enumerate(handle, 1):
                if line.strip():
                    w = json.loads(line)
                    key = (w.get("updated_date") or part, part, str(f), f"{n:09d}")
                    if w["id"] not in latest or key > latest[w["id"]][0]:
                        latest[w["id"]] = (key, w)
    return {wid: w for wid, (_, w) in latest.items()}


def _short(value: str) -> str:
    return value.rsplit("/", 1)[-1]


def _author_rows(w: dict[str, Any]) -> set[tuple[str, str | None]]:
    rows: set[tuple[str, str | None]] = set()
    for a in w.get("authorships") or []:
        aid = (a.get("author") or {}).get("id")
        if not aid:
            continue
        codes = [c.strip() for c in a.get("countries") or [] if c and c.strip()]
        if not codes:
            codes = [(i.get("country_code") or "").strip() for i in a.get("institutions") or []]
            codes = [c for c in codes if c]
        rows |= {(aid, c) for c in codes or [None]}
    return rows


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    target = Store(tmp_path_factory.mktemp("real-links") / "store")
    ingest(SAMPLE / "snapshot", target)
    return target


def test_the_links_of_the_latest_versions_are_kept(store: Store):
    works = _latest().values()
    expected = {
        "work_reference": sum(len(set(w.get("referenced_works") or [])) for w in works),
        "work_keyword": sum(
            len({_short(k["id"]) for k in w.get("keywords") or [] if k.get("id")}) for w in works
        ),
        "work_author": sum(len(_author_rows(w)) for w in works),
    }
    assert expected == {"work_reference": 31098, "work_keyword": 8979, "work_author": 3025}
    got = {name: pq.read_metadata(store.table_path(name)).num_rows for name in LINK_TABLES}
    assert {k: got[k] for k in expected} == expected


def test_a_technology_matches_the_works_its_query_names(store: Store):
    ai = next(t for t in select(load_lists(), "us-cet") if t.id == "artificial-intelligence")
    expected = set()
    for w in _latest().values():
        topics = [w.get("primary_topic") or {}, *(w.get("topics") or [])]
        subfields = {_short((t.get("subfield") or {}).get("id") or "") for t in topics}
        keywords = {_short(k.get("id") or "") for k in w.get("keywords") or []}
        if subfields & set(ai.subfields) or keywords & set(ai.keywords):
            expected.add(_short(w["id"]))
    con = ibis.duckdb.connect()
    tw = technology_works(store.links(con), ibis.memtable(query_terms([ai])))
    works = store.tables(con)["works"]
    got = con.to_pyarrow(tw.join(works, "work_key").select("work_id")).column(0).to_pylist()
    assert sorted(got) == sorted(expected)
    assert len(expected) == 76  # of the 780 works


def test_the_tracker_runs_on_the_real_sample_with_the_shipped_lists(store: Store):
    meta = service.compute(store, load_lists(), last_year=2025)
    assert [d["label"] for d in meta["definitions"]] == [
        "aspi 2024-08 (mapping v2)",
        "jp-esp 2022-09-30 (mapping v1)",
        "us-cet 2024-02 (mapping v1)",
    ]
    assert (meta["synthetic"], meta["last_year"], len(meta["technologies"])) == (False, 2025, 45)
    rows = service.read_rows(store, period_years=5, tech_key="us-cet/artificial-intelligence")
    # Every window's fractional shares of the papers add up to the world's papers.
    for end in {r["period_end"] for r in rows}:
        window = [r for r in rows if r["period_end"] == end]
        assert sum(r["papers_frac"] for r in window) == pytest.approx(window[0]["world_papers"])
