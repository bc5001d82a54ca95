"""Search by country and organisation names and aliases, person names in either order and in
Japanese; the header's type-ahead; nothing the reader may not see is suggested."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy.orm import Session

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.person.service import PERSON

from .test_pages import login


def _links(html: str) -> list[tuple[str, str]]:
    return [
        (href, re.sub(r"<[^>]+>", "", text))
        for href, text in re.findall(r'<a href="([^"?]+)[^"]*">(.*?)</a>', html)
    ]


def test_the_type_ahead_suggests_countries_and_people(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    kaz = client.get("/search/suggest", params={"q": "Kazakhstan", "as_of": "2022-12-31"}).text
    assert _links(kaz) == [
        ("/countries/KAZ", "Kazakhstan (KAZ)"),
        ("/search", "All results for “Kazakhstan”"),
    ]
    assert 'href="/countries/KAZ?as_of=2022-12-31"' in kaz
    kotani = client.get("/search/suggest", params={"q": "小谷"}).text
    assert _links(kotani)[0] == ("/persons/kotani-motoko", "KOTANI Motoko")
    assert '<span class="muted">小谷元子</span>' in kotani
    reversed_name = client.get("/search/suggest", params={"q": "Yoichiro Matsumoto"}).text
    assert _links(reversed_name)[0] == ("/persons/matsumoto-yoichiro", "MATSUMOTO Yoichiro")
    assert "外務省" in client.get("/search/suggest", params={"q": "外務省"}).text
    assert client.get("/search/suggest", params={"q": "k"}).text.strip() == ""
    none = client.get("/search/suggest", params={"q": "Atlantis"}).text
    assert "Nothing named “Atlantis”." in none


def test_the_search_page_finds_by_name_in_either_order(app: FastAPI, db: Session) -> None:
    client = login(app, db, Role.viewer, Sensitivity.restricted)
    page = client.get("/search", params={"q": "motoko kotani"}).text
    assert ("/persons/kotani-motoko", "KOTANI Motoko") in _links(page)
    page = client.get("/search", params={"q": "Kazakhstan"}).text
    assert ("/countries/KAZ", "Kazakhstan (KAZ)") in _links(page)


def test_nothing_hidden_is_suggested(app: FastAPI, db: Session) -> None:
    found = record.get(db, PERSON, "kotani-motoko")
    data = record.snapshot(db, PERSON, found).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(db, PERSON, "kotani-motoko", data, found.version, "test")
    public = login(app, db, Role.viewer, Sensitivity.public)
    for url in ("/search/suggest", "/search"):
        for q in ("小谷", "Kotani"):
            text = public.get(url, params={"q": q}).text
            assert "kotani-motoko" not in text and "KOTANI" not in text, (url, q)
