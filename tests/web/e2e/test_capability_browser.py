"""The Capability page's tracker in headless Chromium, on a store built from the planted
synthetic snapshot: the options chosen in the form, the planted leaders with their exact
shares, the charts drawn (inline SVG, nothing blocked by the Content-Security-Policy), the
citation switch flipping the planted lead, and the page fitting 1280 px and 390 px
(screenshots as test artefacts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import browser_needed, serve

pytestmark = browser_needed


@pytest.fixture
def workbench(empty_database_url: str, tracker_data_dir: Path) -> Iterator[str]:
    yield from serve(empty_database_url, tracker_data_dir)


def _login(page: Page, server: str) -> None:
    page.goto(f"{server}/login")
    page.fill("#username", "eve")
    page.fill("#password", "password-of-eve")
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_contain_text("eve")


def _cells(page: Page, table: str) -> list[str]:
    rows = page.locator(f"#{table} tr")
    return [" ".join(rows.nth(i).inner_text().split()) for i in range(1, rows.count())]


def test_the_tracker_form_charts_and_planted_leaders(
    workbench: str, page: Page, artefacts: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, workbench)
    page.goto(f"{workbench}/capability?as_of=2022-12-31")
    page.select_option("#tracker-list", "syn")
    page.click("#tracker-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"list=syn"))
    expect(page.locator("#tracker-definitions")).to_contain_text("syn test (mapping v1)")
    page.select_option("#tracker-tech", "syn/lead3")
    page.click("#tracker-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"tech=syn%2Flead3"))
    expect(page.locator("#tracker-tech-title")).to_have_text("Planted lead3")
    assert _cells(page, "tracker-leaders") == [
        "Planted lead2 CHN 66.7% USA 33.3% 2.0× 0.56 medium 2 of 10 3 0.0%",
        "Planted lead3 USA 75.0% JPN 25.0% 3.0× 0.62 high 2 of 10 2 25.0%",
        "Planted switch CHN 100.0% JPN 0.0% alone 1.00 high 2 of 10 2 0.0%",
    ]
    assert _cells(page, "tracker-countries")[0].startswith("1 USA 37.5% 75.0%")
    assert _cells(page, "tracker-institutions")[0] == "1 Institute US_A USA 20.0% 50.0%"
    expect(page.locator("#tracker-synthetic")).to_be_visible()
    charts = page.locator("#tracker figure.chart svg")
    expect(charts).to_have_count(2)
    assert charts.first.bounding_box()["width"] > 200  # type: ignore[index]
    page.screenshot(path=str(artefacts / "1280-capability-tracker.png"), full_page=True)
    page.check("#tracker-switch")
    page.click("#tracker-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"switch=on"))
    expect(page.locator("#tracker-definitions")).to_contain_text("same-country citations left out")
    assert _cells(page, "tracker-leaders")[2] == (
        "Planted switch USA 100.0% CHN 0.0% alone 1.00 high 2 of 10 3 0.0%"
    )


def test_the_tracker_fits_a_phone(workbench: str, browser: Browser, artefacts: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    _login(page, workbench)
    page.goto(f"{workbench}/capability?as_of=2022-12-31&list=syn&tech=syn/lead3")
    expect(page.locator("#tracker-tech-title")).to_have_text("Planted lead3")
    page.screenshot(path=str(artefacts / "390-capability-tracker.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
