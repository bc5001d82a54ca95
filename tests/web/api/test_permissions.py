"""The permission matrix: every role × clearance against reads, writes, lists, searches,
exports, queries, the audit log and the pages. Allowed, or 401/403/404 with nothing leaked.

The fixture dataset is loaded once for the module, with a few records made sensitive:
person kotani-motoko is internal; party KAZ, agreement jpn-eu-2009 and a visit known to the
day ("Secret visit") are restricted. Each test runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from scidip.auth.models import Role, User
from scidip.datasets.loader import load_dataset
from scidip.db.base import Sensitivity
from scidip.db.stamp import StampingSession
from scidip.registry import record
from scidip.registry.agreement.service import AGREEMENT
from scidip.registry.concepts import BY_NAME
from scidip.registry.engagement.schemas import EngagementCreate
from scidip.registry.engagement.service import ENGAGEMENT
from scidip.registry.party.service import PARTY
from scidip.registry.person.service import PERSON
from scidip.web import cookie
from scidip.web.cache import ReadCache
from scidip.web.sessions import open_page_session

from ..conftest import SECRET, SUCCESSION, build_app, client_for

PUBLIC, INTERNAL, RESTRICTED = Sensitivity.public, Sensitivity.internal, Sensitivity.restricted
COMBOS = [(r, c) for r in Role for c in Sensitivity]


def _mark(session: Session, concept: Any, key: str, sensitivity: Sensitivity) -> None:
    found = record.get(session, concept, key)
    data = record.snapshot(session, concept, found).model_copy(update={"sensitivity": sensitivity})
    record.update(session, concept, key, data, found.version, "test-setup")


@pytest.fixture(scope="module")
def world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over the marked dataset, and a client per role and clearance."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = StampingSession(bind=conn, join_transaction_mode="create_savepoint")
        load_dataset(session, SUCCESSION)
        _mark(session, PERSON, "kotani-motoko", INTERNAL)
        _mark(session, PARTY, "KAZ", RESTRICTED)
        _mark(session, AGREEMENT, "jpn-eu-2009", RESTRICTED)
        secret = EngagementCreate.model_validate(
            {
                "key": "secret-visit",
                "kind": "visit",
                "title": "Secret visit",
                "date": "2022-09-01",
                "sensitivity": "restricted",
                "counterpart_parties": ["KAZ"],
            }
        )
        record.create(session, ENGAGEMENT, secret, "test-setup")
        app = build_app(engine, session, tmp_path_factory.mktemp("web"))
        clients = {(r, c): client_for(app, session, r, c) for r, c in COMBOS}
        session.flush()
        yield app, session, clients
        session.close()
        outer.rollback()


@pytest.fixture
def each(world: Any) -> Iterator[dict[tuple[Role, Sensitivity], TestClient]]:
    app, session, clients = world
    app.state.read_cache = ReadCache()  # see the app fixture of ../conftest.py
    test = session.begin_nested()
    yield clients
    test.rollback()


def _keys(client: TestClient, path: str, **params: Any) -> list[str]:
    response = client.get(path, params=params)
    assert response.status_code == 200
    return [i["key"] for i in response.json()["items"]]


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_reads_show_only_what_the_clearance_allows(
    each: Any, role: Role, clearance: Sensitivity
) -> None:
    client = each[(role, clearance)]
    internal_ok, restricted_ok = clearance is not PUBLIC, clearance is RESTRICTED
    persons = ["hayashi-yoshimasa", "kishi-teruo", "matsumoto-yoichiro"]
    expected = sorted(persons + (["kotani-motoko"] if internal_ok else []))
    assert _keys(client, "/api/v1/persons") == expected
    assert client.get("/api/v1/persons", params={"q": "小谷"}).json()["total"] == int(internal_ok)
    for path, ok in (
        ("/api/v1/persons/kotani-motoko", internal_ok),
        ("/api/v1/parties/KAZ", restricted_ok),
        ("/api/v1/agreements/jpn-eu-2009", restricted_ok),
        ("/api/v1/engagements/secret-visit", restricted_ok),
        # A public membership whose person is hidden is hidden with it.
        ("/api/v1/memberships/board-vice-kotani", internal_ok),
    ):
        response = client.get(path)
        assert response.status_code == (200 if ok else 404), path
        if not ok:
            assert response.json()["detail"].startswith("no ")
    visit = client.get("/api/v1/engagements/visit-kotani-brussels-2022-07").json()
    assert visit["participants"] == (["kotani-motoko"] if internal_ok else [])
    actions = client.get("/api/v1/agreements/jpn-ussr-1973").json()["actions"]
    assert ("KAZ" in {a["party"] for a in actions}) is restricted_ok
    assert ("KAZ" in _keys(client, "/api/v1/parties", limit=1000)) is restricted_ok


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_queries_count_only_what_the_clearance_allows(
    each: Any, role: Role, clearance: Sensitivity
) -> None:
    client = each[(role, clearance)]
    cov = client.get("/api/v1/queries/coverage", params={"as_of": "2022-12-31"}).json()
    if clearance is RESTRICTED:
        assert cov["sentence"] == "7 agreements, in force with 21 countries and the EU"
    else:
        assert cov["sentence"] == "6 agreements, in force with 20 countries"
        assert "KAZ" not in json.dumps(cov) and "jpn-eu-2009" not in json.dumps(cov)
    kaz = client.get("/api/v1/queries/agreements-with/KAZ", params={"as_of": "2022-12-31"})
    assert kaz.status_code == (200 if clearance is RESTRICTED else 404)
    found = client.get("/api/v1/queries/engagements", params={"party": "KAZ"}).json()
    assert [e["key"] for e in found] == (["secret-visit"] if clearance is RESTRICTED else [])


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_exports_hold_only_what_the_clearance_allows(
    each: Any, role: Role, clearance: Sensitivity
) -> None:
    client = each[(role, clearance)]
    persons_csv = client.get("/api/v1/exports/persons.csv").text
    assert ("kotani-motoko" in persons_csv) is (clearance is not PUBLIC)
    assert len(persons_csv.splitlines()) == (4 if clearance is PUBLIC else 5)
    popolo = client.get("/api/v1/exports/popolo.json").text
    assert ("kotani" in popolo) is (clearance is not PUBLIC)
    engagements = client.get("/api/v1/exports/engagements.json").json()
    assert ("secret-visit" in [e["key"] for e in engagements]) is (clearance is RESTRICTED)
    ics = client.get("/api/v1/exports/calendar.ics").text
    assert ("Secret visit" in ics) is (clearance is RESTRICTED)


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_writes_need_the_editor_role_and_stay_within_the_clearance(
    each: Any, role: Role, clearance: Sensitivity
) -> None:
    client = each[(role, clearance)]
    can_write = role is not Role.viewer
    created = client.post("/api/v1/persons", json={"key": "doe-jane", "name": "DOE Jane"})
    assert created.status_code == (201 if can_write else 403)
    if not can_write:
        assert created.json() == {
            "detail": f"this needs the editor role; viewer-{clearance.value} has the viewer role"
        }
        assert client.get("/api/v1/persons/doe-jane").status_code == 404
        return
    above = client.post(
        "/api/v1/persons", json={"key": "x-r", "name": "X", "sensitivity": "restricted"}
    )
    assert above.status_code == (201 if clearance is RESTRICTED else 403)
    hidden_update = client.put(
        "/api/v1/parties/KAZ", params={"version": 2}, json={"key": "KAZ", "name": "K"}
    )
    assert hidden_update.status_code == (200 if clearance is RESTRICTED else 404)
    hidden_delete = client.delete("/api/v1/engagements/secret-visit", params={"version": 1})
    assert hidden_delete.status_code == (204 if clearance is RESTRICTED else 404)
    # Naming a hidden record in a write is answered as naming a missing one.
    for party in ("KAZ", "XXX"):
        visit = {"key": f"v-{party}", "kind": "visit", "title": "V", "counterpart_parties": [party]}
        response = client.post("/api/v1/engagements", json=visit)
        if party == "KAZ" and clearance is RESTRICTED:
            assert response.status_code == 201
        else:
            assert (response.status_code, response.json()) == (
                422,
                {
                    "detail": [
                        {
                            "loc": ["body", "counterpart_parties"],
                            "msg": f"counterpart_parties: no party with key {party!r}",
                            "type": "invalid_data",
                        }
                    ]
                },
            )
    appointment = {"key": "a-k", "person": "kotani-motoko", "post": "foreign-minister"}
    named = client.post("/api/v1/appointments", json=appointment)
    if clearance is PUBLIC:
        assert (named.status_code, named.json()) == (
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "person"],
                        "msg": "person: no person with key 'kotani-motoko'",
                        "type": "invalid_data",
                    }
                ]
            },
        )
    else:
        assert named.status_code == 201


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_the_audit_log_is_for_admins_and_within_their_clearance(
    each: Any, role: Role, clearance: Sensitivity
) -> None:
    client = each[(role, clearance)]
    response = client.get("/api/v1/audit", params={"actor": "test-setup", "limit": 1000})
    if role is not Role.admin:
        assert response.status_code == 403
        return
    keys = [e["record_key"] for e in response.json()["items"]]
    expected = {
        PUBLIC: [],
        INTERNAL: ["kotani-motoko"],
        RESTRICTED: ["secret-visit", "jpn-eu-2009", "KAZ", "kotani-motoko"],
    }[clearance]
    assert keys == expected
    history = client.get("/api/v1/persons/kotani-motoko/history")
    assert history.status_code == (404 if clearance is PUBLIC else 200)


def test_without_credentials_every_route_is_401(world: Any) -> None:
    app: FastAPI = world[0]
    anonymous = TestClient(app)
    for path in ("/api/v1/persons", "/api/v1/queries/coverage", "/api/v1/exports/popolo.json"):
        response = anonymous.get(path)
        assert (response.status_code, response.headers["www-authenticate"]) == (401, "Bearer")
    forged = TestClient(app, headers={"Authorization": "Bearer scidip_forged"})
    assert forged.get("/api/v1/persons").status_code == 401
    assert BY_NAME["persons"] is PERSON


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_only_admins_reset_a_password_from_the_account_page(
    world: Any, each: Any, role: Role, clearance: Sensitivity
) -> None:
    app, session = world[0], world[1]
    user = session.scalars(select(User).where(User.username == f"{role}-{clearance}")).one()
    value, page = open_page_session(session, SECRET, user)
    client = TestClient(app, cookies={cookie.COOKIE: value}, follow_redirects=False)
    form = {"new_password": "a-new-password-9", "repeat_password": "a-new-password-9"}
    form["csrf_token"] = page.csrf
    other = "viewer-public" if user.username != "viewer-public" else "editor-public"
    before = session.scalars(select(User.password_hash).where(User.username == other)).one()
    reset = client.post(f"/account/reset?user={other}", data=form)
    nobody = client.post("/account/reset?user=nobody", data=form)
    after = session.scalars(select(User.password_hash).where(User.username == other)).one()
    if role is Role.admin:
        assert (reset.status_code, nobody.status_code) == (200, 404)
        assert after != before
    else:
        assert (reset.status_code, nobody.status_code) == (403, 403)
        assert after == before


def _pages_client(app: FastAPI, session: Session, role: Role, clearance: Sensitivity) -> TestClient:
    """A browser-like client of the user ``<role>-<clearance>``, with a session cookie."""
    user = session.scalars(select(User).where(User.username == f"{role}-{clearance}")).one()
    value, _page = open_page_session(session, SECRET, user)
    return TestClient(app, cookies={cookie.COOKIE: value}, follow_redirects=False)


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_pages_show_only_what_the_clearance_allows(
    world: Any, each: Any, role: Role, clearance: Sensitivity, materials_store: Path
) -> None:
    app, session = world[0], world[1]
    client = _pages_client(app, session, role, clearance)
    internal_ok, restricted_ok = clearance is not PUBLIC, clearance is RESTRICTED

    def page(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return response.text

    on = "as_of=2022-12-31"
    dashboard = page(f"/?{on}")
    assert ("JPN: 7 agreements, in force with 21 countries and the EU" in dashboard) is (
        restricted_ok
    )
    assert ("JPN: 6 agreements, in force with 20 countries<" in dashboard) is not restricted_ok
    assert ("/countries/KAZ" in dashboard) is restricted_ok
    agreements = page(f"/agreements?{on}")
    assert ("Japan-EU" in agreements) is restricted_ok
    assert ('>KAZ<span class="mark"' in agreements) is restricted_ok
    for path in (f"/people?{on}", f"/bodies/advisory-board?{on}", "/search?q=小谷"):
        assert ("KOTANI" in page(path)) is internal_ok, path
    for path in ("/engagements", "/calendar?month=2022-09", "/search?q=secret"):
        assert ("Secret visit" in page(path)) is restricted_ok, path
    kaz_on_map = "<title>Kazakhstan (KAZ): covered only through succession</title>"
    assert (kaz_on_map in page(f"/map?{on}")) is restricted_ok
    assert ('<option value="KAZ">' in page(f"/reports?{on}")) is restricted_ok
    assert client.get(f"/countries/KAZ?{on}").status_code == (200 if restricted_ok else 404)
    assert client.get("/agreements/jpn-eu-2009").status_code == (200 if restricted_ok else 404)
    assert client.get("/audit").status_code == (200 if role is Role.admin else 403)
    # The exports of the agreements page and of the audit log hold what the page may show.
    for path in (f"/agreements.csv?{on}", f"/agreements.json?{on}"):
        exported = page(path)
        assert ("Japan-EU" in exported) is restricted_ok, path
        assert ("KAZ (" in exported) is restricted_ok, path
    for path in ("/audit.csv", "/audit.json"):
        assert client.get(path).status_code == (200 if role is Role.admin else 403), path
        if role is Role.admin:
            assert ("engagement secret-visit" in page(path)) is restricted_ok, path
    # Every role may run a scenario (a read), on the tiny world's store (whatever CI names).
    kept = app.state.settings
    app.state.settings = kept.model_copy(update={"materials_store": materials_store})
    try:
        scenario = page(f"/economic-security?{on}&kind=diversify&partners=agreements&pct=30"
                        "&year=2022&material=Cobalt")  # fmt: skip
    finally:
        app.state.settings = kept
    assert "agreement partners on the page&#39;s date: DEU, USA" in scenario


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_forms_and_pickers_follow_the_role_and_the_clearance(
    world: Any, each: Any, role: Role, clearance: Sensitivity
) -> None:
    app, session = world[0], world[1]
    client = _pages_client(app, session, role, clearance)
    internal_ok, restricted_ok = clearance is not PUBLIC, clearance is RESTRICTED
    writer = role is not Role.viewer

    def status(path: str) -> int:
        return client.get(path).status_code

    def offered(concept: str, q: str) -> list[str]:
        response = client.get(f"/lookup/{concept}", params={"q": q})
        assert response.status_code == 200
        return [i["key"] for i in response.json()]

    assert status("/records/meetings/new") == (200 if writer else 403)
    assert status("/records/agreements/jpn-deu-1974/add/actions") == (200 if writer else 403)
    for path in (
        "/records/engagements/secret-visit/edit",
        "/records/agreements/jpn-eu-2009/delete",
        "/records/parties/KAZ/end",
    ):
        assert status(path) == (403 if not writer else 200 if restricted_ok else 404), path
    assert status("/records/persons/kotani-motoko/edit") == (
        403 if not writer else 200 if internal_ok else 404
    )
    # The pickers offer only what the reader may see, by name in either language.
    assert offered("persons", "小谷") == (["kotani-motoko"] if internal_ok else [])
    assert offered("parties", "Kazakh") == (["KAZ"] if restricted_ok else [])
    assert ("jpn-eu-2009" in offered("agreements", "EU")) is restricted_ok


@pytest.mark.parametrize(("role", "clearance"), COMBOS)
def test_the_new_pages_lists_facets_exports_and_suggestions_hold_only_what_is_allowed(
    world: Any, each: Any, role: Role, clearance: Sensitivity
) -> None:
    app, session = world[0], world[1]
    client = _pages_client(app, session, role, clearance)
    internal_ok, restricted_ok = clearance is not PUBLIC, clearance is RESTRICTED

    def text(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return response.text

    def status(path: str) -> int:
        return client.get(path).status_code

    # Entity pages: 404 for a record above the clearance, and no hidden name on the others.
    assert status("/persons/kotani-motoko") == (200 if internal_ok else 404)
    assert status("/engagements/secret-visit") == (200 if restricted_ok else 404)
    assert ("KOTANI" in text("/documents/recommendation-2022-06")) is internal_ok
    assert ("KOTANI" in text("/persons/matsumoto-yoichiro")) is False
    # Lists, their facets, counts and exports.
    for path in ("/engagements", "/lists/engagements", "/lists/engagements.csv",
                 "/lists/engagements.json", "/lists/engagements?year=2022"):  # fmt: skip
        assert ("Secret visit" in text(path)) is restricted_ok, path
    listed = text("/lists/engagements")
    assert (">Kazakhstan</a>" in listed) is restricted_ok  # the counterpart party facet
    assert (">restricted</a>" in listed) is restricted_ok  # the sensitivity facet
    count = re.search(r'id="list-count">(\d+) rows', listed)
    assert count is not None and int(count.group(1)) == (5 if restricted_ok else 4)
    for path in ("/lists/parties", "/lists/parties.csv", "/lists/parties.json"):
        assert ("KAZ" in text(path)) is restricted_ok, path
    for path in ("/lists/persons.csv", "/lists/persons?q=小谷"):
        assert ("kotani-motoko" in text(path)) is internal_ok, path
    # The header's suggestions.
    assert ("KOTANI Motoko" in text("/search/suggest?q=小谷")) is internal_ok
    assert ("Kazakhstan (KAZ)" in text("/search/suggest?q=Kazakhstan")) is restricted_ok
    # A report for a clearance above the reader's own is refused, a lower one built.
    reports = "/api/v1/reports/reconcile"
    assert status(f"{reports}?clearance=restricted") == (200 if restricted_ok else 403)
    assert status(f"{reports}?clearance=public") == 200
