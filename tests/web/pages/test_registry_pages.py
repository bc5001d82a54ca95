"""Search, agreement, post, body and engagements pages, as of a date and within the clearance."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity

from .test_pages import login


def _text(html: str, element_id: str) -> list[str]:
    """The rows of a table (or items of a list) with id ``element_id``, tags stripped."""
    block = re.search(rf'id="{element_id}">(.*?)</(table|ul)>', html, re.S)
    assert block is not None, element_id
    rows = re.findall(r"<(?:tr|li)[^>]*>(.*?)</(?:tr|li)>", block.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_search_finds_japanese_aliases_within_the_clearance(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/search", params={"q": "松本"}).text
    assert "People (1)" in html and "MATSUMOTO Yoichiro" in html
    assert "外務省" in client.get("/search", params={"q": "外務省"}).text
    assert "Nothing found" in client.get("/search", params={"q": "zzz"}).text


def test_search_finds_a_country_by_its_name(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/search", params={"q": "kazakh"}).text
    assert "Countries and international organisations (1)" in html
    assert '<a href="/countries/KAZ?as_of=' in html and "Kazakhstan (KAZ)</a>" in html


def test_agreement_page_has_parties_timeline_and_meetings(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/agreements/jpn-usa-1988").text
    assert _text(html, "timeline") == [
        "Date Action Party Note",
        "1988-06-20 signature JPN",
        "1988-06-20 signature USA",
        "1988-06-20 entry into force (until 1993-06-20) all",
        "2014-07-20 extension (until 2024-07-20) all",
        "2024-07-20 extension (until 2026-01-20) all",
        "2026-01-20 extension (until 2026-10-20) all",
    ]
    deu = client.get("/agreements/jpn-deu-1974").text
    assert '2021-03: <a href="/committees/jc-deu?as_of=' in deu
    assert re.sub(r"<[^>]+>", "", deu).count("2021-03: meeting 23 (online)") == 1
    assert "2023-02: meeting 24, Tokyo (in person): quantum technology, AI" in re.sub(
        r"<[^>]+>", "", deu
    )


def test_post_body_and_engagements_pages(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    assert _text(client.get("/posts/mofa-st-advisor").text, "holders") == [
        "Person From Until (exclusive)",
        "KISHI Teruo 2015-09 2020-04",
        "MATSUMOTO Yoichiro 2020-04 in office",
    ]
    body = client.get("/bodies/advisory-board", params={"as_of": "2022-12-31"}).text
    assert _text(body, "members") == [
        "Person Role Title Since Certain",
        "MATSUMOTO Yoichiro chair yes",
        "KOTANI Motoko vice-chair 2022-04 yes",
    ]
    assert "2022-06: submitted" in body
    assert 'to <a href="/persons/hayashi-yoshimasa?as_of=2022-12-31">HAYASHI Yoshimasa</a>' in body
    engagements = client.get("/engagements").text
    assert engagements.index("Visit to Brussels") < engagements.index("Visit to the United States")


def _map_classes(html: str) -> dict[str, str]:
    return {
        code: cls
        for cls, code in re.findall(
            r'<path class="country (\w+)" d="[^"]*" data-code="(\w+)"', html
        )
    }


def test_the_world_map_colours_partners_by_how_they_are_covered(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/map", params={"as_of": "2022-12-31"}).text
    classes = _map_classes(html)
    assert len(classes) == 174
    assert {c: classes[c] for c in ("JPN", "DEU", "USA", "RUS", "KAZ", "CZE", "FRA")} == {
        "JPN": "home",
        "DEU": "direct",
        "USA": "direct",
        "RUS": "direct",
        "KAZ": "succession",
        "CZE": "succession",
        "FRA": "none",
    }
    assert "<title>Kazakhstan (KAZ): covered only through succession</title>" in html
    before = _map_classes(client.get("/map", params={"as_of": "1980-01-01"}).text)
    assert (before["KAZ"], before["DEU"]) == ("none", "direct")


def test_the_calendar_places_day_dates_and_lists_month_dates(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    april = client.get("/calendar", params={"month": "2018-04"}).text
    assert "April 2018" in april
    assert re.search(
        r'<div class="muted">9</div><div><a href="/committees/jc-rus#meeting-jc-rus-13">'
        r"Japan-Russia Joint Committee on S&amp;T Cooperation, meeting 13</a></div>",
        april,
    )
    july = client.get("/calendar", params={"month": "2022-07"}).text
    assert _text(july, "month-only") == ["Visit to Brussels (2022-07)"]
    assert 'href="/calendar?month=2022-06' in july and 'href="/calendar?month=2022-08' in july


def test_record_page_shows_japanese_aliases_as_written(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/records/persons/kishi-teruo").text
    cell = html[html.index("<th>other_names</th>") :].split("</tr>")[0]
    assert cell == (
        "<th>other_names</th><td><code>[{&#34;lang&#34;: &#34;ja&#34;, &#34;name&#34;: "
        "&#34;岸輝雄&#34;, &#34;note&#34;: null}]</code></td>"
    )
