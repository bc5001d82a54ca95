"""The synthetic snapshot generator: seeded, OpenAlex format, labelled, realistically skewed."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np

from scidip.indicators.synthetic import SyntheticSpec, citation_years, generate
from scidip.indicators.synthetic_label import MARKER, is_synthetic
from scidip.indicators.synthetic_writers import json_lines, write_snapshot


def test_same_seed_same_works_other_seed_other_works():
    spec = SyntheticSpec(works=300, seed=5, works_per_file=120)
    a = [line for c in generate(spec) for line in json_lines(c, spec)]
    b = [line for c in generate(spec) for line in json_lines(c, spec)]
    other = SyntheticSpec(works=300, seed=6, works_per_file=120)
    c = [line for ch in generate(other) for line in json_lines(ch, other)]
    assert a == b
    assert a != c
    assert [json.loads(x)["id"] for x in a] == [f"https://openalex.org/W{i}" for i in range(1, 301)]


def test_snapshot_layout_and_labels(tmp_path: Path):
    spec = SyntheticSpec(works=250, seed=1, works_per_file=100)
    parts = write_snapshot(spec, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in parts] == [
        f"data/works/updated_date=2024-01-01/part_00{i}.gz" for i in range(3)
    ]
    manifest = json.loads((tmp_path / "data" / "works" / "manifest").read_text())
    assert manifest["synthetic"] is True
    assert manifest["meta"]["record_count"] == 250
    assert [e["meta"]["record_count"] for e in manifest["entries"]] == [100, 100, 50]
    assert (tmp_path / MARKER).exists()
    assert is_synthetic(tmp_path) and is_synthetic(parts[0])
    assert not is_synthetic(tmp_path.parent)
    with gzip.open(parts[0], "rt") as handle:
        first = json.loads(handle.readline())
    assert set(first) >= {"id", "publication_year", "type", "is_retracted", "cited_by_count",
                          "counts_by_year", "primary_topic", "authorships"}  # fmt: skip
    assert first["title"].startswith("Synthetic work")


def test_realistic_skew():
    spec = SyntheticSpec(works=40_000, seed=3)
    [chunk] = generate(spec)
    lead = chunk.auth_country[chunk.auth_offsets[:-1]]
    shares = Counter(lead[lead >= 0].tolist())
    # China (0) and the US (1) lead about a third of the papers between them; a long tail.
    top2 = (shares[0] + shares[1]) / sum(shares.values())
    assert 0.25 < top2 < 0.45
    assert len(shares) > 40
    # Heavy-tailed citations: many uncited papers, a maximum far above the median.
    cites = chunk.citations
    assert (cites == 0).mean() > 0.10
    assert cites.max() > 30 * max(np.median(cites), 1)
    # International co-authorship: works with two or more distinct countries.
    bounds = zip(chunk.auth_offsets[:-1], chunk.auth_offsets[1:], strict=True)
    multi = [len({c for c in chunk.auth_country[a:b] if c >= 0}) > 1 for a, b in bounds]
    assert 0.15 < np.mean(multi) < 0.6
    # Types: mostly articles; some not counted.
    assert 0.75 < (chunk.type_index == 0).mean() < 0.85


def test_counts_by_year_spread_citations_evenly_over_recent_years():
    spec = SyntheticSpec(works=2000, seed=9)
    [chunk] = generate(spec)
    cy = citation_years(chunk, spec.snapshot_year)
    for i in range(200):
        years = cy.year[cy.offsets[i] : cy.offsets[i + 1]].tolist()
        counts = cy.count[cy.offsets[i] : cy.offsets[i + 1]].tolist()
        assert years == sorted(years, reverse=True)
        assert all(spec.snapshot_year - 10 < y <= spec.snapshot_year for y in years)
        assert all(y >= chunk.year[i] for y in years)
        span = spec.snapshot_year - int(chunk.year[i]) + 1
        if span <= 10:  # the whole life is listed: the years add up to the total
            assert sum(counts) == chunk.citations[i]
