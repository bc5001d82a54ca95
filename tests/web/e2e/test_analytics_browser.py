"""The analytics pages in headless Chromium with a materials store present (the materials tests'
tiny world): the Economic security page's scores and its scenario form (a result beside the
score as it is; a refusal beside its field, focused), the country page's materials evidence;
screenshots at 1280 px and 390 px, none wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import browser_needed, serve

pytestmark = browser_needed


@pytest.fixture
def analytics(
    empty_database_url: str, tmp_path: Path, materials_store: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The workbench reading the tiny world's materials store."""
    monkeypatch.setenv("SCIDIP_MATERIALS_STORE", str(materials_store))
    yield from serve(empty_database_url, tmp_path)


def _login(page: Page, server: str, target: str) -> None:
    page.goto(f"{server}{target}")
    page.fill("#username", "eve")
    page.fill("#password", "password-of-eve")
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_contain_text("eve")


def _shoot(page: Page, artefacts: Path, name: str) -> None:
    """The page at 1280 px and 390 px, whole; neither wider than the screen."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artefacts / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
    page.set_viewport_size({"width": 1280, "height": 900})


def _row(page: Page, table: str, material: str) -> list[str]:
    row = page.locator(f"#{table} tr", has=page.locator("td", has_text=material)).first
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def test_the_scenario_form_runs_beside_the_scores_and_refuses_bad_input(
    analytics: str, page: Page, artefacts: Path
) -> None:
    _login(page, analytics, "/economic-security?as_of=2022-12-31")
    expect(page.locator("h1")).to_contain_text("Economic security")
    assert _row(page, "risk-table", "Cobalt") == ["Cobalt", "0.2692 (estimate)", "0.4167"]
    expect(page.locator("main")).to_contain_text("SYNTHETIC")
    _shoot(page, artefacts, "economic-security")
    page.select_option("#sc-kind", "restrict")
    page.select_option("#sc-material", "Cobalt")
    page.select_option("#sc-year", "2022")
    page.fill("#sc-pct", "50")
    page.fill("#sc-supplier", "CHN")
    page.click("#run-scenario")
    expect(page.locator("#scenario-result h3")).to_have_text("JPN, 2022: CHN cuts exports by 50%")
    # China cutting half its 5 t raises Japan's cobalt score (hand-checked in the page tests).
    assert _row(page, "scenario-table", "Cobalt")[:6] == [
        "Cobalt", "0.4167", "0.4495", "+7.9%", "2.5 t (14.7% of supply)", "none",
    ]  # fmt: skip
    expect(page.locator("#scenario-result")).to_contain_text("SYNTHETIC")
    expect(page.locator("#scenario-result .source")).to_contain_text("fetched 2026-01-01")
    expect(page).to_have_url(
        f"{analytics}/economic-security?as_of=2022-12-31&kind=restrict&material=Cobalt&year=2022"
        "&pct=50&supplier=CHN&partners=&split=pro-rata&min_stability=&exclude="
        "#scenario-result"
    )
    expect(page.locator("#sc-supplier")).to_have_value("CHN")  # the form as sent
    _shoot(page, artefacts, "economic-security-scenario")
    # A percentage out of range and an unknown supplier: beside their fields, the first focused.
    page.fill("#sc-pct", "150")
    page.fill("#sc-supplier", "Atlantis")
    page.click("#run-scenario")
    expect(page.locator("#sc-e-pct")).to_have_text("Give a percentage from 0 to 100, e.g. 50.")
    pct = page.locator("#sc-pct")
    expect(pct).to_have_attribute("aria-invalid", "true")
    expect(pct).to_have_attribute("aria-describedby", "sc-h-pct sc-e-pct")
    expect(pct).to_be_focused()
    expect(page.locator("#sc-e-supplier")).to_contain_text("Unknown country 'Atlantis'")
    expect(page.locator("#sc-supplier")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#scenario-result")).to_have_count(0)
    expect(page.locator("#scenario-problems")).to_contain_text("2 things need your attention")
    _shoot(page, artefacts, "economic-security-refused")


def test_the_country_page_shows_the_materials_the_partner_supplies(
    analytics: str, page: Page, artefacts: Path
) -> None:
    _login(page, analytics, "/countries/USA?as_of=2022-12-31")
    expect(page.locator("h1")).to_contain_text("USA")
    row = _row(page, "materials-table", "Natural gas")
    assert row[:3] == ["Natural gas", "2022", "33.3%"]  # 500 of Japan's 1,500 t
    assert row[6] == "500 t short (16.1% of supply)"  # the service's (see the page tests)
    expect(page.locator("#materials")).to_contain_text("SYNTHETIC")
    expect(page.locator("#materials figure.chart svg")).to_be_visible()
    page.locator("#materials-heading").scroll_into_view_if_needed()
    _shoot(page, artefacts, "country-materials")
