"""The registry's read side: whole payloads on the fixture dataset, filters, search, clearance,
pages, and a count of SQL statements per read that does not grow with the number of records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.concepts import BY_NAME, CONCEPTS
from scidip.registry.engagement.schemas import EngagementCreate
from scidip.registry.read import list_records
from scidip.registry.visibility import hidden_keys

TRANSACTION = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    """The SQL statements run on ``session`` inside the block (transaction control left out)."""
    seen: list[str] = []
    connection = session.connection()

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if not sql.lstrip().upper().startswith(TRANSACTION):
            seen.append(sql)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _keys(page: Any) -> list[str]:
    return [item["key"] for item in page.items]


def _without_meta(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in {"id", "created_at", "updated_at"}}


def test_a_whole_payload(registry: Session) -> None:
    page = list_records(registry, BY_NAME["engagements"], filters={"kind": "visit"}, limit=1)
    assert (page.total, page.limit, page.offset) == (2, 1, 0)
    assert [_without_meta(item) for item in page.items] == [
        {
            "version": 1,
            "key": "visit-kotani-brussels-2022-07",
            "sensitivity": "public",
            "sources": [],
            "kind": "visit",
            "title": "Visit to Brussels",
            "date": "2022-07",
            "end": None,
            "number": None,
            "mode": None,
            "host": None,
            "participants": ["kotani-motoko"],
            "counterpart_organisations": ["dg-rtd"],
            "counterpart_parties": ["EU"],
            "places": [{"city": "Brussels", "party": "BEL"}],
            "topics": [],
            "outcome": None,
            "note": None,
        }
    ]


def test_filters_search_pages_and_dates(registry: Session) -> None:
    meetings = BY_NAME["meetings"]
    assert _keys(list_records(registry, meetings, filters={"committee": "jc-deu"})) == [
        "jc-deu-23",
        "jc-deu-24",
    ]
    assert _keys(list_records(registry, meetings, filters={"committee": "no-such"})) == []
    engagements = BY_NAME["engagements"]
    assert list_records(registry, engagements, filters={"kind": "no-such-kind"}).total == 0
    # A state's name comes from ISO 3166 (its payload leaves it out): it is still found.
    assert _keys(list_records(registry, BY_NAME["parties"], q="kazakh")) == ["KAZ"]
    assert _keys(list_records(registry, BY_NAME["persons"], q="岸")) == ["kishi-teruo"]
    assert _keys(list_records(registry, BY_NAME["persons"], q="KOTANI")) == ["kotani-motoko"]
    # "name" and "ja" are in every alias's JSON, not in a name: they match nothing there.
    assert _keys(list_records(registry, BY_NAME["persons"], q="lang")) == []
    parties = BY_NAME["parties"]
    everything = _keys(list_records(registry, parties))
    second = list_records(registry, parties, limit=5, offset=5)
    assert (second.total, _keys(second)) == (29, everything[5:10])
    assert everything == sorted(everything)
    appointments = BY_NAME["appointments"]
    assert _keys(list_records(registry, appointments, as_of=date(2021, 1, 1))) == [
        "matsumoto-advisor"
    ]


def test_clearance_is_applied_in_the_query(registry: Session) -> None:
    persons = BY_NAME["persons"]
    stored = record.get(registry, persons, "kotani-motoko")
    data = record.snapshot(registry, persons, stored).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(registry, persons, "kotani-motoko", data, stored.version, "test")
    public = list_records(registry, persons, Sensitivity.public)
    assert (public.total, _keys(public)) == (
        3,
        ["hayashi-yoshimasa", "kishi-teruo", "matsumoto-yoichiro"],
    )
    # The visit to Brussels stays visible, without the participant the reader may not see.
    visits = list_records(
        registry, BY_NAME["engagements"], Sensitivity.public, filters={"kind": "visit"}
    )
    assert [item["participants"] for item in visits.items] == [[], ["matsumoto-yoichiro"]]
    assert list_records(registry, persons, Sensitivity.public, q="kotani").total == 0


def _more_engagements(session: Session, how_many: int) -> None:
    for i in range(how_many):
        data = EngagementCreate.model_validate(
            {
                "key": f"extra-{i:03}",
                "kind": "visit",
                "title": f"Extra visit {i}",
                "date": "2023-01",
                "participants": ["kishi-teruo", "kotani-motoko"],
                "counterpart_parties": ["KAZ"],
                "sources": [{"source": "fixture"}],
            }
        )
        record.create(session, BY_NAME["engagements"], data, "test")


@pytest.mark.parametrize("clearance", [Sensitivity.restricted, Sensitivity.public])
def test_statements_do_not_grow_with_the_records(registry: Session, clearance: Sensitivity) -> None:
    def counts() -> dict[str, tuple[int, int, int]]:
        found = {}
        for concept in CONCEPTS:
            with statements(registry) as listing:
                list_records(registry, concept, clearance)
            with statements(registry) as page:
                list_records(registry, concept, clearance, limit=2, offset=1)
            with statements(registry) as search:
                list_records(registry, concept, clearance, q="a")
            found[concept.name] = (len(listing), len(page), len(search))
        return found

    before = counts()
    _more_engagements(registry, 40)
    registry.expire_all()
    after = counts()
    assert after == before
    hidden = 0 if clearance is Sensitivity.restricted else 1  # the keys above the clearance
    # Parties: count, rows, citations; a search counts its hits itself.
    assert before["parties"] == (3 + hidden, 3 + hidden, 2 + hidden)
    # Engagements: count, rows, its four references (host, participants, counterpart
    # organisations and parties: one statement each, for all rows), citations.
    assert before["engagements"] == (7 + hidden, 7 + hidden, 6 + hidden)


def test_hiding_goes_down_every_level(registry: Session) -> None:
    # The German agreement becomes restricted: its committee cannot be shown without it, nor
    # can that committee's meetings, two levels down; references to them are taken out too.
    agreements = BY_NAME["agreements"]
    stored = record.get(registry, agreements, "jpn-deu-1974")
    data = record.snapshot(registry, agreements, stored).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(registry, agreements, "jpn-deu-1974", data, stored.version, "test")
    public = Sensitivity.public
    assert _keys(list_records(registry, BY_NAME["committees"], public)) == ["jc-rus", "jc-usa"]
    meetings = list_records(registry, BY_NAME["meetings"], public)
    assert (meetings.total, _keys(meetings)) == (1, ["jc-rus-13"])
    assert hidden_keys(registry, public) == {"jpn-deu-1974", "jc-deu", "jc-deu-23", "jc-deu-24"}
    everything = list_records(registry, BY_NAME["meetings"])
    assert _keys(everything) == ["jc-deu-23", "jc-deu-24", "jc-rus-13"]
