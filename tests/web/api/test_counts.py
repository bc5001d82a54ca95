"""Counts per concept x clearance, exact: every list total, export and paging agrees with what the
reader may see, and meeting counts follow their committee (issue 17: "meeting totals are wrong
for 2 of 28 concept x clearance checks").

The fixture dataset, with three records made sensitive: person kotani-motoko internal (her
membership hidden with her), party KAZ restricted (the succession SUHH-KAZ hidden with it), and
committee jc-deu restricted (its two meetings, jc-deu-23 and jc-deu-24, hidden with it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from scidip.auth.models import Role
from scidip.db.base import Sensitivity
from scidip.registry.committee.service import COMMITTEE
from scidip.registry.concepts import CONCEPTS
from scidip.registry.party.service import PARTY
from scidip.registry.person.service import PERSON

from ..conftest import client_for, loaded_app
from .test_permissions import _mark

PUBLIC, INTERNAL, RESTRICTED = Sensitivity.public, Sensitivity.internal, Sensitivity.restricted

# Records in the fixture's files (one "- " item each), and those each clearance cannot see.
IN_FIXTURE = {
    "parties": 29, "successions": 21, "organisations": 6, "persons": 4, "posts": 2,
    "appointments": 3, "memberships": 3, "agreements": 8, "committees": 3, "meetings": 3,
    "engagements": 4, "documents": 1, "sources": 2, "figures": 0,
}  # fmt: skip
HIDDEN = {
    PUBLIC: {"parties": 1, "successions": 1, "persons": 1, "memberships": 1, "committees": 1,
             "meetings": 2},
    INTERNAL: {"parties": 1, "successions": 1, "committees": 1, "meetings": 2},
    RESTRICTED: {},
}  # fmt: skip
MEETINGS = {
    PUBLIC: ["jc-rus-13"],
    INTERNAL: ["jc-rus-13"],
    RESTRICTED: ["jc-deu-23", "jc-deu-24", "jc-rus-13"],
}


@pytest.fixture(scope="module")
def clients(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A viewer of each clearance over the marked fixture dataset."""
    with loaded_app(engine, tmp_path_factory.mktemp("web")) as (app, session):
        _mark(session, PERSON, "kotani-motoko", INTERNAL)
        _mark(session, PARTY, "KAZ", RESTRICTED)
        _mark(session, COMMITTEE, "jc-deu", RESTRICTED)
        made = {c: client_for(app, session, Role.viewer, c) for c in Sensitivity}
        session.flush()
        yield made


def test_the_fixture_has_a_count_for_every_concept() -> None:
    assert sorted(IN_FIXTURE) == sorted(c.name for c in CONCEPTS)


@pytest.mark.parametrize("clearance", list(Sensitivity))
@pytest.mark.parametrize("concept", sorted(IN_FIXTURE))
def test_list_total_export_and_paging_agree(
    clients: Any, concept: str, clearance: Sensitivity
) -> None:
    client: TestClient = clients[clearance]
    expected = IN_FIXTURE[concept] - HIDDEN[clearance].get(concept, 0)
    listed = client.get(f"/api/v1/{concept}", params={"limit": 1000}).json()
    assert (listed["total"], len(listed["items"])) == (expected, expected)
    paged = [
        item["key"]
        for offset in range(0, max(expected, 1), 2)
        for item in client.get(f"/api/v1/{concept}", params={"limit": 2, "offset": offset}).json()[
            "items"
        ]
    ]
    assert paged == [i["key"] for i in listed["items"]]
    assert len(client.get(f"/api/v1/exports/{concept}.json").json()) == expected
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/v1/exports/{concept}.csv").text)))
    assert len(rows) == expected


@pytest.mark.parametrize("clearance", list(Sensitivity))
def test_every_meeting_count_follows_its_committee(clients: Any, clearance: Sensitivity) -> None:
    client: TestClient = clients[clearance]
    period = {"start": "2000-01-01", "end": "2030-01-01"}
    found = client.get("/api/v1/queries/meetings", params=period).json()
    assert sorted(m["key"] for m in found) == MEETINGS[clearance]
    listed = client.get("/api/v1/meetings", params={"committee": "jc-deu"}).json()
    assert listed["total"] == (2 if clearance is RESTRICTED else 0)
    feed = Calendar.from_ical(client.get("/api/v1/exports/calendar.ics").content)
    meetings = sorted(
        str(e["uid"]) for e in feed.walk("VEVENT") if str(e["uid"]).startswith("meeting-")
    )
    # Only meetings known to the day are in the feed: jc-rus-13 (the others are to the month).
    assert meetings == ["meeting-jc-rus-13@scidip"]
    overdue = client.get("/api/v1/queries/overdue-committees", params={"as_of": "2026-01-01"})
    assert ("jc-deu" in {c["committee"] for c in overdue.json()}) is (clearance is RESTRICTED)
