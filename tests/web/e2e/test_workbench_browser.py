"""The workbench's pages in headless Chromium: type-ahead search by country and Japanese name,
the engagements list sorted, filtered and exported (the CSV holds the page's rows), a restricted
record refused to a public viewer, the report marking, and every page at 1280 px and 390 px
(no page wider than the phone; screenshots as test artefacts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.auth.service import add_user
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.engagement.service import ENGAGEMENT

from .conftest import browser_needed, serve

pytestmark = browser_needed

VISIT = "visit-kotani-brussels-2022-07"
PAGES = [
    "/",
    "/map",
    "/agreements",
    "/agreements/jpn-ussr-1973",
    "/countries/KAZ",
    "/people",
    "/persons/matsumoto-yoichiro",
    "/posts/mofa-st-advisor",
    "/bodies/advisory-board",
    "/committees/jc-deu",
    "/engagements",
    f"/engagements/{VISIT}",
    "/documents/recommendation-2022-06",
    "/sources/bluebook-2023",
    "/calendar?month=2022-07",
    "/lists",
    "/lists/parties",
    "/economic-security",
    "/capability",
    "/search?q=Kazakhstan",
    "/reports",
    "/audit",
]


def _restricted_visit(session: Session) -> None:
    found = record.get(session, ENGAGEMENT, VISIT)
    data = record.snapshot(session, ENGAGEMENT, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(session, ENGAGEMENT, VISIT, data, found.version, "setup")
    add_user(session, "pat", "password-of-pat", Role.viewer, Sensitivity.public)


@pytest.fixture
def workbench(empty_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The workbench with the visit to Brussels restricted and a public viewer ``pat``."""
    yield from serve(empty_database_url, tmp_path, _restricted_visit)


def _login(page: Page, server: str, user: str = "eve") -> None:
    page.goto(f"{server}/login")
    page.fill("#username", user)
    page.fill("#password", f"password-of-{user}")
    page.click("button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(user)


def test_type_ahead_finds_a_country_and_a_japanese_name(
    workbench: str, page: Page, artefacts: Path
) -> None:
    _login(page, workbench)
    page.fill("#header-search", "Kazakhstan")
    suggestion = page.locator("#search-suggestions a", has_text="Kazakhstan (KAZ)")
    expect(suggestion).to_be_visible()
    page.screenshot(path=str(artefacts / "typeahead-kazakhstan.png"))
    suggestion.click()
    expect(page.locator("h1")).to_have_text("Kazakhstan (KAZ)")
    page.fill("#header-search", "小谷")
    expect(page.locator("#search-suggestions")).to_contain_text("小谷元子")
    page.press("#header-search", "ArrowDown")  # the keyboard reaches the suggestions
    expect(page.locator("#search-suggestions a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("KOTANI Motoko")
    page.fill("#header-search", "小谷")
    page.press("#header-search", "Enter")  # the full results page
    expect(page.locator("main ul.results")).to_contain_text("KOTANI Motoko 小谷元子")


def _table(page: Page) -> list[list[str]]:
    rows = page.locator("#list-table tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_the_engagements_list_sorts_filters_and_exports_what_it_shows(
    workbench: str, page: Page, artefacts: Path
) -> None:
    _login(page, workbench)
    page.goto(f"{workbench}/engagements")
    expect(page.locator("#list-count")).to_have_text("4 rows")
    page.click("#list-table th >> text=title")
    expect(page.locator("#list-table th[aria-sort=ascending]")).to_contain_text("title")
    assert [r[0] for r in _table(page)] == [
        "board-2022-03",
        "board-2022-08",
        f"{VISIT}",
        "visit-matsumoto-usa-2022-06",
    ]
    page.click("#facet-kind >> text=visit")
    expect(page.locator("#list-count")).to_have_text("2 rows")
    page.fill("#list-q", "united")
    page.click("#list-filter button")
    expect(page.locator("#list-count")).to_have_text("1 row")
    shown = _table(page)
    page.screenshot(path=str(artefacts / "engagements-filtered.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export-csv")
    saved = artefacts / "engagements.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0] == ["key", "date", "title", "kind", "counterpart_parties", "host", "sensitivity"]
    assert rows[1:] == shown
    assert shown[0][0] == "visit-matsumoto-usa-2022-06"


def test_a_restricted_record_is_marked_and_refused_to_a_public_viewer(
    workbench: str, browser: Browser, artefacts: Path
) -> None:
    cleared = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(cleared, workbench)
    cleared.goto(f"{workbench}/engagements/{VISIT}")
    expect(cleared.locator("#marking")).to_contain_text("RESTRICTED")
    cleared.screenshot(path=str(artefacts / "restricted-banner.png"))
    public = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(public, workbench, "pat")
    response = public.goto(f"{workbench}/engagements/{VISIT}")
    assert response is not None and response.status == 404
    expect(public.locator("main")).not_to_contain_text("Brussels")
    public.goto(f"{workbench}/engagements")
    expect(public.locator("#list-count")).to_have_text("3 rows")
    expect(public.locator("main")).not_to_contain_text("Brussels")


def test_a_report_carries_the_clearance_chosen_and_its_marking(
    workbench: str, page: Page, artefacts: Path
) -> None:
    _login(page, workbench)
    page.goto(f"{workbench}/reports?as_of=2022-12-31")
    page.select_option("#annual-format", "md")
    page.select_option("#annual-clearance", "public")
    with page.expect_download() as download:
        page.click("#annual-report button")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    line = (
        "**Classification: PUBLIC (the highest marking of the content) · prepared for a reader "
        "cleared for PUBLIC**"
    )
    assert text.startswith(f"{line}\n") and text.endswith(f"\n{line}\n")
    assert "Visit to Brussels" not in text
    page.select_option("#annual-clearance", "restricted")
    with page.expect_download() as download:
        page.click("#annual-report button")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("**Classification: RESTRICTED (the highest marking of the content)")
    assert "Visit to Brussels" in text


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_fits_the_screen(
    workbench: str, browser: Browser, artefacts: Path, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    _login(page, workbench)
    too_wide = []
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        response = page.goto(f"{workbench}{path}{sep}as_of=2022-12-31")
        assert response is not None and response.status == 200, path
        name = path.strip("/").split("?")[0].replace("/", "-") or "dashboard"
        page.screenshot(path=str(artefacts / f"{width}-{name}.png"), full_page=True)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(path)
    assert too_wide == []
    if width == 390:  # the sections fold under the Menu button
        expect(page.locator("header nav .sections")).to_be_hidden()
        page.click("label.nav-toggle-label")
        expect(page.locator("header nav .sections >> text=Agreements")).to_be_visible()
        page.screenshot(path=str(artefacts / "390-menu-open.png"))
