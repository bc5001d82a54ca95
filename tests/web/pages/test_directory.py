"""The index pages a reader starts from: agreements as of a date, people and bodies, reports;
and the header's sections."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity

from .test_pages import login
from .test_registry_pages import _text


def _statuses(html: str, title: str) -> list[tuple[str, str]]:
    """(code, class) of each counterparty in the row of the agreement titled ``title``."""
    row = next(r for r in html.split("<tr>") if f">{title}</a>" in r)
    found = re.findall(r'class="(\w+)" title="[^"]*">(\w+)<span class="mark"', row)
    return [(code, cls) for cls, code in found]


def _without_marks(html: str) -> str:
    """The page without the words and signs beside each counterparty (test_details.py)."""
    return re.sub(r'<span class="mark".*?</span><span class="sr-only">.*?</span>', "", html)


def test_agreements_page_lists_every_agreement_and_how_it_stands(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/agreements", params={"as_of": "2022-12-31"}).text
    assert "<strong>JPN: 7 agreements, in force with 21 countries and the EU.</strong>" in html
    # In force first, then by the first counterparty's name (USSR sorts before United States).
    assert _text(_without_marks(html), "agreements") == [
        "Counterparties Agreement Kind In force Fixed term ends",
        "CSHH , CZE , SVK Arrangement on Scientific and Technological Cooperation"
        " (Japan-Czechoslovakia) arrangement yes",
        "EU Agreement on Cooperation in Science and Technology (Japan-EU) agreement yes",
        "DEU Agreement on Cooperation in the Field of Science and Technology (Japan-Germany)"
        " agreement yes",
        "RUS Agreement on Cooperation in Science and Technology (Japan-Russia) agreement yes",
        "SUHH , RUS , KAZ , KGZ , UZB , ARM , GEO , BLR , MDA , TKM , TJK , UKR Agreement on"
        " Scientific and Technical Cooperation (Japan-USSR) agreement yes",
        "USA Agreement on Cooperation in Research and Development in Science and Technology"
        " (Japan-USA) agreement yes 2026-10-20",
        "YUCS , HRV , SVN , MKD , SRB , BIH , MNE Agreement on Cooperation in the Field of"
        " Science and Technology (Japan-Yugoslavia) agreement yes",
        "DDDE Arrangement on Scientific and Technological Cooperation (Japan-GDR) arrangement no",
    ]
    ussr = _statuses(html, "Agreement on Scientific and Technical Cooperation (Japan-USSR)")
    assert ussr[:3] == [("SUHH", "no"), ("RUS", "no"), ("KAZ", "yes")]
    assert 'title="Russia: supersession by jpn-rus-2000">RUS<span class="mark"' in html

    before = client.get("/agreements", params={"as_of": "1980-01-01"}).text
    assert "<strong>JPN: 4 agreements, in force with 4 countries.</strong>" in before
    assert [row.split(" ")[0] + " " + row.split(" ")[-1] for row in _text(before, "agreements")][
        1:
    ] == [
        "CSHH yes",
        "DDDE yes",
        "DEU yes",
        "SUHH yes",
        "EU no",
        "RUS no",
        "USA 2026-10-20",  # not in force in 1980: its in-force cell is "no", then the term
        "YUCS no",
    ]
    assert _statuses(before, "Agreement on Scientific and Technical Cooperation (Japan-USSR)")[
        :3
    ] == [("SUHH", "yes"), ("RUS", "no"), ("KAZ", "no")]


def test_people_page_gives_posts_bodies_and_people_on_the_date(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/people", params={"as_of": "2022-12-31"}).text
    assert _text(html, "posts") == [
        "Post Held on 2022-12-31 by",
        "Minister for Foreign Affairs HAYASHI Yoshimasa",
        "Science and Technology Advisor to the Minister for Foreign Affairs MATSUMOTO Yoichiro",
    ]
    assert _text(html, "bodies") == [
        "Body Kind Members on 2022-12-31",
        "Advisory Board for Promoting Science and Technology Diplomacy advisory board"
        " 2 recorded (20 reported)",
        "Science and Technology Diplomacy Advisory Network network 0 recorded",
    ]
    assert _text(html, "organisations") == [
        "European Commission Directorate-General for Research and Innovation agency",
        "Ministry of Foreign Affairs of Japan ministry · 外務省",
        "Tohoku University university",
        "University of Tokyo university",
    ]
    assert _text(html, "persons") == [
        "Name Other names Posts and memberships",
        "HAYASHI Yoshimasa Minister for Foreign Affairs 2021-11-10–2023-09-13",
        "KISHI Teruo 岸輝雄 Science and Technology Advisor to the Minister for Foreign Affairs"
        " 2015-09–2020-04",
        "KOTANI Motoko 小谷元子 vice-chair, Advisory Board for Promoting Science and Technology"
        " Diplomacy 2022-04–",
        "MATSUMOTO Yoichiro 松本洋一郎 Science and Technology Advisor to the Minister for Foreign"
        " Affairs 2020-04– chair, Advisory Board for Promoting Science and Technology Diplomacy"
        " member, University of Tokyo",
    ]
    earlier = client.get("/people", params={"as_of": "2019-01-01"}).text
    assert _text(earlier, "posts")[1:] == [
        "Minister for Foreign Affairs nobody recorded",
        "Science and Technology Advisor to the Minister for Foreign Affairs KISHI Teruo",
    ]
    assert _text(earlier, "bodies")[1].endswith("advisory board 1 recorded (20 reported)")


def test_reports_page_offers_each_report_and_the_brief_downloads(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    html = client.get("/reports", params={"as_of": "2022-12-31"}).text
    assert 'name="year" value="2022"' in html  # 2022 is over on its last day
    assert 'name="year" value="2021"' in client.get("/reports?as_of=2022-12-30").text
    select = html[html.index('id="country-code"') :].split("</select>")[0]
    partners = re.findall(r'<option value="(\w+)">', select)
    assert partners[:3] == ["ARM", "AZE", "BLR"] and "KAZ" in partners and "JPN" not in partners
    assert len(partners) == 28
    for form in ("annual-report", "country-report", "reconcile-report"):
        assert re.search(rf'hx-boost="false" class="filter" id="{form}"', html), form

    redirect = client.get(
        "/reports/country", params={"code": "kaz", "as_of": "2022-12-31", "format": "md"}
    )
    assert (redirect.status_code, redirect.headers["location"]) == (
        303,
        "/api/v1/reports/country/KAZ?format=md&as_of=2022-12-31",
    )
    brief = client.get(redirect.headers["location"])  # the session cookie is enough
    assert brief.headers["content-disposition"] == 'attachment; filename="country-KAZ.md"'
    assert brief.text.split("\n\n")[1].startswith("# Kazakhstan")  # after the marking
    assert client.get("/reports/country", params={"code": "../x"}).status_code == 422


def test_the_header_names_every_section_and_marks_the_current_one(
    app: FastAPI, db: Session
) -> None:
    viewer = login(app, db, Role.viewer, Sensitivity.restricted)
    html = viewer.get("/agreements", params={"as_of": "2022-12-31"}).text
    nav = html[html.index("<nav>") : html.index("</nav>")]
    assert re.findall(r'<a href="([^"?]+)\?as_of=2022-12-31"', nav) == [
        "/",
        "/",
        "/map",
        "/agreements",
        "/people",
        "/engagements",
        "/calendar",
        "/lists",
        "/economic-security",
        "/capability",
        "/reports",
    ]
    assert re.findall(r'<a href="([^"?]+)[^"]*" aria-current="page">', nav) == ["/agreements"]
    assert 'id="as_of" name="as_of" value="2022-12-31"' in html
