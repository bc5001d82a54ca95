"""The Capability page's tracker and researcher flows, on the planted synthetic snapshot: the
planted leaders with their exact shares, margins, HHI and risk, the home country's position,
the chosen technology's countries (with the intervals the library draws) and institutions,
the citation switch, the definitions named, the synthetic label, charts as inline SVG, the
MPIDR series beside SciDip's own; and clear messages without a store or with a wrong option."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.indicators.store import Store
from scidip.indicators.tech import service

from ..conftest import MPIDR
from .test_pages import login


@pytest.fixture
def app(app: FastAPI, tracker_data_dir: Path) -> Iterator[FastAPI]:
    kept = app.state.settings
    app.state.settings = kept.model_copy(update={"data_dir": tracker_data_dir})
    yield app
    app.state.settings = kept


def _rows(html: str, table_id: str) -> list[str]:
    table = html.split(f'id="{table_id}">')[1].split("</table>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in table.split("<tr>")[1:]]


def _page(app: FastAPI, db: Session, **params: str) -> str:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    response = client.get("/capability", params={"as_of": "2022-12-31", **params})
    assert response.status_code == 200
    return response.text


def test_the_tracker_shows_the_planted_leaders_and_the_home_country(app, db):
    page = _page(app, db, list="syn", tech="syn/lead3")
    assert _rows(page, "tracker-leaders") == [
        "Technology Leader Share Second Share Lead HHI Risk Top-10 inst. JPN rank JPN share "
        "5 y before",
        "Planted lead2 CHN 66.7% USA 33.3% 2.0× 0.56 medium 2 of 10 3 0.0%",
        "Planted lead3 USA 75.0% JPN 25.0% 3.0× 0.62 high 2 of 10 2 25.0%",
        "Planted switch CHN 100.0% JPN 0.0% alone 1.00 high 2 of 10 2 0.0%",
    ]
    assert "Definitions: <strong>syn test (mapping v1)</strong> (3 technologies)" in page
    assert 'id="tracker-synthetic"><strong>SYNTHETIC</strong>' in page
    assert _rows(page, "tracker-institutions")[1:4] == [
        "1 Institute US_A USA 20.0% 50.0%",
        "2 Institute JP_B JPN 17.5% 25.0%",
        "3 Institute US_B USA 17.5% 25.0%",
    ]
    assert _rows(page, "tracker-sensitivity")[1:] == [
        "Planted lead2 CHN CHN CHN CHN CHN",
        "Planted lead3 USA USA USA USA USA",
        "Planted switch CHN CHN CHN CHN USA yes",
    ]
    # Two charts of the tracker (shares by year; shares with intervals), inline, no script.
    tracker = page.split('<section id="tracker">')[1].split("</section>")[0]
    assert tracker.count("<svg") == 2 and "<script" not in tracker
    assert "SYNTHETIC DATA — not real bibliometrics" in tracker  # on the charts too


def test_the_chosen_technology_shows_every_country_with_its_intervals(app, db):
    page = _page(app, db, list="syn", tech="syn/lead3")
    store = Store(app.state.settings.data_dir / "indicators")
    lists = service.recorded_lists(service.read_meta(store))
    bounds = {b["country_code"]: b for b in service.stability(store, lists, "syn/lead3", 2020, 5)}
    usa, jpn = bounds["USA"], bounds["JPN"]
    assert _rows(page, "tracker-countries") == [
        "Rank Country Papers share Top 10% share 95 % interval Rank interval",
        f"1 USA 37.5% 75.0% {usa['share_lb']:.1f}–{usa['share_ub']:.1f}% "
        f"{usa['rank_lb']}–{usa['rank_ub']}",
        f"2 JPN 32.5% 25.0% {jpn['share_lb']:.1f}–{jpn['share_ub']:.1f}% "
        f"{jpn['rank_lb']}–{jpn['rank_ub']}",
        f"3 DEU 30.0% 0.0% 0.0–0.0% {bounds['DEU']['rank_lb']}–{bounds['DEU']['rank_ub']}",
    ]
    assert usa["share_lb"] < 75.0 < usa["share_ub"]  # an interval, not a point


def test_without_same_country_citations_the_planted_switch_flips(app, db):
    page = _page(app, db, list="syn", switch="on", method="nistep")
    assert _rows(page, "tracker-leaders")[3] == (
        "Planted switch USA 100.0% CHN 0.0% alone 1.00 high 2 of 10 3 0.0%"
    )
    assert "same-country citations left out" in page and "NISTEP&#39;s" in page


def test_a_wrong_option_is_named_and_the_default_used(app, db):
    page = _page(app, db, list="syn", method="leiden", years="3")
    assert re.findall(r'id="tracker-error">([^<]*)<', page) == [
        "method must be one of scidip, cwts, nistep, not &#39;leiden&#39;",
        "years must be one of 5, 1, not &#39;3&#39;",
    ]
    assert _rows(page, "tracker-leaders")[1].startswith("Planted lead2 CHN 66.7%")


def test_a_date_before_the_first_window_says_so(app, db):
    page = _page(app, db, list="syn", as_of="2018-06-30")
    assert (
        'id="tracker-empty">No 5-year window of the tracker ends on or before 2018-06-30.' in page
    )


@pytest.mark.skipif(not MPIDR.is_dir(), reason=f"{MPIDR} is not there")
def test_the_mpidr_series_beside_scidips_own_for_japan_and_its_partners(app, db):
    page = _page(app, db)
    rows = _rows(page, "flows-table")
    # The MPIDR OpenAlex series, 2018 (its last year): Japan 304,967 scholars, 5,404 in,
    # 5,420 out; SciDip's planted careers in Japan, 2018: 2 scholars, 1 out (A_OUT to USA).
    assert rows[1] == "JPN 2018 304,967 5,404 5,420 -0.05 2 0 1 -500.00"
    assert [r.split()[0] for r in rows[1:]] == ["JPN", "USA", "CHN", "DEU", "GBR", "KOR"]
    assert _rows(page, "flows-partners")[1] == "USA 4,689 4,677 -12"
    assert 'id="flows-synthetic"><strong>SYNTHETIC</strong>' in page
    flows = page.split('<section id="flows">')[1].split("</section>")[0]
    assert flows.count("<svg") == 1 and "Akbaritabar, A., Theile, T. &amp; Zagheni, E." in flows


def test_without_a_store_the_page_says_how_to_build_one(app, db, tmp_path):
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path})
    page = _page(app, db)
    assert 'id="tracker-absent">No technology tracker computed: ingest works with' in page
    assert 'id="flows-absent">No researcher flows: load the MPIDR series with' in page
    assert 'id="indicators-absent">No indicators computed:' in page


def test_a_technology_without_papers_in_the_window_says_so(app, db):
    page = _page(app, db, list="us-cet", tech="us-cet/hypersonics")
    assert 'id="tracker-none">No paper of Hypersonics in 2016–2020.</p>' in page
    assert "Definitions: <strong>us-cet 2024-02 (mapping v1)</strong> (18 technologies)" in page
