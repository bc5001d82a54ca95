"""Co-authorship pairs: one per partner a paper's country row lists; on every engine."""

from __future__ import annotations

import pyarrow as pa

from scidip.indicators.collaboration import pair_counts


def test_each_country_row_pairs_with_the_partners_it_lists(load, run):
    # Work 1: JPN, USA, CHN (each row lists the other two); work 2: JPN, USA; work 3: DEU alone.
    # Work 4 is the pseudo-country XXX, which is never paired (ingest gives it no partners).
    rows = load(
        pa.table(
            {
                "country_code": ["JPN", "USA", "CHN", "USA", "JPN", "DEU", "XXX"],
                "publication_year": [2020] * 7,
                "is_international": [True, True, True, True, True, False, False],
                "partner_codes": [["CHN", "USA"], ["CHN", "JPN"], ["JPN", "USA"], ["JPN"],
                                  ["USA"], [], []],
            }
        )
    )  # fmt: skip
    got = run(pair_counts(rows), ["country_code", "partner_code"])
    assert [(r["country_code"], r["partner_code"], r["copapers_whole"]) for r in got] == [
        ("CHN", "JPN", 1),
        ("CHN", "USA", 1),
        ("JPN", "CHN", 1),
        ("JPN", "USA", 2),
        ("USA", "CHN", 1),
        ("USA", "JPN", 2),
    ]
