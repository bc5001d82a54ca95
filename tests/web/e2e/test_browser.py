"""End to end in headless Chromium (Debian's package, driven by Playwright; no browser download):
log in, open a country page, edit a record, find the edit in the audit log. Screenshots are
saved as test artefacts in SCIDIP_TEST_ARTEFACTS (default: the test's temporary folder)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import browser_needed

pytestmark = browser_needed


def test_login_country_edit_audit(server: str, page: Page, artefacts: Path) -> None:
    page.goto(f"{server}/countries/KAZ?as_of=2022-12-31")
    expect(page).to_have_url(f"{server}/login?next=/countries/KAZ%3Fas_of%3D2022-12-31")
    page.fill("#username", "eve")
    page.fill("#password", "password-of-eve")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Kazakhstan (KAZ)")
    expect(page.locator("#agreements")).to_contain_text("through succession to SUHH's agreement")
    page.screenshot(path=str(artefacts / "1-country.png"), full_page=True)

    page.goto(f"{server}/records/persons/kishi-teruo/edit")
    page.fill("#f-other_names-0-name", "")
    page.click("#save")
    expect(page.locator("#e-other_names-0-name")).to_have_text("Required: please fill this in.")
    page.screenshot(path=str(artefacts / "2-validation.png"), full_page=True)
    page.fill("#f-other_names-0-name", "岸輝雄")
    page.fill("#f-note", "Edited in the browser test")
    page.click("#save")
    expect(page).to_have_url(f"{server}/records/persons/kishi-teruo")
    expect(page.locator("#fields")).to_contain_text("Edited in the browser test")
    page.screenshot(path=str(artefacts / "3-record.png"), full_page=True)

    page.goto(f"{server}/audit?actor=eve")
    first = page.locator("#audit tr").nth(1)
    expect(first).to_contain_text("eve")
    expect(first).to_contain_text("person kishi-teruo")
    expect(first).to_contain_text('"Edited in the browser test"')
    page.screenshot(path=str(artefacts / "4-audit.png"), full_page=True)
    shots = {"1-country.png", "2-validation.png", "3-record.png", "4-audit.png"}
    assert shots <= {p.name for p in artefacts.iterdir()}  # the folder may be shared


def test_a_new_user_finds_each_section_from_the_header(
    server: str, page: Page, artefacts: Path
) -> None:
    page.goto(f"{server}/")
    page.fill("#username", "eve")
    page.fill("#password", "password-of-eve")
    page.click("button[type=submit]")
    page.fill("#as_of", "2022-12-31")
    page.click("#as-of-form button")
    expect(page.locator("#coverage")).to_contain_text(
        "JPN: 7 agreements, in force with 21 countries and the EU"
    )
    page.screenshot(path=str(artefacts / "5-dashboard.png"), full_page=True)

    # The as-of date travels with every section of the header.
    page.click("header nav >> text=Agreements")
    expect(page).to_have_url(f"{server}/agreements?as_of=2022-12-31")
    expect(page.locator("#agreements tr")).to_have_count(9)
    page.screenshot(path=str(artefacts / "6-agreements.png"), full_page=True)
    page.click("text=Agreement on Scientific and Technical Cooperation (Japan-USSR)")
    expect(page.locator("#timeline")).to_contain_text("succession via SUHH")

    page.click("header nav >> text=People and bodies")
    expect(page.locator("#posts")).to_contain_text("MATSUMOTO Yoichiro")
    page.screenshot(path=str(artefacts / "7-people.png"), full_page=True)
    page.click("#bodies >> text=Advisory Board for Promoting Science and Technology Diplomacy")
    expect(page.locator("#members")).to_contain_text("KOTANI Motoko")

    page.fill("header input[type=search]", "松本")
    page.press("header input[type=search]", "Enter")
    expect(page).to_have_url(f"{server}/search?as_of=2022-12-31&q=%E6%9D%BE%E6%9C%AC")
    expect(page.locator("main ul.results")).to_contain_text("MATSUMOTO Yoichiro 松本洋一郎")
    page.screenshot(path=str(artefacts / "8-search.png"), full_page=True)

    page.click("header nav >> text=Reports")
    page.screenshot(path=str(artefacts / "9-reports.png"), full_page=True)
    page.select_option("#country-code", "KAZ")
    with page.expect_download() as download:
        page.click("#country-report button")
    brief = download.value
    assert brief.suggested_filename == "country-KAZ.pdf"
    saved = artefacts / "country-KAZ.pdf"
    brief.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")


def test_the_api_docs_render_with_nothing_fetched_from_outside(
    server: str, page: Page, artefacts: Path
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(server) else None,
    )
    page.goto(f"{server}/docs")
    # Swagger UI drew the operations from /openapi.json: its script and style came from /static.
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=30_000)
    expect(page.locator(".info .title")).to_contain_text("SciDip")
    # It draws the tags in the order of the schema (further ones as the page scrolls).
    schema = page.request.get(f"{server}/openapi.json").json()
    first = next(iter(schema["paths"].values()))
    tag = next(iter(first.values()))["tags"][0]
    expect(page.locator(".opblock-tag").first).to_contain_text(tag)
    assert outside == []
    page.screenshot(path=str(artefacts / "api-docs.png"))


def test_the_account_page_and_logout_end_the_session(
    server: str, page: Page, artefacts: Path
) -> None:
    page.goto(f"{server}/")
    page.fill("#username", "eve")
    page.fill("#password", "password-of-eve")
    page.click("button[type=submit]")
    expect(page.locator("header .who a")).to_contain_text("eve", timeout=30_000)
    page.click("header .who a")  # a boosted link: htmx swaps the page in
    expect(page).to_have_url(f"{server}/account", timeout=30_000)
    expect(page.locator("h1")).to_have_text("Your account", timeout=30_000)
    expect(page.locator("#session-list")).to_contain_text("this one")
    page.screenshot(path=str(artefacts / "account.png"), full_page=True)
    kept = next(c for c in page.context.cookies() if c["name"] == "scidip_session")
    page.click("header .who button")
    expect(page).to_have_url(f"{server}/login", timeout=30_000)
    page.context.add_cookies([kept])  # the old cookie, put back: it opens nothing any more
    page.goto(f"{server}/account")
    expect(page).to_have_url(f"{server}/login?next=/account", timeout=30_000)
