"""Report downloads, built for the reader's clearance."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.agreement.service import AGREEMENT


def test_country_brief_and_annual_chapter_download(editor: TestClient) -> None:
    brief = editor.get("/api/v1/reports/country/KAZ", params={"as_of": "2022-12-31"})
    assert brief.status_code == 200
    assert brief.headers["content-type"] == "text/markdown; charset=utf-8"
    assert brief.headers["content-disposition"] == 'attachment; filename="country-KAZ.md"'
    assert "Kazakhstan" in brief.text
    html = editor.get("/api/v1/reports/annual", params={"year": 2022, "format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.text.lstrip().lower().startswith("<!doctype html")
    assert editor.get("/api/v1/reports/reconcile").status_code == 200


def test_reports_leave_out_what_the_reader_may_not_see(as_user, db: Session) -> None:  # type: ignore[no-untyped-def]
    found = record.get(db, AGREEMENT, "jpn-usa-1988")
    data = record.snapshot(db, AGREEMENT, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(db, AGREEMENT, "jpn-usa-1988", data, found.version, "test")
    public = as_user(Role.viewer, Sensitivity.public)
    cleared = as_user(Role.viewer, Sensitivity.restricted)
    params = {"as_of": "2022-12-31"}
    shown = cleared.get("/api/v1/reports/country/USA", params=params).text
    hidden = public.get("/api/v1/reports/country/USA", params=params).text
    assert "Research and Development" in shown
    assert "Research and Development" not in hidden
