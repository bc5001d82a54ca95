"""Lists like Datasette's: sort, filter, facets, pages and exports of exactly what is shown;
the audit log with paging and filters; a public reader sees nothing restricted in any of them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.audit.models import AuditEntry
from scidip.registry.concepts import CONCEPTS
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.party.service import PARTY
from scidip.web.pages import lists, listview

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


def _cells(html: str) -> tuple[list[str], list[list[str]]]:
    """The list's column labels and rows as the page shows them (text, entities read)."""
    table = html.split('<table class="list" id="list-table">')[1].split("</table>")[0]
    head = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    labels = [unescape(re.sub(r"<[^>]+>|[▲▼]", "", h)).strip() for h in head]
    body = table.split("<tbody>")[1]
    rows = [
        [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        if 'class="muted">Nothing matches.' not in r
    ]
    return labels, rows


def _link(html: str, pattern: str) -> str | None:
    found = re.search(pattern, html, re.S)
    return None if found is None else unescape(found.group(1))


@pytest.mark.parametrize("name", [c.name for c in CONCEPTS])
def test_every_list_exports_exactly_what_it_shows(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Each list under a facet and a sort on its last sortable column, descending, read page by
    page (two rows a page): its CSV and JSON hold exactly those rows and columns, in order."""
    monkeypatch.setattr(listview, "PAGE_SIZE", 2)
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    url = f"/lists/{name}"
    html = client.get(url).text
    facet = _link(html, r'<div class="facet" id="facet-[^"]+"><strong>[^<]*</strong><ul>\s*'
                        r'<li><a href="\?([^"]+)"')  # fmt: skip
    if facet:  # the first value of the first facet
        html = client.get(f"{url}?{facet}").text
    sorting = r'<th scope="col"[^>]*><a href="\?([^"]+)" title="sort by ([^"]+)"'
    own = [c for _, c in re.findall(sorting, html) if c not in ("key", "sensitivity")]
    column = own[-1] if own else "sensitivity"  # the list's own last column, if sortable
    for _ in range(2):  # click it twice: descending
        html = client.get(
            f"{url}?{unescape(dict((c, h) for h, c in re.findall(sorting, html))[column])}"
        ).text
    assert re.search(rf'aria-sort="descending"><a [^>]*title="sort by {column}"', html)
    csv_link = _csv_link(html)
    labels, shown = _cells(html)
    while (following := _link(html, r'<a href="\?([^"]+)" rel="next"')) is not None:
        html = client.get(f"{url}?{following}").text
        assert _csv_link(html) == csv_link  # every page exports the same, all of them
        shown += _cells(html)[1]
    total = int(_link(html, r'id="list-count">(\d+) rows?<') or -1)
    assert len(shown) == total
    if name != "figures":  # the fixture dataset has no published figure
        assert total >= 1
    exported = client.get(csv_link)
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert [c.replace("_", " ") for c in rows[0]] == labels
    assert rows[1:] == shown
    as_json = client.get(csv_link.replace(".csv?", ".json?")).json()
    assert [[c.replace("_", " ") for c in r] for r in as_json] == [labels] * len(as_json)
    assert [list(r.values()) for r in as_json] == shown


def test_the_audit_log_exports_exactly_what_it_shows(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        found = record.get(db, ENGAGEMENT, "board-2022-03")
        data = record.snapshot(db, ENGAGEMENT, found).model_copy(update={"outcome": f"Step {i}"})
        record.update(db, ENGAGEMENT, "board-2022-03", data, found.version, f"user{i}")
    monkeypatch.setattr(lists, "AUDIT_PAGE", 2)
    client = login(app, db, Role.admin, Sensitivity.restricted)
    query = {"table": "engagement", "key": "board-2022-03"}
    html = client.get("/audit", params=query).text
    link = _link(html, r'<a href="([^"]+)" hx-boost="false" id="export-csv"')
    assert link == "/audit.csv?table=engagement&key=board-2022-03"
    shown: list[list[str]] = []
    for number in (1, 2):  # two pages of two
        html = client.get("/audit", params=query | {"page": str(number)}).text
        body = html.split('<table id="audit">')[1].split("</table>")[0]
        shown += [
            [unescape(re.sub(r"<[^>]+>", "", re.sub(r"</div>\s*<div>", "; ", c))).strip()
             for c in re.findall(r"<td>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
        ]  # fmt: skip
    assert [r[2] for r in shown] == ["update", "update", "update", "create"]
    assert shown[0][1:4] == ["user2", "update", "engagement board-2022-03"]
    assert shown[0][4] == 'outcome: "Step 1" → "Step 2"'
    exported = list(csv.reader(io.StringIO(client.get(link).text)))
    assert exported[0] == ["when", "who", "what", "record", "changed"]
    assert exported[1:] == shown
    as_json = client.get(link.replace(".csv", ".json")).json()
    assert [list(r.values()) for r in as_json] == shown
    # As the page, the exports are for admins only.
    editor = login(app, db, Role.editor, Sensitivity.restricted, name="ed")
    assert editor.get(link).status_code == editor.get("/audit").status_code == 403


def test_the_agreements_page_exports_what_it_shows(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/agreements", params={"as_of": "1995-06-30"}).text
    link = _link(html, r'<a href="([^"]+)" hx-boost="false" id="export-csv"')
    assert link == "/agreements.csv?as_of=1995-06-30"
    body = html.split('<table id="agreements">')[1].split("</table>")[0]
    shown = [
        [
            unescape(re.sub(r'<span class="mark"[^>]*>.*?</span>|<[^>]+>', "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)
        ]
        for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]
    ]
    keys = re.findall(r'<td><a href="/agreements/([^"?]+)\?', body)
    assert len(shown) == len(keys) == 8
    assert shown[1] == [
        "DEU (covered)",
        "Agreement on Cooperation in the Field of Science and Technology (Japan-Germany)",
        "agreement", "yes", "",
    ]  # fmt: skip
    assert shown[3][3:] == ["yes", "2026-10-20"]
    exported = list(csv.reader(io.StringIO(client.get(link).text)))
    assert exported[0] == ["key", "counterparties", "agreement", "kind", "in_force",
                           "fixed_term_ends"]  # fmt: skip
    assert exported[1:] == [[k, *row] for k, row in zip(keys, shown, strict=True)]
    as_json = client.get(link.replace(".csv", ".json")).json()
    assert [list(r.values()) for r in as_json] == exported[1:]
