"""Benchmark of the technology tracker: DuckDB (SciDip's expressions) against a pandas baseline
written plainly, in the same run, on the same generated tables; prints times and the ratio, and
checks that both give the same numbers.

Usage::

    python benchmarks/tech_bench.py --works 1000000 [--technologies 64] [--years 20]

The tables are generated straight in the store's layout (``work_country``, ``works``, and the
links ``work_topic``, ``work_keyword``, ``work_reference``) with numpy — SYNTHETIC, seeded —
so the timing is the tracker's, not ingest's: 64 technologies, each a query of 3 subfields
and 12 keywords out of 250 subfields and 3,000 keywords; every country of a 60-country skewed
mix; ``--years`` publication years; 1–3 countries per work; ``--refs`` references per work to
earlier works (for the same-country switch). Each engine computes one method (scidip) with
all citations and then without same-country citations, windows of 1 and 5 years. Memory and
time grow with ``--works``; on 2 shared cores, sizes above a few million take minutes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SUBFIELDS, KEYWORDS, COUNTRIES = 250, 3000, 60
PAIR = ["tech_key", "work_key"]


def generate(root: Path, works: int, techs: int, years: int, refs: int, seed: int) -> None:
    """Write the store's tables under ``root`` and the definitions as ``defs.json``."""
    rng = np.random.default_rng(seed)
    tables = root / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    year = (2024 - years + rng.integers(0, years, works)).astype(np.int32)
    cites = rng.poisson(rng.lognormal(1.0, 1.1, works)).astype(np.int64)
    k = rng.choice([1, 2, 3], works, p=[0.75, 0.2, 0.05])
    shares = 1 / np.arange(1, COUNTRIES + 1) ** 1.1
    work_of = np.repeat(np.arange(works), k)
    country = rng.choice(COUNTRIES, len(work_of), p=shares / shares.sum())
    pairs = np.unique(work_of * COUNTRIES + country)  # distinct countries per work
    w_of, c_of = pairs // COUNTRIES, pairs % COUNTRIES
    n_c = np.bincount(w_of, minlength=works)
    codes = np.array([f"C{i:02d}" for i in range(COUNTRIES)])
    wc = pa.table({
        "work_key": w_of, "country_code": codes[c_of], "paper_weight_frac": 1.0 / n_c[w_of],
        "is_international": n_c[w_of] > 1,
        "partner_codes": pa.nulls(len(w_of), pa.list_(pa.string())),
        "has_country": np.ones(len(w_of), bool), "publication_year": year[w_of],
        "field_id": np.full(len(w_of), "17"), "topic_id": pa.nulls(len(w_of), pa.string()),
        "work_type": np.full(len(w_of), "article"), "is_retracted": np.zeros(len(w_of), bool),
        "cited_by_count": cites[w_of], "references_count": np.full(len(w_of), refs),
        "source_type": np.full(len(w_of), "journal"),
    })  # fmt: skip
    pq.write_table(wc, tables / "work_country.parquet")
    ids = [f"W{i}" for i in range(works)]
    pq.write_table(pa.table({"work_key": np.arange(works), "work_id": ids}),
                   tables / "works.parquet")  # fmt: skip
    sub = rng.integers(0, SUBFIELDS, works)
    pq.write_table(pa.table({"work_key": np.arange(works), "topic_id": [f"T{s}" for s in sub],
                             "subfield_id": [str(1000 + s) for s in sub]}),
                   tables / "work_topic.parquet")  # fmt: skip
    nk = rng.integers(0, 4, works)
    kw_work = np.repeat(np.arange(works), nk)
    kw = rng.integers(0, KEYWORDS, len(kw_work))
    pq.write_table(pa.table({"work_key": kw_work, "keyword": [f"k{x}" for x in kw]}),
                   tables / "work_keyword.parquet")  # fmt: skip
    citing = np.repeat(np.arange(works), refs)
    cited = (citing * rng.random(len(citing))).astype(np.int64)  # an earlier work (by key)
    pq.write_table(pa.table({"work_key": citing, "referenced_work_id": [f"W{c}" for c in cited]}),
                   tables / "work_reference.parquet")  # fmt: skip
    pq.write_table(pa.table({"work_key": pa.array([], pa.int64()), "publication_year":
                             pa.array([], pa.int32()), "author_id": pa.array([], pa.string()),
                             "country_code": pa.array([], pa.string())}),
                   tables / "work_author.parquet")  # fmt: skip
    for name in ("work_field", "work_citation_year", "work_institution"):
        pq.write_table(pa.table({"work_key": pa.array([], pa.int64())}), tables / f"{name}.parquet")
    (root / "ingest.json").write_text(json.dumps({"synthetic": True}))
    defs = [
        {"id": f"t{t}",
         "subfields": [str(1000 + s) for s in rng.choice(SUBFIELDS, 3, replace=False)],
         "keywords": [f"k{x}" for x in rng.choice(KEYWORDS, 12, replace=False)]}
        for t in range(techs)
    ]  # fmt: skip
    (root / "defs.json").write_text(json.dumps(defs))


def run_duckdb(root: Path, switch: bool) -> tuple[float, pd.DataFrame]:
    import ibis

    from scidip.indicators.store import Store
    from scidip.indicators.tech.definitions import Technology
    from scidip.indicators.tech.match import query_terms, technology_works
    from scidip.indicators.tech.tracker import TrackerOptions, tracker_counts

    started = time.perf_counter()
    con = ibis.duckdb.connect()
    store = Store(root)
    tables, links = store.tables(con), store.links(con)
    techs = [Technology("b", d["id"], d["id"], tuple(d["subfields"]), (), tuple(d["keywords"]))
             for d in json.loads((root / "defs.json").read_text())]  # fmt: skip
    tw = technology_works(links, ibis.memtable(query_terms(techs)))
    wc = tables["work_country"]
    lo, hi = (
        con.to_pyarrow(wc.aggregate(a=wc.publication_year.min(), b=wc.publication_year.max()))
        .to_pylist()[0]
        .values()
    )
    expr = tracker_counts(tables, links, tw, TrackerOptions(exclude_same_country=switch), lo, hi)
    out = con.to_pyarrow(expr).to_pandas()
    return time.perf_counter() - started, out


def run_pandas(root: Path, switch: bool) -> tuple[float, pd.DataFrame]:
    """The same numbers, written plainly in pandas."""
    started = time.perf_counter()
    t = root / "tables"
    wc = pd.read_parquet(t / "work_country.parquet", columns=[
        "work_key", "country_code", "paper_weight_frac", "publication_year",
        "cited_by_count"])  # fmt: skip
    defs = json.loads((root / "defs.json").read_text())
    terms = pd.DataFrame([(f"b/{d['id']}", kind, x) for d in defs
                          for kind, xs in (("s", d["subfields"]), ("k", d["keywords"]))
                          for x in xs],
                         columns=["tech_key", "kind", "term"])  # fmt: skip
    topic = pd.read_parquet(t / "work_topic.parquet", columns=["work_key", "subfield_id"])
    kw = pd.read_parquet(t / "work_keyword.parquet")
    tw = pd.concat([
        topic.merge(terms[terms.kind == "s"], left_on="subfield_id", right_on="term")[PAIR],
        kw.merge(terms[terms.kind == "k"], left_on="keyword", right_on="term")[PAIR],
    ]).drop_duplicates()  # fmt: skip
    if switch:
        refs = pd.read_parquet(t / "work_reference.parquet")
        refs["cited"] = refs.referenced_work_id.str[1:].astype("int64")
        known = wc[["work_key", "country_code"]]
        a = refs.merge(known, left_on="work_key", right_on="work_key")
        b = a.merge(known, left_on=["cited", "country_code"], right_on=["work_key", "country_code"])
        same = b[["work_key_x", "cited"]].drop_duplicates().groupby("cited").size()
        wc = wc.copy()
        wc["cited_by_count"] = wc.cited_by_count - wc.work_key.map(same).fillna(0).astype("int64")
    rows = wc.merge(tw, on="work_key")
    papers = rows[["tech_key", "work_key", "publication_year", "cited_by_count"]].drop_duplicates()
    lv = (
        papers.groupby(["tech_key", "publication_year", "cited_by_count"])
        .size()
        .rename("n")
        .reset_index()
    )
    lv = lv.sort_values(
        ["tech_key", "publication_year", "cited_by_count"], ascending=[True, True, False]
    )
    g = lv.groupby(["tech_key", "publication_year"]).n
    lv["N"], lv["above"] = g.transform("sum"), g.cumsum() - lv.n
    lv["w"] = ((0.1 * lv.N - lv.above) / lv.n).clip(0, 1)
    rows = rows.merge(lv[["tech_key", "publication_year", "cited_by_count", "w"]])
    rows["tf"] = rows.paper_weight_frac * rows.w
    annual = rows.groupby(["tech_key", "country_code", "publication_year"]).agg(
        papers_whole=("w", "size"), papers_frac=("paper_weight_frac", "sum"),
        top10_whole=("w", "sum"), top10_frac=("tf", "sum")).reset_index()  # fmt: skip
    lv["wt"] = lv.n * lv.w
    world = lv.groupby(["tech_key", "publication_year"]).agg(
        world_papers=("n", "sum"), world_top10=("wt", "sum")).reset_index()  # fmt: skip
    lo, hi = int(wc.publication_year.min()), int(wc.publication_year.max())
    out = []
    for length in (1, 5):
        for end in range(lo + length - 1, hi + 1):
            sel = annual[annual.publication_year.between(end - length + 1, end)]
            c = sel.groupby(["tech_key", "country_code"])[
                ["papers_whole", "papers_frac", "top10_whole", "top10_frac"]
            ].sum()
            ws = (
                world[world.publication_year.between(end - length + 1, end)]
                .groupby("tech_key")[["world_papers", "world_top10"]]
                .sum()
            )
            out.append(
                c.reset_index().merge(ws.reset_index()).assign(period_years=length, period_end=end)
            )
    return time.perf_counter() - started, pd.concat(out)


def compare(a: pd.DataFrame, b: pd.DataFrame) -> float:
    keys = ["tech_key", "country_code", "period_years", "period_end"]
    cols = [
        "papers_whole",
        "papers_frac",
        "top10_whole",
        "top10_frac",
        "world_papers",
        "world_top10",
    ]
    m = a.merge(b, on=keys, suffixes=("_d", "_p"), how="outer", indicator=True)
    if (m._merge != "both").any():
        raise SystemExit(f"row sets differ: {m._merge.value_counts().to_dict()}")
    return max(float((m[f"{c}_d"] - m[f"{c}_p"]).abs().max()) for c in cols)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--works", type=int, nargs="+", default=[200_000])
    p.add_argument("--technologies", type=int, default=64)
    p.add_argument("--years", type=int, default=20)
    p.add_argument("--refs", type=int, default=3)
    p.add_argument("--dir", type=Path, default=Path("/tmp/scidip-tech-bench"))
    p.add_argument("--no-pandas", action="store_true", help="DuckDB only (large sizes).")
    p.add_argument("--no-switch", action="store_true", help="All citations only.")
    args = p.parse_args()
    for n in args.works:
        root = args.dir / f"n{n}"
        started = time.perf_counter()
        generate(root, n, args.technologies, args.years, args.refs, seed=1)
        print(f"{n:,} works, {args.technologies} technologies, {args.years} years "
              f"(generated in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        for switch in (False,) if args.no_switch else (False, True):
            d_s, d = run_duckdb(root, switch)
            label = "without same-country citations" if switch else "all citations"
            if args.no_pandas:
                print(f"  {label}: DuckDB {d_s:.2f} s ({len(d):,} rows; no pandas baseline)")
                continue
            p_s, pdf = run_pandas(root, switch)
            diff = compare(d, pdf)
            print(f"  {label}: DuckDB {d_s:.2f} s, pandas {p_s:.2f} s, ratio {p_s / d_s:.1f}x; "
                  f"{len(d):,} rows, largest difference {diff:.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
