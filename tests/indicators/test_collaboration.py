"""Co-authorship pairs: each pair formed once, then mirrored; on every engine."""

from __future__ import annotations

import pyarrow as pa

from scidip.indicators.collaboration import both_directions, pair_counts


def _rows(load):
    # Work 1: JPN, USA, CHN (three pairs); work 2: JPN, USA; work 3: DEU alone. Work 4 pairs FRA
    # with the pseudo-country XXX (ingest never writes XXX beside a country): XXX is never paired.
    return load(
        pa.table(
            {
                "work_key": [1, 1, 1, 2, 2, 3, 4, 4],
                "country_code": ["JPN", "USA", "CHN", "USA", "JPN", "DEU", "FRA", "XXX"],
                "is_international": [True, True, True, True, True, False, True, True],
                "publication_year": [2020] * 8,
            }
        )
    )


def test_each_pair_of_a_paper_is_counted_once(load, run):
    got = run(pair_counts(_rows(load)), ["country_code", "partner_code"])
    assert [(r["country_code"], r["partner_code"], r["copapers_whole"]) for r in got] == [
        ("CHN", "JPN", 1),
        ("CHN", "USA", 1),
        ("JPN", "USA", 2),
    ]


def test_both_directions_mirror_the_pairs(load, run):
    got = run(both_directions(pair_counts(_rows(load))), ["country_code", "partner_code"])
    assert [(r["country_code"], r["partner_code"], r["copapers_whole"]) for r in got] == [
        ("CHN", "JPN", 1),
        ("CHN", "USA", 1),
        ("JPN", "CHN", 1),
        ("JPN", "USA", 2),
        ("USA", "CHN", 1),
        ("USA", "JPN", 2),
    ]
