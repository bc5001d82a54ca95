"""The materials evidence with a store present (the materials tests' tiny world, built here:
the tests assume nothing of the environment's store), and the Economic security page's scenario
form: its results beside the score as it is, with exact figures against the service and by
hand; each refusal beside its field; a clear message without a store.

The tiny world (tests/materials/conftest.py), Japan 2022: cobalt imports 10 t from the DR Congo
(governance weight 0.9), 5 t from China (0.6), 2 t from Taiwan (0.35), a row from Australia
without a quantity; no own production; world production 100 + 30.7 + 10 t. Natural gas: 1,000 t
from Australia, 500 t from the USA.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.materials.brief import partner_supplies
from scidip.materials.service import Context, ScenarioSpec, open_context, risk, scenario
from scidip.registry import record
from scidip.registry.agreement.service import AGREEMENT
from scidip.web.pages import scenario as scenario_page

from .test_pages import login

COBALT_HHI = (100**2 + 30.7**2 + 10**2) / 140.7**2
COBALT_2022 = COBALT_HHI * (10 * 0.9 + 5 * 0.6 + 2 * 0.35) / 17
# China cuts half its 5 t: 2.5 t from China, 2.5 t short at the worst weight (1), supply 17 t.
COBALT_CHINA_HALF = COBALT_HHI * (10 * 0.9 + 2.5 * 0.6 + 2 * 0.35 + 2.5 * 1) / 17


@pytest.fixture
def app(
    app: FastAPI, tmp_path: Path, materials_store: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FastAPI]:
    """The app reading the tiny world's store (and no store the environment names)."""
    monkeypatch.delenv("SCIDIP_MATERIALS_STORE", raising=False)
    kept = app.state.settings
    app.state.settings = kept.model_copy(
        update={"data_dir": tmp_path, "materials_store": materials_store}
    )
    yield app
    app.state.settings = kept


@contextmanager
def _opened(store: Path) -> Iterator[Context]:
    """The store open for the services, closed after."""
    ctx = open_context(store)
    try:
        yield ctx
    finally:
        ctx.con.close()


def _cells(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}">')[1].split("</table>")[0]
    cell = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", flags=re.S)
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cell.findall(r)]
        for r in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    ]


def test_the_country_page_shows_what_the_partner_supplies_from_the_store(
    app: FastAPI, db: Session, materials_store: Path
) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/countries/USA", params={"as_of": "2022-12-31"})
    assert page.status_code == 200
    with _opened(materials_store) as ctx:
        (gas,) = partner_supplies(ctx, "JPN", "USA", date(2022, 12, 31))
    assert (gas.material, gas.year) == ("Natural gas", 2022)
    assert gas.share_pct == pytest.approx(100 * 500 / 1500, rel=1e-12)  # by hand
    assert gas.score is not None and gas.score_after is not None and gas.change_pct is not None
    assert gas.cutoff_t == pytest.approx(500, rel=1e-12)  # all of the USA's 500 t short
    assert _cells(page.text, "materials-table") == [
        ["Material", "Year", "Share of imports", "Risk score", "With the shift", "Change",
         "If USA stopped supplying"],
        ["Natural gas", "2022", "33.3%", f"{gas.score:.4g}", f"{gas.score_after:.4g}",
         f"{gas.change_pct:+.1f}%", f"500 t short ({gas.cutoff_pct:.1f}% of supply)"],
    ]  # fmt: skip
    evidence = page.text.split('id="materials">')[1].split('id="capability-heading"')[0]
    assert "<strong>SYNTHETIC</strong> — generated data, not real trade." in evidence
    assert "Source: World Mining Data, Austrian Federal Ministry of Finance (BMF) (2018–2024)" in (
        evidence
    )
    assert "fetched 2026-01-01. Method: docs/materials.md." in evidence
    assert 'aria-label="Share of the home country\'s imports by material"><svg' in evidence


def test_the_economic_security_page_shows_the_scores_of_the_store(
    app: FastAPI, db: Session, materials_store: Path
) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/economic-security", params={"as_of": "2022-12-31"})
    assert page.status_code == 200
    with _opened(materials_store) as ctx:
        scores = {(r.material, r.year): r for r in risk(ctx, ["JPN"], [2021, 2022])}
    assert scores["Cobalt", 2022].score == pytest.approx(COBALT_2022, rel=1e-12)

    def shown(material: str, year: int) -> str:
        r = scores[material, year]
        return f"{r.score:.4g}" + (" (estimate)" if r.status == "estimate" else "")

    table = _cells(page.text, "risk-table")
    assert table[0] == ["Material", "2021", "2022"]
    assert table[1:] == [
        [m, shown(m, 2021), shown(m, 2022)]
        for m in ("Cobalt", "Copper", "Gallium", "Germanium", "Gold", "Natural gas")
    ]
    assert table[1] == ["Cobalt", "0.2692 (estimate)", "0.4167"]
    assert "<strong>SYNTHETIC</strong>" in page.text
    assert '<figure class="chart" aria-label="Supply risk by material in 2022"><svg' in page.text
    # The form, filled in with its defaults: China cutting half its exports in the latest year.
    form = page.text.split('id="scenario-form"')[1].split("</form>")[0]
    assert '<option value="restrict" selected>' in form
    assert '<option value="2022" selected>2022</option><option value="2021">' in form
    assert 'name="pct" value="50"' in form and 'name="supplier" value="CHN"' in form
    assert 'id="scenario-result"' not in page.text


def test_a_supplier_cutting_its_exports_never_lowers_the_risk(
    app: FastAPI, db: Session, materials_store: Path
) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    query = {"as_of": "2022-12-31", "kind": "restrict", "year": "2022", "pct": "50",
             "supplier": "CHN", "material": ""}  # fmt: skip
    page = client.get("/economic-security", params=query)
    assert page.status_code == 200, page.text
    with _opened(materials_store) as ctx:
        results = scenario(ctx, "JPN", 2022, None, ScenarioSpec("restrict", "CHN", 0.5))
    by_material = {r.material: r for r in results}
    cobalt = by_material["Cobalt"]
    assert cobalt.score_before == pytest.approx(COBALT_2022, rel=1e-12)
    assert cobalt.score_after == pytest.approx(COBALT_CHINA_HALF, rel=1e-12)
    assert cobalt.score_after > cobalt.score_before  # the cut raises the risk, by hand
    for r in results:  # and never lowers it, for every material
        if r.score_before is not None:
            assert r.score_after is not None and r.score_after >= r.score_before, r.material
    rows = _cells(page.text, "scenario-table")
    assert rows[0] == ["Material", "Score now", "With the scenario", "Change", "Shortfall",
                       "Re-sourced", "Shares of supply that moved; notes"]  # fmt: skip
    assert rows[1][:6] == ["Cobalt", "0.4167", "0.4495", "+7.9%",
                           "2.5 t (14.7% of supply)", "none"]  # fmt: skip
    assert rows[1][6].startswith("(shortfall) 0.0% → 14.7%, CHN 29.4% → 14.7%; shortfall 2.5 t")
    # Highest score after the scenario first; copper: 10 t of China's 20 t short, of a supply
    # of 60 t imported and 100 t produced at home; no cobalt from China in gold or natural gas.
    assert [r[0] for r in rows[1:]] == ["Cobalt", "Natural gas", "Copper", "Gold", "Germanium"]
    assert rows[3][3:6] == ["+25.0%", "10 t (6.2% of supply)", "none"]
    assert by_material["Copper"].shortfall_pct == pytest.approx(100 * 10 / 160, rel=1e-12)
    # Each row's figures are the service's.
    for row in rows[1:]:
        r = by_material[row[0]]
        assert row[1] == (f"{r.score_before:.4g}" if r.score_before is not None else "—")
        assert row[2] == (f"{r.score_after:.4g}" if r.score_after is not None else "—")
    result = page.text.split('id="scenario-result"')[1].split("</section>")[0]
    assert "JPN, 2022: CHN cuts exports by 50%" in result
    assert "<strong>SYNTHETIC</strong>" in result
    assert "Source: World Mining Data" in result and "fetched 2026-01-01" in result
    # The form comes back as sent.
    form = page.text.split('id="scenario-form"')[1].split("</form>")[0]
    assert '<option value="" selected>' not in form and 'name="supplier" value="CHN"' in form


def test_agreement_partners_are_those_the_reader_may_see(app: FastAPI, db: Session) -> None:
    query = {"as_of": "2022-12-31", "kind": "diversify", "year": "2022", "pct": "30",
             "partners": "agreements", "material": "Cobalt"}  # fmt: skip

    def partners(client: TestClient) -> str:
        page = client.get("/economic-security", params=query)
        assert page.status_code == 200, page.text
        result = page.text.split('id="scenario-result"')[1].split("</section>")[0]
        found = re.search(r"agreement partners on the page&#39;s date: ([A-Z, ]+)<", result)
        assert found is not None
        return found.group(1)

    cleared = login(app, db, Role.viewer, Sensitivity.restricted)
    assert partners(cleared) == "DEU, USA"  # in force with Japan in 2022, in the trade data
    record.get(db, AGREEMENT, "jpn-usa-1988").sensitivity = Sensitivity.restricted
    db.flush()
    public = login(app, db, Role.viewer, Sensitivity.public, name="pub")
    assert partners(public) == "DEU"  # a restricted agreement moves nothing for them
    assert partners(cleared) == "DEU, USA"


def test_bad_input_is_refused_beside_each_field(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    query = {"as_of": "2022-12-31", "kind": "restrict", "year": "2019", "pct": "150",
             "supplier": "Atlantis", "material": "Unobtainium", "min_stability": "9"}  # fmt: skip
    page = client.get("/economic-security", params=query)
    assert page.status_code == 422
    html = page.text
    for name, message in [
        ("year", "Choose a year of data on or before the page&#39;s date (2021 to 2022)."),
        ("pct", "Give a percentage from 0 to 100, e.g. 50."),
        (
            "supplier",
            "Unknown country &#39;Atlantis&#39;: use an ISO alpha-3 code (CHN) or "
            "the trade data&#39;s name (China).",
        ),
        ("material", "Unknown material: choose one from the list."),
        ("min_stability", "Give a number from -2.5 to 2.5, e.g. 0."),
    ]:
        assert f'<div class="error" id="sc-e-{name}">{message}</div>' in html, name
        tag = re.search(rf'<(?:input|select)[^>]* id="sc-{name}"[^>]*>', html)
        assert tag is not None, name
        assert 'aria-invalid="true"' in tag.group(0), name
        described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
        assert described is not None and f"sc-e-{name}" in described.group(1).split(), name
    # The focus goes to the first problem in the form's order; the rest stay as typed.
    assert re.search(r'<select id="sc-material"[^>]* autofocus>', html)
    assert html.count(" autofocus") == 1
    assert 'name="supplier" value="Atlantis"' in html
    assert "The scenario was not run.</strong> 5 things need your attention" in html
    assert 'id="scenario-result"' not in html
    # A restriction needs its supplier; the importer cannot cut itself off.
    for supplier, message in [
        ("", "Name the supplier that cuts its exports, e.g. CHN."),
        ("JPN", "Japan is the importer itself (JPN)."),
    ]:
        page = client.get("/economic-security", params=query | {
            "year": "2022", "pct": "50", "material": "", "min_stability": "", "supplier": supplier,
        })  # fmt: skip
        assert page.status_code == 422
        assert f'<div class="error" id="sc-e-supplier">{message}</div>' in page.text


def test_without_a_store_the_scenario_says_how_to_build_one(
    app: FastAPI, db: Session, tmp_path: Path
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"materials_store": tmp_path / "none"}
    )
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/economic-security", params={"kind": "restrict", "supplier": "CHN"})
    assert page.status_code == 200
    assert (
        '<p class="muted" id="scenario-absent">The scenario was not run: the scenario form needs '
        "the materials store, which is not built yet. No materials store: build it with "
        "`scidip materials fetch`"
    ) in page.text
    assert 'id="scenario-form"' not in page.text


def test_recycling_and_substitution_from_the_form(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    query = {"as_of": "2022-12-31", "year": "2022", "material": "Cobalt", "supplier": "CHN"}
    # Cobalt's recycling input rate from 22 % to 50 %: the import risk scales by (1 - r)/(1 - r0).
    page = client.get("/economic-security", params=query | {"kind": "recycling", "pct": "50"})
    assert page.status_code == 200, page.text
    (row,) = _cells(page.text, "scenario-table")[1:]
    assert row[:3] == ["Cobalt", f"{COBALT_2022:.4g}", f"{COBALT_2022 * 0.5 / 0.78:.4g}"]
    assert row[3] == f"{100 * (0.5 / 0.78 - 1):+.1f}%" == "-35.9%"
    assert "JPN, 2022: recycling input rate 22% -&gt; 50%" in page.text
    # Demand cut by 20 %: without own production the import mix, and so the score, is the same.
    page = client.get("/economic-security", params=query | {"kind": "substitution", "pct": "20"})
    assert page.status_code == 200, page.text
    (row,) = _cells(page.text, "scenario-table")[1:]
    assert row[:4] == ["Cobalt", "0.4167", "0.4167", "+0.0%"]


def test_a_long_list_of_moved_shares_is_cut_at_ten() -> None:
    shares = [{"source": f"C{i:02d}", "before_pct": 0.0, "after_pct": 1.0} for i in range(12)]
    assert scenario_page._moves(shares) == [
        *(f"C{i:02d} 0.0% → 1.0%" for i in range(10)),
        "and 2 more",
    ]
    assert scenario_page._moves(shares[:10])[-1] == "C09 0.0% → 1.0%"
