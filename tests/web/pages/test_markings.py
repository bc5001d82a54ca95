"""Classification markings: the banner of an internal or restricted record on its page, and the
marking (the highest of the content, and the reader's clearance) heading and ending every report
in every format; the clearance a report is built for, chosen at or below the reader's own."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.person.service import PERSON

from .test_pages import login

VISIT = "visit-kotani-brussels-2022-07"
VISIT_TITLE = "Visit to Brussels"


def _mark(db: Session, concept, key: str, level: Sensitivity) -> None:  # type: ignore[no-untyped-def]
    found = record.get(db, concept, key)
    data = record.snapshot(db, concept, found).model_copy(update={"sensitivity": level})
    record.update(db, concept, key, data, found.version, "test")


def _line(marking: str, clearance: str) -> str:
    return (
        f"Classification: {marking} (the highest marking of the content) · prepared for a reader "
        f"cleared for {clearance}"
    )


def test_restricted_and_internal_records_carry_a_banner(app: FastAPI, db: Session) -> None:
    _mark(db, ENGAGEMENT, VISIT, Sensitivity.restricted)
    _mark(db, PERSON, "kishi-teruo", Sensitivity.internal)
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get(f"/records/engagements/{VISIT}").text
    assert (
        '<p class="marking marking-restricted" id="marking" role="note"><strong>RESTRICTED' in page
    )
    person = client.get("/records/persons/kishi-teruo").text
    assert "<strong>INTERNAL</strong> — internal record" in person
    public = client.get("/records/persons/matsumoto-yoichiro").text
    assert 'id="marking"' not in public


def test_a_public_viewer_gets_404_for_a_restricted_record(app: FastAPI, db: Session) -> None:
    _mark(db, ENGAGEMENT, VISIT, Sensitivity.restricted)
    client = login(app, db, Role.viewer, Sensitivity.public)
    response = client.get(f"/records/engagements/{VISIT}")
    assert response.status_code == 404
    assert VISIT_TITLE not in response.text


def _pdf_words(pdf: bytes) -> list[str]:
    pages = [p.get_textpage().get_text_range() for p in pdfium.PdfDocument(pdf)]
    return [" ".join(p.replace("-\r\n", "").split()) for p in pages]


def test_reports_state_the_marking_and_clearance_in_every_format(as_user, db: Session) -> None:  # type: ignore[no-untyped-def]
    _mark(db, ENGAGEMENT, VISIT, Sensitivity.restricted)
    admin = as_user(Role.admin, Sensitivity.restricted)
    url, year = "/api/v1/reports/annual", {"year": 2022}
    md = admin.get(url, params={**year, "format": "md"}).text
    full = _line("RESTRICTED", "RESTRICTED")
    assert md.startswith(f"**{full}**\n\n# Science and Technology Diplomacy in 2022\n")
    assert md.endswith(f"\n\n**{full}**\n")
    assert VISIT_TITLE in md
    # The admin builds it for a public reader: the API honours the lower clearance.
    public_md = admin.get(url, params={**year, "format": "md", "clearance": "public"}).text
    assert public_md.startswith(f"**{_line('PUBLIC', 'PUBLIC')}**\n")
    assert VISIT_TITLE not in public_md
    html = admin.get(url, params={**year, "format": "html", "clearance": "internal"}).text
    line = _line("PUBLIC", "INTERNAL")
    assert f'<p class="marking" id="marking-top">{line}</p>' in html
    assert f'<p class="marking" id="marking-bottom">{line}</p>' in html
    assert VISIT_TITLE not in html
    pdf = admin.get(url, params={**year, "format": "pdf"}).content
    pages = _pdf_words(pdf)
    assert len(pages) == 2
    for words in pages:  # the header and the footer of every page
        assert words.count(full) == 2, words[:300]


def test_a_reader_may_not_choose_a_clearance_above_their_own(as_user) -> None:  # type: ignore[no-untyped-def]
    viewer = as_user(Role.viewer, Sensitivity.internal)
    for url in ["/api/v1/reports/reconcile", "/api/v1/reports/country/KAZ"]:
        refused = viewer.get(url, params={"clearance": "restricted"})
        assert refused.status_code == 403
        assert "may not build a report for clearance restricted" in refused.json()["detail"]
        assert viewer.get(url, params={"clearance": "public"}).status_code == 200


@pytest.mark.parametrize(
    ("clearance", "offered"),
    [
        (Sensitivity.public, ["public"]),
        (Sensitivity.restricted, ["public", "internal", "restricted"]),
    ],
)
def test_the_reports_page_offers_clearances_up_to_the_readers(
    app: FastAPI, db: Session, clearance: Sensitivity, offered: list[str]
) -> None:
    client = login(app, db, Role.viewer, clearance)
    page = client.get("/reports").text
    select = page.split('id="annual-clearance"')[1].split("</select>")[0]
    assert [o.split('"')[1] for o in select.split("<option value=")[1:]] == offered
    assert f'<option value="{offered[-1]}" selected>' in select
    go = client.get("/reports/country", params={"code": "kaz", "clearance": "public"})
    assert go.headers["location"] == "/api/v1/reports/country/KAZ?format=pdf&clearance=public"
