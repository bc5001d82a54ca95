"""Baseline: the indicators of ``scidip indicators compute``, written plainly in pandas.

Reads the ingested tables (``tables/*.parquet`` of a store) and returns the same three result
tables (country × field × period, world × field × period, collaboration), so that the benchmark
can both time it and check that it gives the same numbers as the Ibis pipeline. It is what an
analyst would write in a notebook: merges, ``groupby``, ``rank``; no attempt at cleverness.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COUNTED_TYPES = ("article", "review")
UNKNOWN = "XXX"
MEASURES = ["papers_whole", "papers_frac", "top10_whole", "top10_frac", "top1_whole", "top1_frac",
            "intl_papers_whole"]  # fmt: skip
WORLD = ["world_papers", "world_top10", "world_top1"]


def _papers(tables: Path) -> pd.DataFrame:
    works = pd.read_parquet(tables / "works.parquet",
                            columns=["work_key", "publication_year", "work_type", "is_retracted",
                                     "cited_by_count"])  # fmt: skip
    works = works[works.work_type.isin(COUNTED_TYPES) & ~works.is_retracted.fillna(False)]
    fields = pd.read_parquet(tables / "work_field.parquet", columns=["work_key", "field_id",
                                                                     "field_name"])  # fmt: skip
    p = works.merge(fields, on="work_key")
    p["citations"] = p.cited_by_count
    group = p.groupby(["field_id", "publication_year"])["citations"]
    n = group.transform("size")
    above = group.rank(method="min", ascending=False) - 1
    tied = p.groupby(["field_id", "publication_year", "citations"])["citations"].transform("size")
    for name, share in (("top10_weight", 0.10), ("top1_weight", 0.01)):
        p[name] = ((share * n - above) / tied).clip(0.0, 1.0)
    return p


def _all_fields(t: pd.DataFrame, keys: list[str], measures: list[str]) -> pd.DataFrame:
    total = t.groupby(keys, as_index=False)[measures].sum()
    total["field_id"], total["field_name"] = "all", "All fields"
    return pd.concat([t, total], ignore_index=True)


def _periodise(t: pd.DataFrame, keys: list[str], measures: list[str], years: int, first: int,
               last: int) -> pd.DataFrame:  # fmt: skip
    parts = []
    for offset in range(years):
        shifted = t.copy()
        shifted["period_end"] = shifted.publication_year + offset
        parts.append(shifted)
    x = pd.concat(parts, ignore_index=True)
    x = x[(x.period_end >= first + years - 1) & (x.period_end <= last)]
    out = x.groupby([*keys, "period_end"], as_index=False)[measures].sum()
    out["period_years"], out["period_start"] = years, out.period_end - (years - 1)
    return out


def _ratios(c: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
    j = c.merge(w.drop(columns="field_name"), on=["period_years", "period_start", "period_end",
                                                   "field_id"])  # fmt: skip
    j["world_share_frac_pct"] = 100 * j.papers_frac / j.world_papers
    j["world_share_whole_pct"] = 100 * j.papers_whole / j.world_papers
    j["top10_world_share_frac_pct"] = 100 * j.top10_frac / j.world_top10
    j["top1_world_share_frac_pct"] = 100 * j.top1_frac / j.world_top1
    j["top10_own_share_frac_pct"] = 100 * j.top10_frac / j.papers_frac
    j["top10_own_share_whole_pct"] = 100 * j.top10_whole / j.papers_whole
    j["top1_own_share_frac_pct"] = 100 * j.top1_frac / j.papers_frac
    j["top1_own_share_whole_pct"] = 100 * j.top1_whole / j.papers_whole
    j["intl_coauthorship_pct"] = 100 * j.intl_papers_whole / j.papers_whole
    period = ["period_years", "period_start", "period_end", "country_code"]
    tot = j[j.field_id == "all"][[*period, "papers_frac", "world_papers"]]
    j = j.merge(tot.rename(columns={"papers_frac": "_c", "world_papers": "_w"}), on=period,
                how="left")  # fmt: skip
    rca = (j.papers_frac / j._c) / (j.world_papers / j._w)
    j["rca"] = rca.where(j.field_id != "all")
    j["rsi"] = ((rca - 1) / (rca + 1)).where(j.field_id != "all")
    known = j.country_code != UNKNOWN
    grp = j[known].groupby(["period_years", "period_start", "period_end", "field_id"])
    ranked = (("rank_papers_frac", "papers_frac"), ("rank_top10_frac", "top10_frac"))
    for name, col in ranked:
        j.loc[known, name] = grp[col].transform(
            lambda s: s.round(9).rank(method="min", ascending=False)
        )
    return j.drop(columns=["_c", "_w"])


def compute(tables: Path, window: int = 3) -> dict[str, pd.DataFrame]:
    """``country_field_period``, ``world_field_period``, ``collaboration`` from a store's tables."""
    p = _papers(tables)
    wc = pd.read_parquet(tables / "work_country.parquet",
                         columns=["work_key", "country_code", "paper_weight_frac",
                                  "is_international"])  # fmt: skip
    rows = p.merge(wc, on="work_key")
    rows["w10"] = rows.paper_weight_frac * rows.top10_weight
    rows["w1"] = rows.paper_weight_frac * rows.top1_weight
    keys = ["country_code", "field_id", "field_name", "publication_year"]
    base = rows.groupby(keys, as_index=False).agg(
        papers_whole=("work_key", "size"), papers_frac=("paper_weight_frac", "sum"),
        top10_whole=("top10_weight", "sum"), top10_frac=("w10", "sum"),
        top1_whole=("top1_weight", "sum"), top1_frac=("w1", "sum"),
        intl_papers_whole=("is_international", "sum"),
    )  # fmt: skip
    base = _all_fields(base, ["country_code", "publication_year"], MEASURES)
    world = p.groupby(["field_id", "field_name", "publication_year"], as_index=False).agg(
        world_papers=("work_key", "size"), world_top10=("top10_weight", "sum"),
        world_top1=("top1_weight", "sum"),
    )  # fmt: skip
    world = _all_fields(world, ["publication_year"], WORLD)
    intl = rows[rows.is_international & (rows.country_code != UNKNOWN)]
    pairs = intl[["work_key", "publication_year", "country_code"]].merge(
        intl[["work_key", "country_code"]].rename(columns={"country_code": "partner_code"}),
        on="work_key",
    )
    pairs = pairs[pairs.country_code != pairs.partner_code]
    pairs = pairs.groupby(["country_code", "partner_code", "publication_year"], as_index=False)
    pairs = pairs.size().rename(columns={"size": "copapers_whole"})
    first, last = int(p.publication_year.min()), int(p.publication_year.max())
    out: dict[str, list[pd.DataFrame]] = {"country_field_period": [], "world_field_period": [],
                                          "collaboration": []}  # fmt: skip
    for years in sorted({1, window}):
        c = _periodise(base, ["country_code", "field_id", "field_name"], MEASURES, years, first,
                       last)  # fmt: skip
        w = _periodise(world, ["field_id", "field_name"], WORLD, years, first, last)
        pp = _periodise(pairs, ["country_code", "partner_code"], ["copapers_whole"], years, first,
                        last)  # fmt: skip
        out["country_field_period"].append(_ratios(c, w))
        out["world_field_period"].append(w)
        period = ["period_years", "period_start", "period_end"]
        tot = c[c.field_id == "all"][[*period, "country_code", "papers_whole",
                                      "intl_papers_whole"]]  # fmt: skip
        m = pp.merge(tot.rename(columns={"papers_whole": "country_papers_whole",
                                         "intl_papers_whole": "country_intl_papers_whole"}),
                     on=[*period, "country_code"])  # fmt: skip
        m = m.merge(tot[[*period, "country_code", "papers_whole"]].rename(
            columns={"country_code": "partner_code", "papers_whole": "partner_papers_whole"}),
            on=[*period, "partner_code"])  # fmt: skip
        m["salton_index"] = m.copapers_whole / np.sqrt(m.country_papers_whole *
                                                       m.partner_papers_whole)  # fmt: skip
        m["share_of_country_intl_pct"] = 100 * m.copapers_whole / m.country_intl_papers_whole
        out["collaboration"].append(m)
    return {k: pd.concat(v, ignore_index=True) for k, v in out.items()}
