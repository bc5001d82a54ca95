"""The country brief's indicators section, read from small result tables written by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scidip.indicators.brief import (
    SYNTHETIC_NOTE,
    PartnerProfile,
    Strength,
    indicators_paragraphs,
    partner_profile,
)
from scidip.indicators.store import Store


def _row(code: str, field: str, name: str, year: int, **values: float | None) -> dict[str, object]:
    base: dict[str, object] = {
        "country_code": code,
        "field_id": field,
        "field_name": name,
        "period_start": year,
        "period_end": year,
        "period_years": 1,
        "papers_frac": 0.0,
        "world_share_frac_pct": 0.0,
        "rsi": None,
        "top10_own_share_frac_pct": None,
        "synthetic_data": False,
    }
    return base | values


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """KOR in 2021 and 2022 (fields 17 and 22 specialised, 13 not); JPN's partners."""
    rows = [
        _row("KOR", "all", "All fields", 2021, papers_frac=90.0, world_share_frac_pct=3.0),
        _row("KOR", "all", "All fields", 2022, papers_frac=100.0, world_share_frac_pct=4.0),
        _row("KOR", "17", "Computer Science", 2022, rsi=0.25, top10_own_share_frac_pct=12.0),
        _row("KOR", "22", "Engineering", 2022, rsi=0.4, top10_own_share_frac_pct=None),
        _row("KOR", "13", "Biochemistry", 2022, rsi=-0.3, top10_own_share_frac_pct=8.0),
        _row("KOR", "17", "Computer Science", 2021, rsi=0.9, top10_own_share_frac_pct=1.0),
    ]
    s = Store(tmp_path / "store")
    s.results_dir.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), s.result_path("country_field_period"))
    pairs = [  # JPN's co-papers in 2022: USA 30, KOR 12, CHN 12 (ties ranked by code)
        ("JPN", "USA", 30, 40.0),
        ("JPN", "CHN", 12, 16.0),
        ("JPN", "KOR", 12, 16.0),
    ]
    collab = [
        {"country_code": c, "partner_code": p, "period_start": 2022, "period_end": 2022,
         "period_years": 1, "copapers_whole": n, "share_of_country_intl_pct": pct,
         "salton_index": 0.1, "synthetic_data": False}
        for c, p, n, pct in pairs
    ]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(collab), s.result_path("collaboration"))
    return s


def test_profile_of_the_latest_year(store: Store) -> None:
    assert partner_profile(store, "JPN", "KOR", date(2022, 12, 31)) == PartnerProfile(
        year=2022,
        synthetic=False,
        papers_frac=100.0,
        world_share_pct=4.0,
        strengths=[Strength("Engineering", 0.4, None), Strength("Computer Science", 0.25, 12.0)],
        copapers_with_home=12,
        rank_among_home_partners=3,
        share_of_home_intl_pct=16.0,
    )


def test_an_earlier_date_reads_an_earlier_year(store: Store) -> None:
    profile = partner_profile(store, "JPN", "KOR", date(2021, 6, 30))
    assert profile is not None
    assert (profile.year, profile.papers_frac, profile.strengths) == (
        2021,
        90.0,
        [Strength("Computer Science", 0.9, 1.0)],
    )
    assert profile.rank_among_home_partners is None
    assert partner_profile(store, "JPN", "KOR", date(2020, 12, 31)) is None


def test_paragraphs(store: Store) -> None:
    assert indicators_paragraphs(
        store.root, "JPN", "Japan", "KOR", "Korea", date(2022, 12, 31)
    ) == [
        "In 2022, Korea published 100.0 papers (fractional count), 4.00% of the world's.",
        "Fields where it is most specialised in 2022: Engineering (RSI +0.40); "
        "Computer Science (RSI +0.25, top 10% share 12.0%).",
        "12 papers co-authored with Japan in 2022: Japan's partner no. 3, 16.0% of Japan's "
        "internationally co-authored papers.",
    ]
    assert indicators_paragraphs(store.root, "JPN", "Japan", "XXX", "X", date(2022, 1, 1)) is None
    assert indicators_paragraphs(Path("/nonexistent"), "JPN", "J", "KOR", "K", date.today()) is None


def test_synthetic_results_say_so_first(store: Store) -> None:
    table = pq.read_table(store.result_path("country_field_period")).to_pylist()
    for r in table:
        r["synthetic_data"] = True
    pq.write_table(pa.Table.from_pylist(table), store.result_path("country_field_period"))
    found = indicators_paragraphs(store.root, "JPN", "Japan", "KOR", "Korea", date(2022, 12, 31))
    assert found is not None and found[0] == SYNTHETIC_NOTE


def test_an_incomplete_year_is_never_the_brief_s(store: Store) -> None:
    table = pq.read_table(store.result_path("country_field_period")).to_pylist()
    for r in table:  # 2022 counted from a snapshot taken during 2022: incomplete
        r["incomplete_period"] = r["period_end"] == 2022
    pq.write_table(pa.Table.from_pylist(table), store.result_path("country_field_period"))
    profile = partner_profile(store, "JPN", "KOR", date(2022, 12, 31))
    assert profile is not None
    assert (profile.year, profile.papers_frac) == (2021, 90.0)
