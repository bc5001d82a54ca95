"""Evidence on the country page: without stores the page says how to build them (never a 500);
with computed indicators it shows the partner's profile, a chart, the source and vintage, and
the synthetic label when the data are generated."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.indicators.store import Store

from .test_pages import login


def _row(code: str, field: str, name: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "country_code": code, "field_id": field, "field_name": name, "period_start": 2022,
        "period_end": 2022, "period_years": 1, "papers_frac": 0.0, "world_share_frac_pct": 0.0,
        "rsi": None, "top10_own_share_frac_pct": None, "synthetic_data": True,
    }  # fmt: skip
    return base | values


def _indicators(root: Path) -> None:
    """KAZ in 2022 (generated): 120.5 papers, 0.05% of the world's; JPN's partners."""
    store = Store(root)
    store.results_dir.mkdir(parents=True)
    rows = [
        _row("KAZ", "all", "All fields", papers_frac=120.5, world_share_frac_pct=0.05),
        _row("KAZ", "19", "Earth and Planetary Sciences", rsi=0.5, top10_own_share_frac_pct=7.5),
        _row("KAZ", "25", "Materials Science", rsi=0.2),
        _row("KAZ", "17", "Computer Science", rsi=-0.4),
    ]
    pq.write_table(pa.Table.from_pylist(rows), store.result_path("country_field_period"))
    collab = [
        {"country_code": "JPN", "partner_code": p, "period_start": 2022, "period_end": 2022,
         "period_years": 1, "copapers_whole": n, "share_of_country_intl_pct": pct,
         "salton_index": 0.1, "synthetic_data": True}
        for p, n, pct in (("USA", 30, 40.0), ("KAZ", 3, 4.0))
    ]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(collab), store.result_path("collaboration"))
    meta = {"source": "synthetic", "synthetic": True, "data_as_of": "2023-01-31",
            "ingested_at": "2026-02-01T10:00:00+00:00"}  # fmt: skip
    (root / "ingest.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture
def app(app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    """The app with a data folder of the test's own (the module's app keeps one for all), and
    no store named by the environment (CI names the real materials store)."""
    monkeypatch.delenv("SCIDIP_MATERIALS_STORE", raising=False)
    kept = app.state.settings
    app.state.settings = kept.model_copy(update={"data_dir": tmp_path, "materials_store": None})
    yield app
    app.state.settings = kept


def _text(html: str, element_id: str) -> str:
    part = html.split(f'id="{element_id}"')[1].split('<h2 id="')[0]
    return " ".join(
        re.sub(r"<svg.*?</svg>|<[^>]+>", " ", part.split(">", 1)[1], flags=re.S).split()
    )


def test_without_stores_the_page_says_how_to_build_them(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/countries/KAZ", params={"as_of": "2022-12-31"})
    assert page.status_code == 200
    assert "No materials store: build it with `scidip materials fetch`" in page.text
    assert "No indicators computed: ingest works with `scidip indicators ingest" in page.text


def test_the_partners_capability_with_chart_source_and_synthetic_label(
    app: FastAPI, db: Session
) -> None:
    _indicators(app.state.settings.data_dir / "indicators")
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/countries/KAZ", params={"as_of": "2022-12-31"}).text
    found = _text(page, "indicators")
    assert found.startswith(
        "SYNTHETIC — these indicators come from a generated snapshot, not real papers. "
        "Year 2022 (the latest complete year on or before 2022-12-31) "
        "Papers 120.5 (fractional count), 0.05% of the world's "
        "Co-authored with the home country 3 papers; partner no. 2, 4.0% of the home country's "
        "internationally co-authored papers"
    )
    assert (
        "Earth and Planetary Sciences: RSI +0.50, top 10% share 7.5% Materials Science: RSI +0.20"
        in found
    )
    assert "Computer Science" not in found  # not specialised (RSI < 0)
    assert found.endswith(
        "Source: synthetic, data as of 2023-01-31, ingested 2026-02-01. Method: docs/indicators.md."
    )
    chart = page.split('aria-label="Relative specialisation by field">')[1].split("</figure>")[0]
    assert chart.lstrip().startswith("<svg") and "<script" not in chart


def test_the_analytics_pages_without_stores_say_how_to_build_them(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    security = client.get("/economic-security")
    assert security.status_code == 200
    assert 'id="materials-absent">No materials store: build it with' in security.text
    capability = client.get("/capability")
    assert capability.status_code == 200
    assert 'id="indicators-absent">No indicators computed:' in capability.text


def test_the_capability_page_lists_countries_by_papers(app: FastAPI, db: Session) -> None:
    root = app.state.settings.data_dir / "indicators"
    _indicators(root)
    store = Store(root)  # JPN's own row: the year the page reads, and a second country
    rows = pq.read_table(store.result_path("country_field_period")).to_pylist()
    rows.append(_row("JPN", "all", "All fields", papers_frac=900.0, world_share_frac_pct=0.4))
    pq.write_table(pa.Table.from_pylist(rows), store.result_path("country_field_period"))
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/capability", params={"as_of": "2022-12-31"}).text
    table = page.split('id="capability-table">')[1].split("</table>")[0]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in table.split("<tr>")[1:]]
    assert cells == [
        "Country Papers World share Top 10% share of its papers",
        "Japan 900.0 0.40%",
        "Kazakhstan 120.5 0.05%",
    ]
    assert "<strong>SYNTHETIC</strong>" in page
    assert "Year 2022. Source: synthetic, data as of 2023-01-31, ingested 2026-02-01." in page
