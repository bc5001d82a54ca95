"""Recording in the browser (headless Chromium, as test_browser.py): a committee meeting with two
action items from the committee's page, an agreement and its entry into force (the dashboard's
count changes), a recommendation and its follow-up from the body's page, a refused form that
keeps what was typed, and a picker that offers a public-clearance editor nothing hidden.
Each form is photographed at 1280 px and 390 px (SCIDIP_TEST_ARTEFACTS/e2e/forms-*.png)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from scidip.auth.models import Role
from scidip.auth.service import add_user
from scidip.db.base import Sensitivity
from scidip.db.session import make_engine, make_sessionmaker
from scidip.registry import record
from scidip.registry.person.service import PERSON
from scidip.web.pages import writes

from .test_browser import pytestmark  # noqa: F401  (skipped where chromium is missing)


def _log_in(page: Page, server: str, target: str, user: str = "eve") -> None:
    page.goto(f"{server}{target}")
    page.fill("#username", user)
    page.fill("#password", f"password-of-{user}")
    page.click("button[type=submit]")


def _shoot(page: Page, artefacts: Path, name: str) -> None:
    """The page at 1280 px and at 390 px wide (a phone), whole."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(artefacts / f"forms-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_committee_meeting_with_two_action_items(
    server: str, page: Page, artefacts: Path
) -> None:
    _log_in(page, server, "/records/committees/jc-deu")
    page.click("#add-meeting")
    expect(page).to_have_url(f"{server}/records/meetings/new?committee=jc-deu")
    expect(page.locator("#f-committee")).to_have_value("jc-deu")
    page.fill("#f-key", "jc-deu-25")
    page.fill("#f-number", "25")
    page.fill("#f-date-year", "2025")
    page.select_option("#f-date-month", "3")
    page.fill("#f-place", "Berlin")
    page.select_option("#f-mode", "in_person")
    page.click("#add-action_items")
    page.fill("#f-action_items-0-description", "Exchange young researchers")
    page.fill("#f-action_items-0-owner", "MOFA")
    page.click("#add-action_items")
    # What was typed before the row was added is still there.
    expect(page.locator("#f-place")).to_have_value("Berlin")
    expect(page.locator("#f-action_items-0-description")).to_have_value(
        "Exchange young researchers"
    )
    page.fill("#f-action_items-1-description", "Joint call on hydrogen")
    page.fill("#f-action_items-1-due-year", "2026")
    page.select_option("#f-action_items-1-status", "in_progress")
    _shoot(page, artefacts, "meeting")
    page.click("#save")
    expect(page).to_have_url(f"{server}/records/meetings/jc-deu-25")
    fields = page.locator("#fields")
    expect(fields).to_contain_text("2025-03")
    expect(fields).to_contain_text('"description": "Exchange young researchers"')
    expect(fields).to_contain_text('"description": "Joint call on hydrogen"')
    expect(fields).to_contain_text('"due": "2026"')
    # The agreement's page lists it under its committee.
    page.goto(f"{server}/agreements/jpn-deu-1974")
    expect(page.locator("main")).to_contain_text("2025-03: meeting 25, Berlin (in person)")


def test_an_entry_into_force_changes_the_dashboard(
    server: str, page: Page, artefacts: Path
) -> None:
    _log_in(page, server, "/?as_of=2022-12-31")
    coverage = page.locator("#coverage")
    expect(coverage).to_contain_text("JPN: 7 agreements, in force with 21 countries and the EU")

    page.goto(f"{server}/records/agreements/new")
    page.fill("#f-key", "jpn-bel-2022")
    page.fill("#f-title", "Agreement on Cooperation in Science and Technology (Japan-Belgium)")
    page.select_option("#f-kind", "agreement")
    for i, party in enumerate(["JPN", "BEL"]):
        page.click("#add-actions")
        page.select_option(f"#f-actions-{i}-kind", "signature")
        page.fill(f"#f-actions-{i}-party", party)
        page.fill(f"#f-actions-{i}-taken-year", "2022")
        page.select_option(f"#f-actions-{i}-taken-month", "5")
        page.fill(f"#f-actions-{i}-taken-day", "10")
    _shoot(page, artefacts, "agreement")
    page.click("#save")
    expect(page).to_have_url(f"{server}/records/agreements/jpn-bel-2022")

    page.goto(f"{server}/agreements/jpn-bel-2022")
    _shoot(page, artefacts, "agreement-page")
    page.click("#work >> text=entry into force")
    expect(page.locator("h1")).to_have_text("Add an action to agreement jpn-bel-2022")
    expect(page.locator("#f-kind")).to_have_value("entry_into_force")
    page.fill("#f-effective-year", "2022")
    page.select_option("#f-effective-month", "6")
    page.fill("#f-effective-day", "1")
    _shoot(page, artefacts, "add-action")
    page.click("#save")
    expect(page).to_have_url(f"{server}/records/agreements/jpn-bel-2022")

    page.goto(f"{server}/?as_of=2022-12-31")
    expect(coverage).to_contain_text("JPN: 8 agreements, in force with 22 countries and the EU")
    page.goto(f"{server}/?as_of=2022-05-31")  # before it entered into force
    expect(coverage).not_to_contain_text("22 countries")


def test_a_recommendation_and_its_follow_up(server: str, page: Page, artefacts: Path) -> None:
    _log_in(page, server, "/bodies/advisory-board")
    _shoot(page, artefacts, "body-page")
    page.click("#new-recommendation")
    expect(page.locator("#f-kind")).to_have_value("recommendation")
    expect(page.locator("#f-issuer")).to_have_value("advisory-board")
    page.fill("#f-key", "recommendation-2025-05")
    page.fill("#f-title", "Recommendation on research security")
    page.fill("#f-date-year", "2025")
    page.select_option("#f-date-month", "5")
    page.click("#add-authors")
    # The picker offers persons by their Japanese name as one types.
    page.fill("#f-authors-0", "小谷")
    expect(page.locator("#dl-f-authors-0 option")).to_have_count(1)
    expect(page.locator("#dl-f-authors-0 option")).to_have_attribute("value", "kotani-motoko")
    page.fill("#f-authors-0", "kotani-motoko")
    page.fill("#f-addressee_post", "foreign-minister")
    _shoot(page, artefacts, "recommendation")
    page.click("#save")
    expect(page).to_have_url(f"{server}/records/documents/recommendation-2025-05")

    page.goto(f"{server}/bodies/advisory-board")
    card = page.locator(".card", has_text="Recommendation on research security")
    card.locator(".add-follow-up").click()
    page.fill("#f-date-year", "2025")
    page.select_option("#f-date-month", "6")
    page.select_option("#f-status", "acknowledged")
    page.fill("#f-note", "Acknowledged by the Minister")
    _shoot(page, artefacts, "follow-up")
    page.click("#save")
    # The save's redirect first: going on at once could cancel the form's POST under load.
    expect(page).to_have_url(f"{server}/records/documents/recommendation-2025-05")
    page.goto(f"{server}/bodies/advisory-board")
    expect(card).to_contain_text("2025-06: acknowledged — Acknowledged by the Minister")


def test_a_refused_form_keeps_what_was_typed_and_changes_nothing(
    server: str, page: Page, artefacts: Path
) -> None:
    _log_in(page, server, "/engagements")
    page.click("#new-engagement")
    page.fill("#f-key", "visit-2025-berlin")
    page.select_option("#f-kind", "visit")
    page.fill("#f-title", "Visit to Berlin")
    page.select_option("#f-date-month", "2")  # a month but no year
    page.click("#add-topics")
    page.fill("#f-topics-0", "hydrogen")
    page.click("#save")
    summary = page.locator("#problems")
    expect(summary).to_contain_text("Nothing was saved.")
    expect(page.locator("#e-date")).to_have_text("Give the year as four digits, e.g. 2022.")
    year = page.locator("#f-date-year")
    expect(year).to_have_attribute("aria-invalid", "true")
    expect(year).to_have_attribute("aria-describedby", "h-date e-date")
    expect(year).to_be_focused()
    for selector, value in [
        ("#f-key", "visit-2025-berlin"),
        ("#f-title", "Visit to Berlin"),
        ("#f-topics-0", "hydrogen"),
        ("#f-date-month", "2"),
    ]:
        expect(page.locator(selector)).to_have_value(value)
    _shoot(page, artefacts, "refused")
    response = page.goto(f"{server}/records/engagements/visit-2025-berlin")
    assert response is not None and response.status == 404


def test_a_public_editor_is_offered_nothing_hidden(
    server: str, page: Page, artefacts: Path, empty_database_url: str
) -> None:
    engine = make_engine(empty_database_url)
    with make_sessionmaker(engine)() as s, s.begin():
        add_user(s, "pat", "password-of-pat", Role.editor, Sensitivity.public)
        kotani = record.get(s, PERSON, "kotani-motoko")
        kotani.sensitivity = Sensitivity.restricted
    engine.dispose()
    _log_in(page, server, "/records/engagements/new", user="pat")
    page.click("#add-participants")
    picker = page.locator("#f-participants-0")
    options = page.locator("#dl-f-participants-0 option")
    picker.fill("MATSU")  # a visible person is offered...
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "matsumoto-yoichiro")
    picker.fill("KOTANI")  # ...a hidden one is not, by either name
    expect(options).to_have_count(0)
    picker.fill("小谷")
    expect(options).to_have_count(0)
    # Typing the key anyway, in a second row, is refused as for a key that does not exist,
    # beside that row: its input marked invalid, described by the message, focused.
    picker.fill("matsumoto-yoichiro")
    page.click("#add-participants")
    page.locator("#f-participants-1").fill("kotani-motoko")
    page.fill("#f-key", "visit-x")
    page.select_option("#f-kind", "visit")  # a required choice starts unchosen
    page.fill("#f-title", "A visit")
    page.click("#save")
    message = page.locator("#field-participants-1 #e-participants-1")
    expect(message).to_have_text("No person with key 'kotani-motoko'.")
    row = page.locator("#f-participants-1")
    expect(row).to_have_attribute("aria-invalid", "true")
    expect(row).to_have_attribute("aria-describedby", "h-participants e-participants-1")
    expect(row).to_be_focused()
    expect(page.locator("#e-participants")).to_have_count(0)  # nothing above the list
    expect(page.locator("#f-participants-0")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-participants-0")).to_have_value("matsumoto-yoichiro")
    expect(page.locator("#problems a[href='#field-participants-1']")).to_have_text("Participant 2")
    _shoot(page, artefacts, "hidden")


def test_a_stale_edit_is_refused_and_end_and_delete_ask_first(
    server: str, page: Page, artefacts: Path, empty_database_url: str
) -> None:
    _log_in(page, server, "/records/persons/kishi-teruo/edit")
    # Someone else saves the person while the form is open.
    engine = make_engine(empty_database_url)
    with make_sessionmaker(engine)() as s, s.begin():
        found = record.get(s, PERSON, "kishi-teruo")
        data = record.snapshot(s, PERSON, found).model_copy(update={"note": "Theirs"})
        record.update(s, PERSON, "kishi-teruo", data, found.version, "someone-else")
    engine.dispose()
    page.fill("#f-note", "Mine")
    page.click("#save")
    expect(page.locator("#conflict")).to_contain_text(
        "Someone else saved this record after you opened it"
    )
    expect(page.locator("#f-note")).to_have_value("Mine")
    _shoot(page, artefacts, "conflict")
    page.goto(f"{server}/records/persons/kishi-teruo")
    expect(page.locator("#fields")).to_contain_text("Theirs")

    page.goto(f"{server}/records/appointments/matsumoto-advisor")
    page.click("#end-link")
    page.fill("#f-on-year", "2031")
    page.select_option("#f-on-month", "4")
    _shoot(page, artefacts, "end")
    page.click("#confirm")
    expect(page).to_have_url(f"{server}/records/appointments/matsumoto-advisor")
    expect(page.locator("#fields")).to_contain_text("2031-04")

    page.goto(f"{server}/records/meetings/jc-deu-23")
    page.click("#delete-link")
    expect(page.locator("h1")).to_have_text("Delete committee meeting jc-deu-23?")
    _shoot(page, artefacts, "delete")
    page.click("#confirm")
    expect(page.locator("h1")).to_have_text("Deleted committee meeting jc-deu-23")
    response = page.goto(f"{server}/records/meetings/jc-deu-23")
    assert response is not None and response.status == 404


def test_a_late_answer_to_older_text_does_not_replace_the_pickers_offer(
    server: str, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load the lookup for "小谷" may answer after the one for the text typed next: the
    picker keeps offering what matches the text in the box."""
    real = writes.lookup

    def slow_for_kotani(*args: Any, **kwargs: Any) -> Any:
        if "小谷" in args:
            time.sleep(2.0)
        return real(*args, **kwargs)

    _log_in(page, server, "/records/engagements/new")
    monkeypatch.setattr(writes, "lookup", slow_for_kotani)
    page.click("#add-participants")
    picker = page.locator("#f-participants-0")
    options = page.locator("#dl-f-participants-0 option")
    picker.fill("小谷")
    page.wait_for_timeout(400)  # its lookup is sent (and answers two seconds later)
    picker.fill("MATSU")
    expect(options).to_have_attribute("value", "matsumoto-yoichiro")
    page.wait_for_timeout(2500)  # the answer for 小谷 has come back by now
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("value", "matsumoto-yoichiro")
