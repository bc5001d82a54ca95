"""Pages of single records instead of raw JSON: a person over time, a joint committee with its
meetings, a source and what cites it, an engagement, a document and its follow-up; each 404 for
a reader the record is hidden from, and the raw record linked for admins only."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.committee.service import MEETING
from scidip.registry.concepts import BY_NAME
from scidip.registry.document.service import DOCUMENT

from .test_pages import login


def _text(html: str, element_id: str) -> list[str]:
    """The text of each row or item of the element with ``element_id``."""
    part = html.split(f'id="{element_id}"')[1].split("</table>")[0].split("</ol>")[0]
    items = re.findall(r"<(?:tr|li)>(.*?)</(?:tr|li)>", part, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", i).split()) for i in items]


def test_a_person_over_time(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/persons/matsumoto-yoichiro", params={"as_of": "2022-12-31"}).text
    assert "<h1>MATSUMOTO Yoichiro</h1>" in page
    assert _text(page, "person-posts")[1:] == [
        "Science and Technology Advisor to the Minister for Foreign Affairs 2020-04 in office"
    ]
    assert _text(page, "person-timeline") == [
        "2020-04 Took up the post of Science and Technology Advisor to the Minister for Foreign "
        "Affairs",
        "2022-06 Visit to the United States for discussions on STI policy and S&amp;T diplomacy",
        "2022-06 Recommendation: Recommendation on strengthening the foundation of Japan&#39;s "
        "S&amp;T capabilities",
        "undated Chair of Advisory Board for Promoting Science and Technology Diplomacy "
        "(start not recorded)",
        "undated Member of University of Tokyo (start not recorded)",
    ]
    assert "raw record" not in page


def test_a_committee_with_its_meetings_outcomes_and_action_items(app: FastAPI, db: Session) -> None:
    found = record.get(db, MEETING, "jc-deu-24")
    data = record.snapshot(db, MEETING, found).model_copy(
        update={"outcomes": "Agreed to renew the quantum call"}
    )
    record.update(db, MEETING, "jc-deu-24", data, found.version, "test")
    client = login(app, db, Role.admin, Sensitivity.restricted)
    page = client.get("/committees/jc-deu", params={"as_of": "2022-12-31"}).text
    assert "Meets every 24 months." in page
    assert "Last meeting by 2022-12-31: 2021-03 (meeting 23)." in page
    assert "<strong>not overdue</strong> — next due 2023-03." in page
    meeting = page.split('id="meeting-jc-deu-24"')[1].split('id="meeting-')[0]
    assert "<h3>2023-02 · meeting 24 · Tokyo <span" in meeting
    assert "<strong>Outcomes:</strong> Agreed to renew the quantum call" in meeting
    assert (
        "<strong>Delegations:</strong> Japan, led by Head of the Japanese delegation; Germany"
        in meeting
    )
    assert (
        "<td>Exchange lists of joint projects</td><td>both secretariats</td><td>2023-06</td>"
        '<td><span class="status status-done">done</span></td>' in meeting
    )
    assert (
        '<a href="/records/committees/jc-deu?as_of=2022-12-31" class="raw-record">raw record</a>'
        in page
    )
    # Where the work happens: the next meeting's form, its number and key filled in.
    assert (
        '<a class="add-meeting" id="add-meeting" href="/records/meetings/new?committee=jc-deu'
        '&amp;number=25&amp;key=jc-deu-25">Add meeting 25</a>' in page
    )
    assert '<a href="/records/new?as_of=' in page  # "New record" in the header
    viewer = login(app, db, Role.viewer, Sensitivity.restricted, name="vic")
    seen = viewer.get("/committees/jc-deu", params={"as_of": "2022-12-31"}).text
    assert "add-meeting" not in seen and "/records/new?" not in seen


def test_a_source_and_what_cites_it(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/sources/bluebook-2023").text
    assert "Ministry of Foreign Affairs of Japan, 2023" in page
    assert _text(page, "cited-by") == [
        "Record Kind Where in the source",
        "Advisory Board for Promoting Science and Technology Diplomacy organisations",
        "Agreement on Scientific and Technical Cooperation (Japan-USSR) agreements footnote",
    ]
    # What a reader may not see is not listed as citing it.
    agreements = BY_NAME["agreements"]
    found = record.get(db, agreements, "jpn-ussr-1973")
    data = record.snapshot(db, agreements, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(db, agreements, "jpn-ussr-1973", data, found.version, "test")
    public = login(app, db, Role.viewer, Sensitivity.public, name="pat")
    assert _text(public.get("/sources/bluebook-2023").text, "cited-by")[1:] == [
        "Advisory Board for Promoting Science and Technology Diplomacy organisations"
    ]


def test_a_document_names_its_addressee_post_and_its_follow_up(app: FastAPI, db: Session) -> None:
    found = record.get(db, DOCUMENT, "recommendation-2022-06")
    stored = record.snapshot(db, DOCUMENT, found).model_dump(mode="json")
    stored["follow_ups"] = [
        {"date": "2023-03", "status": "under_consideration", "note": "Discussed"},
        {"date": "2022-06", "status": "submitted"},
    ]
    data = DOCUMENT.schema.model_validate(stored)
    record.update(db, DOCUMENT, "recommendation-2022-06", data, found.version, "test")
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/documents/recommendation-2022-06", params={"as_of": "2022-12-31"}).text
    assert _text(page, "follow-ups") == [
        "2022-06 submitted",
        "2023-03 under consideration — Discussed",
    ]
    addressee = page.split('id="addressee">')[1].split("</td>")[0]
    assert re.sub(r"<[^>]+>", "", addressee) == "HAYASHI Yoshimasa, Minister for Foreign Affairs"
    assert '<span class="status status-submitted">submitted</span>' in page


@pytest.mark.parametrize(
    "url",
    [
        "/persons/kishi-teruo",
        "/engagements/visit-kotani-brussels-2022-07",
        "/documents/recommendation-2022-06",
        "/committees/jc-deu",
        "/sources/fixture",
    ],
)
def test_a_public_viewer_gets_404_for_a_restricted_record(
    app: FastAPI, db: Session, url: str
) -> None:
    concept_name, key = url.strip("/").split("/")
    concept = BY_NAME[concept_name]
    found = record.get(db, concept, key)
    data = record.snapshot(db, concept, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(db, concept, key, data, found.version, "test")
    public = login(app, db, Role.viewer, Sensitivity.public)
    response = public.get(url)
    assert response.status_code == 404
    assert key in response.text  # "no ... with key ...": the key the reader typed, nothing more
