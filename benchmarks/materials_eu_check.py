"""Check of SciDip's EU supply risk against the EU's own 2023 assessment.

For every material that SciDip's data and the EU's 2023 results both hold (the table
``src/scidip/materials/data/eu_sr_2023.csv``, with its source), SciDip's EU-27 supply risk
(`scidip materials eu-risk`, substitution index 1, WGI political stability only) is computed for
each production year; the figure compared is the mean over 2018–2020, the years of our data
closest to the EU's reference period (2016–2020). Printed: one row per material (ours, the EU's,
both ranks, the basis of ours), Spearman's rank correlation with its n, the same for each single
year, and the wall time.

Usage: ``python benchmarks/materials_eu_check.py [--store DIR] [--years 2018-2020]``
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def ranks(values: list[float]) -> list[float]:
    """Ranks 1..n, ties sharing their average rank (largest value first)."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the ranks (ties averaged)."""
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5


def main() -> None:
    from scidip.materials.eu import published_sr
    from scidip.materials.service import eu_risk, open_context, parse_years
    from scidip.materials.store import resolve_store_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--years", default="2018-2020", help="years averaged (default 2018-2020)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    ctx = open_context(resolve_store_dir(override=args.store))
    eu = {p.material: p for p in published_sr() if p.compared}
    names = [m for m in eu if m in ctx.catalog.materials]
    per_year = {}
    for year in ctx.catalog.production_years:
        per_year[year] = {r.material: r for r in eu_risk(ctx, "EU27", year, names)}
    averaged = parse_years(args.years)
    ours = {}
    for m in names:
        values = [per_year[y][m].supply_risk for y in averaged]
        if all(v is not None for v in values):
            ours[m] = sum(v for v in values if v is not None) / len(values)
    mats = sorted(ours, key=lambda m: -eu[m].sr)
    r_ours = dict(zip(mats, ranks([ours[m] for m in mats]), strict=True))
    r_eu = dict(zip(mats, ranks([eu[m].sr for m in mats]), strict=True))
    print(f"EU-27 supply risk, SciDip (mean {args.years}) against the EU's 2023 assessment")
    print(f"{'material':<12} {'SciDip':>7} {'EU 2023':>7} {'rank':>5} {'EU rank':>7}  basis")
    last = averaged[-1]
    for m in mats:
        basis = per_year[last][m].sourcing_basis
        print(f"{m:<12} {ours[m]:7.2f} {eu[m].sr:7.1f} {r_ours[m]:5.1f} {r_eu[m]:7.1f}  {basis}")
    rho = spearman([ours[m] for m in mats], [eu[m].sr for m in mats])
    print(f"\nSpearman rank correlation (mean {args.years}): {rho:.3f} (n = {len(mats)})")
    for year, found in per_year.items():
        both = [m for m in mats if found[m].supply_risk is not None]
        xs = [found[m].supply_risk or 0.0 for m in both]
        print(f"  {year}: {spearman(xs, [eu[m].sr for m in both]):.3f} (n = {len(both)})")
    for m in ("Gallium", "Germanium"):
        if m in ours:
            print(f"{m}: SciDip {ours[m]:.2f} (rank {r_ours[m]:.0f} of {len(mats)}), "
                  f"EU 2023 {eu[m].sr:.1f} (rank {r_eu[m]:.0f})")  # fmt: skip
    print(f"\nwall time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
