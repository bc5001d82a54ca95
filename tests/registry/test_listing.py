"""Lists sorted on any column, filtered by year, and faceted, in SQL within the clearance."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from scidip.db.base import Sensitivity
from scidip.registry import record
from scidip.registry.concepts import BY_NAME
from scidip.registry.facets import FacetValue, facet_fields, facets
from scidip.registry.read import list_records, sort_fields

ENGAGEMENTS = BY_NAME["engagements"]


def _keys(page: Any) -> list[str]:
    return [item["key"] for item in page.items]


def test_sorting_on_a_date_a_text_and_descending(registry: Session) -> None:
    assert "date" in sort_fields(ENGAGEMENTS) and "title" in sort_fields(ENGAGEMENTS)
    by_date = list_records(registry, ENGAGEMENTS, sort="date")
    assert _keys(by_date) == [
        "board-2022-03",
        "visit-matsumoto-usa-2022-06",
        "visit-kotani-brussels-2022-07",
        "board-2022-08",
    ]
    newest = list_records(registry, ENGAGEMENTS, sort="-date", limit=2, offset=1)
    assert (newest.total, _keys(newest)) == (
        4,
        ["visit-kotani-brussels-2022-07", "visit-matsumoto-usa-2022-06"],
    )
    # Equal titles are ordered by key.
    assert _keys(list_records(registry, ENGAGEMENTS, sort="-title")) == [
        "visit-matsumoto-usa-2022-06",
        "visit-kotani-brussels-2022-07",
        "board-2022-03",
        "board-2022-08",
    ]
    with pytest.raises(ValueError, match="cannot be sorted on 'places'"):
        list_records(registry, ENGAGEMENTS, sort="places")


def test_the_year_filter(registry: Session) -> None:
    assert list_records(registry, ENGAGEMENTS, year=2022).total == 4
    assert list_records(registry, ENGAGEMENTS, year=2021).total == 0
    with pytest.raises(ValueError, match="parties has no date"):
        list_records(registry, BY_NAME["parties"], year=2022)


def test_facets_count_what_the_list_shows(registry: Session) -> None:
    assert facet_fields(ENGAGEMENTS) == (
        "kind",
        "mode",
        "counterpart_parties",
        "year",
        "sensitivity",
    )
    found = facets(registry, ENGAGEMENTS)
    assert found == {
        "kind": [FacetValue("board_meeting", "board meeting", 2), FacetValue("visit", "visit", 2)],
        "mode": [],
        "sensitivity": [FacetValue("public", "public", 4)],
        "counterpart_parties": [
            FacetValue("EU", "European Union", 1),
            FacetValue("USA", "United States", 1),
        ],
        "year": [FacetValue("2022", "2022", 4)],
    }
    visits = facets(registry, ENGAGEMENTS, filters={"kind": "visit"}, q="brussels")
    assert visits["counterpart_parties"] == [FacetValue("EU", "European Union", 1)]
    assert visits["kind"] == [FacetValue("visit", "visit", 1)]


def test_facets_never_name_or_count_what_the_reader_may_not_see(registry: Session) -> None:
    parties = BY_NAME["parties"]
    usa = record.get(registry, parties, "USA")
    data = record.snapshot(registry, parties, usa).model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    record.update(registry, parties, "USA", data, usa.version, "test")
    visit = record.get(registry, ENGAGEMENTS, "board-2022-08")
    data = record.snapshot(registry, ENGAGEMENTS, visit).model_copy(
        update={"sensitivity": Sensitivity.internal}
    )
    record.update(registry, ENGAGEMENTS, "board-2022-08", data, visit.version, "test")
    public = facets(registry, ENGAGEMENTS, Sensitivity.public)
    assert public["counterpart_parties"] == [FacetValue("EU", "European Union", 1)]
    assert public["sensitivity"] == [FacetValue("public", "public", 3)]
    assert public["kind"] == [
        FacetValue("visit", "visit", 2),
        FacetValue("board_meeting", "board meeting", 1),
    ]
    everything = facets(registry, ENGAGEMENTS)
    assert everything["sensitivity"] == [
        FacetValue("public", "public", 3),
        FacetValue("internal", "internal", 1),
    ]


def test_search_finds_names_in_either_order_and_in_japanese(registry: Session) -> None:
    persons, parties = BY_NAME["persons"], BY_NAME["parties"]
    for q in ("Yoichiro Matsumoto", "matsumoto yoichiro", " Yoichiro  MATSUMOTO "):
        assert _keys(list_records(registry, persons, q=q)) == ["matsumoto-yoichiro"], q
    assert _keys(list_records(registry, persons, q="小谷")) == ["kotani-motoko"]
    assert _keys(list_records(registry, persons, q="Motoko Matsumoto")) == []
    assert _keys(list_records(registry, parties, q="Kazakhstan")) == ["KAZ"]
    assert _keys(list_records(registry, BY_NAME["organisations"], q="外務省")) == ["mofa"]
