"""Lists like Datasette's: sort, filter, facets, pages and exports of exactly what is shown;
the audit log with paging and filters; a public reader sees nothing restricted in any of them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.party.service import PARTY
from scidip.web.pages import lists

from .test_pages import login


def _table(html: str) -> list[list[str]]:
    """The list's rows as the page shows them (cell text, tags taken out)."""
    body = html.split('<table class="list" id="list-table">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).replace("&amp;", "&")
            for cell in re.findall(r"<td>(.*?)</td>", r, re.S)
        ]
        for r in rows
    ]


def _csv_link(html: str) -> str:
    found = re.search(r'<a href="([^"]+)" hx-boost="false" id="export-csv"', html)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


def test_the_engagements_list_sorts_filters_and_exports_what_it_shows(
    app: FastAPI, db: Session
) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    newest = client.get("/engagements").text  # newest first by default
    assert [r[0] for r in _table(newest)] == [
        "board-2022-08",
        "visit-kotani-brussels-2022-07",
        "visit-matsumoto-usa-2022-06",
        "board-2022-03",
    ]
    assert (
        '<th scope="col" aria-sort="descending"><a href="?_sort=date" title="sort by date">date ▼'
        in newest
    )
    page = client.get("/engagements", params={"kind": "visit", "_sort": "title"}).text
    shown = _table(page)
    assert shown == [
        [
            "visit-kotani-brussels-2022-07",
            "2022-07",
            "Visit to Brussels",
            "visit",
            "EU",
            "",
            "public",
        ],
        [
            "visit-matsumoto-usa-2022-06",
            "2022-06",
            "Visit to the United States for discussions on STI policy and S&T diplomacy",
            "visit",
            "USA",
            "",
            "public",
        ],
    ]
    assert 'id="list-count">2 rows</span>' in page
    assert _csv_link(page) == "/lists/engagements.csv?kind=visit&_sort=title"
    exported = client.get(_csv_link(page))
    assert exported.headers["content-disposition"] == 'attachment; filename="engagements.csv"'
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["key", "date", "title", "kind", "counterpart_parties", "host", "sensitivity"]
    assert rows[1:] == shown
    as_json = client.get(_csv_link(page).replace(".csv", ".json")).json()
    assert [list(r.values()) for r in as_json] == shown
    # Facets count what the filters leave, and link to a narrower list.
    assert re.search(
        r'id="facet-counterpart_parties">.*?>European Union</a> <span class="muted">1<', page, re.S
    )
    assert client.get("/engagements", params={"year": "2021"}).text.count("Nothing matches.") == 1


def test_bad_list_parameters_are_refused_by_name(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    wrong = client.get("/lists/engagements", params={"_sort": "places"})
    assert wrong.status_code == 422 and "cannot be sorted on &#39;places&#39;" in wrong.text
    assert client.get("/lists/engagements", params={"colour": "red"}).status_code == 422
    assert client.get("/lists/engagements", params={"_page": "0"}).status_code == 422
    assert client.get("/lists/nothing").status_code == 404


def test_a_public_reader_sees_nothing_restricted_in_lists_facets_or_exports(
    app: FastAPI, db: Session
) -> None:
    for concept, key in ((PARTY, "USA"), (ENGAGEMENT, "visit-kotani-brussels-2022-07")):
        found = record.get(db, concept, key)
        data = record.snapshot(db, concept, found).model_copy(
            update={"sensitivity": Sensitivity.restricted}
        )
        record.update(db, concept, key, data, found.version, "test")
    client = login(app, db, Role.viewer, Sensitivity.public)
    for url in [
        "/engagements",
        "/lists/engagements",
        "/lists/parties",
        "/lists/engagements.csv",
        "/lists/engagements.json",
        "/lists/parties.csv",
    ]:
        text = client.get(url).text
        # (the other visit's title names the United States: its party is what is hidden)
        for secret in (">United States<", "USA", "Brussels", "restricted"):
            assert secret not in text, (url, secret)
    page = client.get("/engagements").text
    assert 'id="list-count">3 rows</span>' in page
    assert re.search(r'id="facet-sensitivity">.*?>public</a> <span class="muted">3<', page, re.S)


def test_the_audit_log_pages_and_filters(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch, as_user: Any
) -> None:
    for i in range(3):
        found = record.get(db, ENGAGEMENT, "board-2022-03")
        data = record.snapshot(db, ENGAGEMENT, found).model_copy(update={"outcome": f"Step {i}"})
        record.update(db, ENGAGEMENT, "board-2022-03", data, found.version, f"user{i}")
    db.execute(
        update(AuditEntry)
        .where(AuditEntry.actor == "user0")
        .values(at=datetime(2020, 5, 1, 12, tzinfo=UTC))
    )
    client = login(app, db, Role.admin, Sensitivity.restricted)
    everything = client.get("/audit", params={"table": "engagement", "key": "board-2022-03"})
    assert 'id="audit-count">4 changes, newest first.' in everything.text  # and its creation
    old = client.get("/audit", params={"since": "2020-05-01", "until": "2020-05-01"}).text
    assert 'id="audit-count">1 change, newest first.' in old and "user0" in old
    assert "user1" not in old
    recent = client.get("/audit", params={"actor": "user2"}).text
    assert "&#34;Step 1&#34; → &#34;Step 2&#34;" in recent  # before → after
    monkeypatch.setattr(lists, "AUDIT_PAGE", 3)
    second = client.get("/audit", params={"key": "board-2022-03", "page": "2"}).text
    assert 'id="audit-count">4 changes, newest first; 4–4 shown.' in second
    assert ">create</td><td>engagement board-2022-03<" in second
    assert '<a href="/audit?key=board-2022-03&amp;page=1" rel="prev">' in second
    assert client.get("/audit", params={"since": "2020-13-01"}).status_code == 422
    viewer = as_user(Role.viewer)
    assert viewer.get("/api/v1/audit").status_code == 403
