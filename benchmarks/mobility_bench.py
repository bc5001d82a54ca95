"""Benchmark of brain circulation: SciDip (the modal country on DuckDB, moves and padding
vectorised in numpy) against a pandas baseline written plainly, in the same run, on the same
generated authorships; prints times and the ratio and checks that both give the same flows and
country series.

Usage::

    python benchmarks/mobility_bench.py --authorships 1000000 10000000

SYNTHETIC, seeded: scholars with 2–8 papers over 20 years, 1–2 affiliation countries per
authorship from a 60-country skewed mix, one scholar in ten moving once.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

COUNTRIES = 60


def generate(path: Path, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    papers = rng.integers(2, 9, max(n // 5, 1))
    papers = papers[: np.searchsorted(np.cumsum(papers), n) + 1]
    author = np.repeat(np.arange(len(papers)), papers)[:n]
    shares = 1 / np.arange(1, COUNTRIES + 1) ** 1.1
    home = rng.choice(COUNTRIES, len(papers), p=shares / shares.sum())
    away = rng.choice(COUNTRIES, len(papers), p=shares / shares.sum())
    move_year = np.where(rng.random(len(papers)) < 0.1, rng.integers(2006, 2024, len(papers)), 9999)
    year = rng.integers(2004, 2024, len(author)).astype(np.int32)
    country = np.where(year >= move_year[author], away[author], home[author])
    noise = rng.random(len(author)) < 0.05  # a second, random affiliation
    codes = np.array([f"C{i:02d}" for i in range(COUNTRIES)])
    extra = rng.choice(COUNTRIES, int(noise.sum()))
    table = pa.table({
        "work_key": np.r_[np.arange(len(author)), np.flatnonzero(noise)],
        "publication_year": np.r_[year, year[noise]],
        "author_id": pa.array(np.r_[author, author[noise]].astype(str)),
        "country_code": codes[np.r_[country, extra]],
    })  # fmt: skip
    pq.write_table(table, path)


def run_scidip(path: Path) -> tuple[float, dict[str, pa.Table]]:
    import ibis

    from scidip.indicators.mobility.circulation import circulation, scholar_years

    started = time.perf_counter()
    con = ibis.duckdb.connect()
    years = con.to_pyarrow(scholar_years(con.read_parquet(str(path))))
    out = circulation(years)
    return time.perf_counter() - started, out


def run_pandas(path: Path) -> tuple[float, dict[str, pd.DataFrame]]:
    started = time.perf_counter()
    a = pd.read_parquet(path)
    a = a[a.country_code.notna() & (a.country_code != "XXX")]
    n = (
        a.groupby(["author_id", "publication_year", "country_code"])
        .size()
        .rename("n")
        .reset_index()
    )
    n = n.sort_values(["author_id", "publication_year", "n", "country_code"],
                      ascending=[True, True, False, True])  # fmt: skip
    modal = n.drop_duplicates(["author_id", "publication_year"])
    modal = modal[modal.groupby("author_id").publication_year.transform("size") >= 2]
    modal = modal.rename(columns={"publication_year": "year"})[
        ["author_id", "year", "country_code"]
    ]
    prev = modal.groupby("author_id").country_code.shift()
    nxt = modal.groupby("author_id").year.shift(-1)
    moves = modal[prev.notna() & (prev != modal.country_code)].assign(origin=prev)
    flows = moves.groupby(["year", "origin", "country_code"]).size().rename("n_migrations")
    # Padding: each observed year stands until the next observed year of the scholar.
    span = modal.assign(end=nxt.fillna(modal.year + 1).astype(int) - 1)
    span["y"] = [list(range(s, e + 1)) for s, e in zip(span.year, span.end, strict=True)]
    pop = span.explode("y").groupby(["country_code", "y"]).size().rename("padded_population")
    return time.perf_counter() - started, {"flows": flows, "population": pop}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--authorships", type=int, nargs="+", default=[1_000_000])
    p.add_argument("--dir", type=Path, default=Path("/tmp/scidip-mobility-bench"))
    args = p.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for n in args.authorships:
        path = args.dir / f"authorships_{n}.parquet"
        generate(path, n)
        s_s, ours = run_scidip(path)
        p_s, theirs = run_pandas(path)
        flows = ours["flows"].to_pandas().set_index(["year", "origin", "destination"]).n_migrations
        flows_equal = (
            flows.sort_index().to_numpy().tolist()
            == theirs["flows"].sort_index().to_numpy().tolist()
        )
        cy = ours["country_year"].to_pandas()
        pop = cy[cy.padded_population > 0].set_index(["country_code", "year"]).padded_population
        pop_equal = (
            pop.sort_index().to_numpy().tolist()
            == theirs["population"].sort_index().to_numpy().tolist()
        )
        print(f"{n:,} authorships: SciDip {s_s:.2f} s, pandas {p_s:.2f} s, ratio "
              f"{p_s / s_s:.1f}x; {ours['moves'].num_rows:,} moves; same flows: {flows_equal}, "
              f"same padded population: {pop_equal}")  # fmt: skip


if __name__ == "__main__":
    main()
