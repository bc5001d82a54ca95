"""The top 10 % / top 1 % tie rule, hand-computed, on every engine."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest

from scidip.indicators.highly_cited import (
    citation_scores,
    reference_levels,
    window_citations,
    with_top_weights,
)


def _papers(
    citations_by_field: dict[str, list[int]], year: int = 2020, prefix: str = ""
) -> ibis.Table:
    data: dict[str, list[object]] = {
        "work_key": [],
        "work_id": [],
        "field_id": [],
        "publication_year": [],
        "cited_by_count": [],
    }
    for field, cites in citations_by_field.items():
        for i, c in enumerate(cites):
            data["work_key"].append(len(data["work_key"]))
            data["work_id"].append(f"{prefix}{field}-{i:02d}")
            data["field_id"].append(field)
            data["publication_year"].append(year)
            data["cited_by_count"].append(c)
    return ibis.memtable(pa.table(data))


def test_tie_at_the_threshold_is_shared_so_exactly_ten_percent_are_top(run):
    # 20 papers: 50 is clearly top; the three 30s straddle the 10 % line (2 papers):
    # a = 1 paper above them, b = 3 tied, so each counts (0.1·20 − 1) / 3 = 1/3.
    # Top 1 % is 0.2 papers: the 50 counts (0.01·20 − 0) / 1 = 0.2.
    cites = [50, 30, 30, 30] + [10] * 16
    top = with_top_weights(citation_scores(_papers({"F": cites})))
    got = run(top, ["work_id"])
    expected = (
        [{"work_id": "F-00", "top10_weight": 1.0, "top1_weight": 0.2}]
        + [{"work_id": f"F-{i:02d}", "top10_weight": 1 / 3, "top1_weight": 0.0} for i in (1, 2, 3)]
        + [{"work_id": f"F-{i:02d}", "top10_weight": 0.0, "top1_weight": 0.0} for i in range(4, 20)]
    )
    assert [{k: r[k] for k in ("work_id", "top10_weight", "top1_weight")} for r in got] == [
        pytest.approx(e) for e in expected
    ]
    assert sum(r["top10_weight"] for r in got) == pytest.approx(2.0)
    assert sum(r["top1_weight"] for r in got) == pytest.approx(0.2)


def test_reference_sets_are_field_and_year(run):
    # Field A: ten papers all uncited — all tied, each 0.1·10 / 10 = 0.1 top-10 %.
    # Field B: 5 papers; threshold 0.5 paper; 9 is above nobody: (0.5 − 0) / 1 = 0.5.
    # The same citation counts in another year form their own reference set.
    papers = _papers({"A": [0] * 10, "B": [9, 1, 1, 1, 1]}).union(
        _papers({"B": [1, 1]}, year=2021, prefix="B21-")
    )
    got = run(with_top_weights(citation_scores(papers)), ["work_id"])
    by_id = {r["work_id"]: r["top10_weight"] for r in got}
    assert by_id == pytest.approx(
        {
            **{f"A-{i:02d}": 0.1 for i in range(10)},
            "B-00": 0.5,
            **{f"B-{i:02d}": 0.0 for i in range(1, 5)},
            # 2021: 2 papers tied, threshold 0.2 paper, each 0.1
            "B21-B-00": 0.1,
            "B21-B-01": 0.1,
        }
    )


def test_reference_levels_hold_each_citation_count_once_with_its_weights(run):
    # The 20 papers of the tie-rule example: 3 levels; Σ papers · weight = 0.1 · 20 and 0.01 · 20.
    levels = reference_levels(citation_scores(_papers({"F": [50, 30, 30, 30] + [10] * 16})))
    got = run(levels, ["citations"])
    assert got == [
        pytest.approx(r)
        for r in [
            {"field_id": "F", "publication_year": 2020, "citations": 10, "papers": 16,
             "top10_weight": 0.0, "top1_weight": 0.0},
            {"field_id": "F", "publication_year": 2020, "citations": 30, "papers": 3,
             "top10_weight": 1 / 3, "top1_weight": 0.0},
            {"field_id": "F", "publication_year": 2020, "citations": 50, "papers": 1,
             "top10_weight": 1.0, "top1_weight": 0.2},
        ]
    ]  # fmt: skip


def test_paper_country_rows_take_their_papers_weights(run):
    # Two rows of the paper cited 30 times (JPN, USA) each get its weight 1/3: the weights of a
    # paper do not depend on how many countries it has.
    papers = _papers({"F": [50, 30, 30, 30] + [10] * 16})
    rows = ibis.memtable(
        pa.table(
            {
                "work_key": [0, 1, 1],
                "country_code": ["JPN", "JPN", "USA"],
                "field_id": ["F", "F", "F"],
                "publication_year": [2020, 2020, 2020],
                "cited_by_count": [50, 30, 30],
            }
        )
    )
    levels = reference_levels(citation_scores(papers))
    got = run(with_top_weights(citation_scores(rows), levels), ["work_key", "country_code"])
    assert [(r["work_key"], r["country_code"], r["top10_weight"]) for r in got] == [
        (0, "JPN", pytest.approx(1.0)),
        (1, "JPN", pytest.approx(1 / 3)),
        (1, "USA", pytest.approx(1 / 3)),
    ]


def _window_inputs() -> tuple[ibis.Table, ibis.Table]:
    papers = ibis.memtable(
        pa.table(
            {
                "work_key": [1, 2],
                "field_id": ["F", "F"],
                "publication_year": [2018, 2019],
                "cited_by_count": [100, 100],
            }
        )
    )
    years = ibis.memtable(
        pa.table(
            {
                "work_key": [1, 1, 1, 1, 2],
                "citation_year": [2017, 2018, 2019, 2021, 2022],
                "citations": [5, 1, 2, 40, 7],
            }
        )
    )
    return papers, years


def test_citation_window_sums_counts_by_year_from_publication(run):
    papers, years = _window_inputs()
    # window 2: W1 counts 2018–2019 (1 + 2; 2017 is before publication, 2021 after the
    # window); W2 counts 2019–2020: nothing.
    windowed = window_citations(papers, years, window_years=2)
    got = run(citation_scores(papers, windowed), ["work_key"])
    assert [(r["work_key"], r["citations"]) for r in got] == [(1, 3), (2, 0)]


def test_citation_window_scores_every_country_row_of_a_paper(run):
    papers, years = _window_inputs()
    rows = ibis.memtable(
        pa.table(
            {
                "work_key": [1, 1, 2],
                "country_code": ["JPN", "USA", "DEU"],
                "cited_by_count": [100, 100, 100],
            }
        )
    )
    windowed = window_citations(papers, years, window_years=2)
    got = run(citation_scores(rows, windowed), ["work_key", "country_code"])
    assert [(r["work_key"], r["country_code"], r["citations"]) for r in got] == [
        (1, "JPN", 3),
        (1, "USA", 3),
        (2, "DEU", 0),
    ]
